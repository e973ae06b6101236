import Foundation

/// File-system completion for path parameters, shared by the REPL and the Jupyter kernel.
public enum PathCompletion {
  /// Entries of the directory part of `partial` that start with the rest; directories end in
  /// `/`. Hidden entries only when the rest starts with a dot.
  public static func complete(_ partial: String) -> [String] {
    let fm = FileManager.default
    let slash = partial.lastIndex(of: "/")
    let directory = slash.map { String(partial[...$0]) } ?? ""
    let stem = slash.map { String(partial[partial.index(after: $0)...]) } ?? partial
    let listed = (try? fm.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory)) ?? []
    return listed.filter { $0.hasPrefix(stem) && !$0.hasPrefix(".") || (stem.hasPrefix(".") && $0.hasPrefix(stem)) }.sorted().map { name in
      var isDirectory: ObjCBool = false
      let path = directory + name
      _ = fm.fileExists(atPath: path, isDirectory: &isDirectory)
      return isDirectory.boolValue ? path + "/" : path
    }
  }
}
