/// Builds GGUF bytes by hand for tests, in either byte order (rope-methods.md §6.1).
///
/// Only what the tests need: the fixed header, key/values of any type, raw bytes and tensor
/// infos. Counts are written as given, so a test can announce more items than it writes.
struct GGUFBytes {
  var bytes: [UInt8] = []
  var bigEndian = false

  init(version: UInt32 = 3, tensorCount: UInt64 = 0, kvCount: UInt64 = 0, bigEndian: Bool = false) {
    self.bigEndian = bigEndian
    bytes = Array("GGUF".utf8)
    u32(version)
    u64(tensorCount)
    u64(kvCount)
  }

  var count: Int { bytes.count }

  mutating func int<T: FixedWidthInteger>(_ value: T) {
    let stored = bigEndian ? value.bigEndian : value.littleEndian
    withUnsafeBytes(of: stored) { bytes.append(contentsOf: $0) }
  }

  mutating func u8(_ v: UInt8) { bytes.append(v) }
  mutating func u32(_ v: UInt32) { int(v) }
  mutating func u64(_ v: UInt64) { int(v) }
  mutating func f32(_ v: Float) { int(v.bitPattern) }

  mutating func string(_ s: String) {
    u64(UInt64(s.utf8.count))
    bytes.append(contentsOf: s.utf8)
  }

  mutating func key(_ key: String, type: UInt32) {
    string(key)
    u32(type)
  }

  mutating func kvString(_ key: String, _ value: String) {
    self.key(key, type: 8)
    string(value)
  }

  mutating func kvU32(_ key: String, _ value: UInt32) {
    self.key(key, type: 4)
    u32(value)
  }

  mutating func kvF32(_ key: String, _ value: Float) {
    self.key(key, type: 6)
    f32(value)
  }

  /// A STRING array of `count` elements named `prefix0`, `prefix1`, ...
  mutating func kvStringArray(_ key: String, count: Int, prefix: String) {
    self.key(key, type: 9)
    u32(8)
    u64(UInt64(count))
    for i in 0..<count { string(prefix + String(i)) }
  }

  mutating func tensorInfo(_ name: String, dims: [UInt64], type: UInt32, offset: UInt64) {
    string(name)
    u32(UInt32(dims.count))
    for d in dims { u64(d) }
    u32(type)
    u64(offset)
  }

  /// Zero bytes up to the next multiple of `alignment`.
  mutating func pad(to alignment: Int) {
    while bytes.count % alignment != 0 { bytes.append(0) }
  }
}
