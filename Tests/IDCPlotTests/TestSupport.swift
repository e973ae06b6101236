import Foundation
import IDCPlot

/// Whether a gnuplot executable is on `PATH`: rendering tests run only then.
let gnuplotAvailable = (try? GnuplotSession().resolvedExecutable()) != nil

/// A fresh directory for the pictures of one test, under the system temporary
/// directory (or under `$IDC_PLOT_GALLERY` to keep and look at them).
func pictureDirectory(_ name: String) throws -> String {
  let root = ProcessInfo.processInfo.environment["IDC_PLOT_GALLERY"]
    ?? (NSTemporaryDirectory() + "idc-plot-tests-\(getpid())")
  let path = root + "/" + name
  try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  return path
}

/// The contents of a text file.
func readText(_ path: String) throws -> String {
  try String(contentsOfFile: path, encoding: .utf8)
}

/// The first bytes of a file.
func fileHeader(_ path: String, count: Int) -> [UInt8] {
  guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
  defer { try? handle.close() }
  return [UInt8](handle.readData(ofLength: count))
}
