import Foundation
import IDCPlot

/// Whether a gnuplot executable is on `PATH`: rendering tests run only then.
let gnuplotAvailable = (try? GnuplotSession().resolvedExecutable()) != nil

/// Whether pictures are kept for a person to look at: `IDC_PLOT_GALLERY`
/// names the directory that receives them.
let keptPictureRoot = ProcessInfo.processInfo.environment["IDC_PLOT_GALLERY"]

/// A directory for the pictures of one test: `$IDC_PLOT_GALLERY/name` when
/// pictures are kept, otherwise a fresh one under the temporary directory
/// that ``removePictures(_:)`` deletes.
func pictureDirectory(_ name: String) throws -> String {
  let path = keptPictureRoot.map { "\($0)/\(name)" }
    ?? "\(NSTemporaryDirectory())idc-plot-tests/\(name)-\(UUID().uuidString)"
  try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  return path
}

/// Deletes a directory from ``pictureDirectory(_:)`` unless pictures are kept.
func removePictures(_ directory: String) {
  guard keptPictureRoot == nil else { return }
  try? FileManager.default.removeItem(atPath: directory)
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
