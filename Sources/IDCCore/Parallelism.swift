/// How many threads idc's own parallel loops use (t-SNE gradients and
/// affinities, k-means assignment), kept equal to OpenBLAS's thread count by
/// ``setThreads(_:)`` (`set threads=N`).
///
/// Starts at OpenBLAS's own count, which follows `OPENBLAS_NUM_THREADS`
/// (else `OMP_NUM_THREADS`, else the number of cores) as read when it loaded.
public enum Parallelism {
  nonisolated(unsafe) private static var count = BLAS.threadCount

  /// Worker threads for idc's loops (at least 1).
  public static var threads: Int { max(1, count) }

  /// Sets both idc's and OpenBLAS's thread counts.
  public static func setThreads(_ n: Int) {
    count = max(1, n)
    BLAS.setThreadCount(count)
  }
}
