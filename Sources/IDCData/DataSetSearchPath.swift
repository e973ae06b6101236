import Foundation

/// Where built-in data sets are looked for, so that `load digits` works
/// without a path from a source checkout, an installed binary or a test.
///
/// Directories, in order (duplicates and missing ones dropped):
/// 1. each entry of `IDC_DATA_DIR` (`:`-separated);
/// 2. for the executable's directory E (as invoked, and with symlinks
///    resolved): `E/../../examples/data` (SwiftPM's `.build/<config>/idc`)
///    and `E/../share/idc` (an installed `bin/idc`);
/// 3. `A/examples/data` for every ancestor A of E and of the current directory;
/// 4. each entry of `IDC_SHARED_DATA` (`:`-separated);
/// 5. `A/shared/data` for every ancestor A of the current directory and of E.
///
/// In each directory, data set NAME is `NAME.npz` (see
/// ``DataSet/load(path:csv:)``), else the sidecar `NAME.json`.
public struct DataSetSearchPath: Sendable {
  public var environment: [String: String]
  public var currentDirectory: String
  /// The executable's path; nil skips the executable-relative places.
  public var executablePath: String?

  public init(environment: [String: String], currentDirectory: String, executablePath: String?) {
    self.environment = environment
    self.currentDirectory = currentDirectory
    self.executablePath = executablePath
  }

  /// This process's environment, working directory and executable.
  public static var current: DataSetSearchPath {
    DataSetSearchPath(
      environment: ProcessInfo.processInfo.environment,
      currentDirectory: FileManager.default.currentDirectoryPath,
      executablePath: currentExecutablePath()
    )
  }

  /// The existing directories searched, in order.
  public var directories: [String] {
    var candidates: [String] = []
    func entries(_ variable: String) -> [String] {
      (environment[variable] ?? "").split(separator: ":").map(String.init)
    }
    candidates += entries("IDC_DATA_DIR")
    let executableDirectories = executableDirectoriesResolved()
    for e in executableDirectories {
      candidates.append(e + "/../../examples/data")
      candidates.append(e + "/../share/idc")
    }
    let roots = executableDirectories + [currentDirectory]
    for root in roots { candidates += ancestors(of: root).map { $0 + "/examples/data" } }
    candidates += entries("IDC_SHARED_DATA")
    for root in roots.reversed() { candidates += ancestors(of: root).map { $0 + "/shared/data" } }

    var seen = Set<String>()
    var result: [String] = []
    for candidate in candidates {
      let path = absolute(candidate)
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
      if seen.insert(path).inserted { result.append(path) }
    }
    return result
  }

  /// The file for data set `name`: the first `name.npz`, else `name.json`, in ``directories`` order.
  public func locate(_ name: String) -> String? {
    guard DataSetSearchPath.isValidName(name) else { return nil }
    for directory in directories {
      for candidate in ["\(directory)/\(name).npz", "\(directory)/\(name).json"]
      where FileManager.default.isReadableFile(atPath: candidate) {
        return candidate
      }
    }
    return nil
  }

  /// Every data-set name found (`*.npz` and `*.json` files), sorted.
  public var names: [String] {
    var found = Set<String>()
    for directory in directories {
      for file in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
        for suffix in [".npz", ".json"] where file.hasSuffix(suffix) {
          let name = String(file.dropLast(suffix.count))
          if DataSetSearchPath.isValidName(name) { found.insert(name) }
        }
      }
    }
    return found.sorted()
  }

  /// A built-in name is a plain file stem: no `/`, not empty, not starting with `.`.
  static func isValidName(_ name: String) -> Bool {
    !name.isEmpty && !name.contains("/") && !name.hasPrefix(".")
  }

  private func absolute(_ path: String) -> String {
    let full = path.hasPrefix("/") ? path : currentDirectory + "/" + path
    return URL(fileURLWithPath: full).standardizedFileURL.path
  }

  /// The executable's directory as invoked and with symlinks resolved.
  private func executableDirectoriesResolved() -> [String] {
    guard let executablePath, !executablePath.isEmpty else { return [] }
    let invoked = URL(fileURLWithPath: absolute(executablePath))
    let directories = [
      invoked.deletingLastPathComponent().path,
      invoked.resolvingSymlinksInPath().deletingLastPathComponent().path,
    ]
    return directories[0] == directories[1] ? [directories[0]] : directories
  }

  /// `argv[0]` when it holds a path, else the running binary (`/proc/self/exe`).
  static func currentExecutablePath() -> String? {
    if let invoked = CommandLine.arguments.first, invoked.contains("/") { return invoked }
    if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return resolved }
    return Bundle.main.executablePath
  }

  /// `path` and each of its parents up to `/`.
  private func ancestors(of path: String) -> [String] {
    var result: [String] = []
    var url = URL(fileURLWithPath: absolute(path))
    while true {
      result.append(url.path)
      let parent = url.deletingLastPathComponent()
      if parent.path == url.path || url.path == "/" { break }
      url = parent
    }
    return result
  }
}
