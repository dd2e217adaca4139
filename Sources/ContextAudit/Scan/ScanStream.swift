import Dispatch
import Synchronization

extension ScanRun {
  /// Scans `roots` and hands each model report to `emit` as soon as its place in the report
  /// order is settled, so a scan of a million models never holds them all.
  ///
  /// See `stream(plan:onUnit:emit:)` for the order and the threading.
  ///
  /// - Returns: the counts of the whole scan (`ScanReport.summary` of the equivalent report).
  /// - Throws: `UnitDiscovery.MissingInput` when a root does not exist; nothing was emitted then.
  public func stream(
    roots: [String], shard: Shard? = nil, onUnit: (@Sendable (Int, Int) -> Void)? = nil,
    emit: (ModelReport) -> Void
  ) throws(UnitDiscovery.MissingInput) -> ScanReport.Summary {
    var plan = try scanner.plan(roots: roots)
    if let shard { plan = plan.sharded(shard) }
    return stream(plan: plan, onUnit: onUnit, emit: emit)
  }

  /// Audits a plan's items on worker threads and calls `emit` on the calling thread, one model
  /// at a time, in exactly the order `run(plan:onUnit:)` puts them in its report.
  ///
  /// That order is by path (ties: plan order, discovery problems last). Every report of plan
  /// item `i` has a path at or after the item's own path (a unit's report *is* its path; an
  /// archive's units are `archive` or `archive!/…`), and items are sorted, so a finished report
  /// can be emitted once it sorts before the first unfinished item. Reports that arrive early
  /// wait in a small reorder buffer (a heap); it holds only what finished ahead of the slowest
  /// item still running.
  ///
  /// - Parameters:
  ///   - onUnit: called after each plan item is audited (from worker threads), for progress.
  ///   - emit: called on the calling thread, never concurrently, with each model report.
  /// - Returns: the counts of the whole scan.
  public func stream(
    plan: Scanner.Plan, onUnit: (@Sendable (Int, Int) -> Void)? = nil, emit: (ModelReport) -> Void
  ) -> ScanReport.Summary {
    var summary = ScanReport.Summary(models: 0, errors: 0, warnings: 0, notes: 0)
    func deliver(_ reports: [ModelReport]) {
      for report in reports {
        summary.add(report)
        emit(report)
      }
    }
    let items = plan.items
    var buffer = ReorderBuffer(bounds: items.map(\.lowerBoundPath))
    for (index, problem) in plan.problems.enumerated() {
      buffer.add(ScanRun.problemReport(problem), key: .init(path: problem.location.path, item: items.count, unit: index))
    }
    let auditor = self.auditor
    let scanner = self.scanner
    let workers = max(1, min(scanner.concurrency, items.count))
    if items.isEmpty || workers == 1 {
      for (index, item) in items.enumerated() {
        buffer.complete(item: index, reports: scanner.read(item).map(auditor.audit))
        onUnit?(index + 1, items.count)
        deliver(buffer.takeReady())
      }
      deliver(buffer.takeReady())
      return summary
    }

    let shared = StreamShared(buffer: buffer)
    let done = AtomicCounter()
    let group = DispatchGroup()
    for _ in 0..<workers {
      DispatchQueue.global().async(group: group) {
        while true {
          let index = shared.next.wrappingAdd(1, ordering: .relaxed).oldValue
          guard index < items.count else { return }
          let reports = scanner.read(items[index]).map(auditor.audit)
          onUnit?(done.add(), items.count)
          shared.buffer.withLock { $0.complete(item: index, reports: reports) }
          shared.finished.signal()
        }
      }
    }
    for _ in 0..<items.count {
      shared.finished.wait()
      deliver(shared.buffer.withLock { $0.takeReady() })
    }
    group.wait()
    deliver(shared.buffer.withLock { $0.takeReady() })
    return summary
  }
}

extension ScanReport.Summary {
  /// Counts one more model and its findings.
  public mutating func add(_ model: ModelReport) {
    models += 1
    for finding in model.findings {
      switch finding.severity {
      case .error: errors += 1
      case .warning: warnings += 1
      case .note: notes += 1
      }
    }
  }
}

extension Scanner.Item {
  /// No report of this item has a path before this one (see `ScanRun.stream(plan:onUnit:emit:)`).
  var lowerBoundPath: ArtifactPath {
    switch self {
    case .unit(let unit): return unit.path
    case .archive(let archive): return archive.display
    }
  }
}

/// State the worker threads of a stream share with the emitting thread.
private final class StreamShared: Sendable {
  let buffer: Mutex<ReorderBuffer>
  /// The next plan item to hand out.
  let next = Atomic<Int>(0)
  /// Signalled once per finished item.
  let finished = DispatchSemaphore(value: 0)

  init(buffer: ReorderBuffer) { self.buffer = Mutex(buffer) }
}

/// Holds finished reports until every report that sorts before them is known.
struct ReorderBuffer: Sendable {
  /// The report order: path, then plan item, then position within the item (problems use
  /// item `items.count`, after every real item).
  struct Key: Comparable, Sendable {
    var path: ArtifactPath
    var item: Int
    var unit: Int

    static func < (lhs: Key, rhs: Key) -> Bool {
      if lhs.path != rhs.path { return lhs.path < rhs.path }
      if lhs.item != rhs.item { return lhs.item < rhs.item }
      return lhs.unit < rhs.unit
    }
  }

  /// Each plan item's lower bound; nondecreasing because the plan is sorted.
  let bounds: [ArtifactPath]
  private var finished: [Bool]
  /// The first item not finished yet (`bounds.count` when all are).
  private var frontier = 0
  /// A binary min-heap on `Key`.
  private var heap: [(key: Key, report: ModelReport)] = []

  init(bounds: [ArtifactPath]) {
    self.bounds = bounds
    finished = Array(repeating: false, count: bounds.count)
  }

  /// Number of reports waiting.
  var waiting: Int { heap.count }

  mutating func add(_ report: ModelReport, key: Key) {
    heap.append((key, report))
    var child = heap.count - 1
    while child > 0 {
      let parent = (child - 1) / 2
      guard heap[child].key < heap[parent].key else { break }
      heap.swapAt(child, parent)
      child = parent
    }
  }

  /// Records that plan item `item` finished with `reports` (in the order the item read them).
  mutating func complete(item: Int, reports: [ModelReport]) {
    for (unit, report) in reports.enumerated() {
      add(report, key: Key(path: report.path, item: item, unit: unit))
    }
    finished[item] = true
    while frontier < finished.count && finished[frontier] { frontier += 1 }
  }

  /// Removes and returns, in order, every report no unfinished item can precede.
  mutating func takeReady() -> [ModelReport] {
    var ready: [ModelReport] = []
    while let first = heap.first {
      if frontier < bounds.count, !(first.key < Key(path: bounds[frontier], item: frontier, unit: 0)) { break }
      ready.append(first.report)
      removeFirst()
    }
    return ready
  }

  private mutating func removeFirst() {
    heap.swapAt(0, heap.count - 1)
    heap.removeLast()
    var parent = 0
    while true {
      let left = 2 * parent + 1
      let right = left + 1
      var smallest = parent
      if left < heap.count && heap[left].key < heap[smallest].key { smallest = left }
      if right < heap.count && heap[right].key < heap[smallest].key { smallest = right }
      guard smallest != parent else { return }
      heap.swapAt(parent, smallest)
      parent = smallest
    }
  }
}
