/// A raw pointer handed to concurrent workers (`DispatchQueue.concurrentPerform`)
/// that read shared data or write disjoint ranges; the owner keeps the memory
/// alive for the duration of the parallel region.
struct SharedPointer<Element>: @unchecked Sendable {
  let base: UnsafeMutablePointer<Element>
  init(_ base: UnsafeMutablePointer<Element>) { self.base = base }
  init(_ base: UnsafePointer<Element>) { self.base = UnsafeMutablePointer(mutating: base) }
}
