import Glibc

/// Core count without Foundation.
enum ProcessInfoCompat {
  static var activeProcessorCount: Int {
    max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
  }
}
