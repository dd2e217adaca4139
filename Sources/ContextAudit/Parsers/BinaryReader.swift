/// Fixed-width reads over any `ByteSource`, in either byte order.
///
/// Each read returns nil on a short read and then consumes nothing, as NIO's `ByteBuffer`
/// does; the GGUF parser turns that nil into `.truncated` in one place. Integers come straight
/// from the source's buffer: no allocation per read.
extension ByteSource {
  /// Reads one fixed-width integer stored little-endian, or big-endian when `bigEndian`.
  @inline(__always)
  public mutating func readInteger<T: FixedWidthInteger>(_: T.Type, bigEndian: Bool) -> T? {
    let width = MemoryLayout<T>.size
    let value: T? = peek(width) { raw in
      guard raw.count >= width else { return nil }
      let stored = raw.loadUnaligned(as: T.self)
      return bigEndian ? T(bigEndian: stored) : T(littleEndian: stored)
    }
    if value != nil { consume(width) }
    return value
  }

  /// Reads an IEEE-754 binary32 value.
  @inline(__always)
  public mutating func readFloat32(bigEndian: Bool) -> Float? {
    readInteger(UInt32.self, bigEndian: bigEndian).map { Float(bitPattern: $0) }
  }

  /// Reads an IEEE-754 binary64 value.
  @inline(__always)
  public mutating func readFloat64(bigEndian: Bool) -> Double? {
    readInteger(UInt64.self, bigEndian: bigEndian).map { Double(bitPattern: $0) }
  }

  /// How many bytes, up to `count`, could still be read from here (for truncation reports).
  public mutating func availableBytes(upTo count: UInt64) -> UInt64 {
    if let remaining { return min(remaining, count) }
    let window = Int(min(count, UInt64(ByteSourceWindow.size)))
    return UInt64(peek(window) { $0.count })
  }
}
