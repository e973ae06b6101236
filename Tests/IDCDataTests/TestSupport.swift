import Foundation
import IDCData
import Testing

/// Paths the tests use, found from this file's location (symlinks resolved,
/// so a sandbox package that links this directory finds the real checkout).
enum TestPaths {
  /// `Tests/IDCDataTests`.
  static let testsDirectory = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().path
  /// The package root (holds `Package.swift`, `examples/`, `scripts/`).
  static let packageRoot = URL(fileURLWithPath: testsDirectory).deletingLastPathComponent().deletingLastPathComponent().path
  static let examplesData = packageRoot + "/examples/data"

  static func fixture(_ name: String) -> String { testsDirectory + "/Fixtures/" + name }

  /// The real data sets: `IDC_SHARED_DATA`, else `../shared/data` beside the
  /// package; nil when neither holds `digits.features.npy`.
  static let sharedData: String? = {
    let candidates = [ProcessInfo.processInfo.environment["IDC_SHARED_DATA"], packageRoot + "/../shared/data"]
    for case let directory? in candidates where FileManager.default.fileExists(atPath: directory + "/digits.features.npy") {
      return URL(fileURLWithPath: directory).standardizedFileURL.path
    }
    return nil
  }()
  static var hasSharedData: Bool { sharedData != nil }
}

/// The description of the `DataError` that `body` throws, or a note saying
/// it threw something else or nothing, so that `#expect(failure { … } == "…")`
/// shows both messages when they differ.
func failure<T>(_ body: () throws -> T) -> String {
  do {
    _ = try body()
    return "(no error)"
  } catch let error as DataError {
    return error.description
  } catch {
    return "(not a DataError: \(error))"
  }
}

/// A fresh directory under the system's temporary directory, removed on deinit.
final class TemporaryDirectory {
  let path: String

  init() {
    path = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("idcdata-test-" + UUID().uuidString).path
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  func file(_ name: String) -> String { path + "/" + name }

  deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Runs python3 scripts, for checks against NumPy itself.
enum Python {
  /// True when `python3 -c "import numpy"` succeeds.
  static let hasNumPy: Bool = (try? run("import numpy")) != nil

  /// Runs `script` with `arguments` (`sys.argv[1...]`); returns stdout.
  /// Throws when python3 is missing or exits non-zero (with its stderr).
  @discardableResult
  static func run(_ script: String, arguments: [String] = []) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script] + arguments
    let output = Pipe(), errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let out = output.fileHandleForReading.readDataToEndOfFile()
    let err = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw PythonFailure(message: String(decoding: err, as: UTF8.self))
    }
    return String(decoding: out, as: UTF8.self)
  }

  struct PythonFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { "python3 failed: \(message)" }
  }
}
