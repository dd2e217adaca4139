import Dispatch
import Synchronization

/// Maps `body` over `items` on up to `concurrency` threads, keeping the input order.
///
/// Work is handed out one item at a time from a shared counter, so a slow model (a large
/// archive) does not hold up a whole stripe of others.
func parallelMap<T: Sendable, R: Sendable>(
  _ items: [T], concurrency: Int, _ body: @Sendable (T) -> R
) -> [R] {
  if items.isEmpty { return [] }
  let workers = max(1, min(concurrency, items.count))
  if workers == 1 { return items.map(body) }
  let next = Atomic<Int>(0)
  let results = Mutex<[R?]>(Array(repeating: nil, count: items.count))
  DispatchQueue.concurrentPerform(iterations: workers) { _ in
    while true {
      let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
      guard index < items.count else { return }
      let value = body(items[index])
      results.withLock { $0[index] = value }
    }
  }
  return results.withLock { $0.compactMap { $0 } }
}
