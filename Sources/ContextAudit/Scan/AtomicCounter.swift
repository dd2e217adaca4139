import Synchronization

/// A monotonically increasing counter shared between worker threads.
final class AtomicCounter: Sendable {
  private let storage = Atomic<Int>(0)

  /// Adds one and returns the new value.
  func add() -> Int { storage.wrappingAdd(1, ordering: .relaxed).newValue }
}
