/// The tool's name and version, as reports show them.
public enum ToolInfo {
  public static let name = "ctxaudit"
  public static let version = "0.1.0"
}
