import Foundation

/// `idc kernel install`: a Jupyter kernel spec (`kernel.json` and logos) in the directory
/// where Jupyter looks, as `python -m ipykernel install` writes one.
///
/// Where: `--prefix DIR` → `DIR/share/jupyter/kernels/NAME` (a venv or conda prefix);
/// `--user` → `$JUPYTER_DATA_DIR/kernels/NAME`, else `~/.local/share/jupyter/kernels/NAME`
/// (`~/Library/Jupyter` on macOS); otherwise the system directory
/// `/usr/local/share/jupyter/kernels/NAME` (jupyter_client's first system path).
public struct KernelSpec: Sendable {
  public var name = "idc"
  public var displayName = "idc"
  /// The absolute path of the `idc` executable the spec starts.
  public var executable: String

  public init(executable: String) { self.executable = executable }

  /// The kernel directory for the chosen location.
  public static func directory(name: String, user: Bool, prefix: String?,
                               environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
    if let prefix { return (prefix as NSString).expandingTildeInPath + "/share/jupyter/kernels/" + name }
    if user {
      if let data = environment["JUPYTER_DATA_DIR"], !data.isEmpty { return data + "/kernels/" + name }
      let home = environment["HOME"] ?? NSHomeDirectory()
      #if os(macOS)
        return home + "/Library/Jupyter/kernels/" + name
      #else
        return (environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.local/share") + "/jupyter/kernels/" + name
      #endif
    }
    return "/usr/local/share/jupyter/kernels/" + name
  }

  /// The `kernel.json` text: argv with the absolute executable and `{connection_file}`,
  /// the display name, the language, and message-mode interrupts.
  public var json: String {
    let spec: JSON = [
      "argv": [.string(executable), "kernel", "{connection_file}"],
      "display_name": .string(displayName),
      "language": "idc",
      "interrupt_mode": "message",
      "metadata": ["debugger": false],
    ]
    return String(decoding: spec.encoded, as: UTF8.self) + "\n"
  }

  /// A kernel name Jupyter accepts: letters, digits, `.`, `_` and `-`.
  public static func isValidName(_ name: String) -> Bool {
    !name.isEmpty && name.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)) }
  }

  /// Writes `kernel.json`, `logo-32x32.png` and `logo-64x64.png` into `directory` (created).
  public func install(into directory: String) throws {
    let fm = FileManager.default
    do {
      try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
      try Data(json.utf8).write(to: URL(fileURLWithPath: directory + "/kernel.json"))
      for size in [32, 64] {
        try Data(KernelLogo.png(size: size)).write(to: URL(fileURLWithPath: directory + "/logo-\(size)x\(size).png"))
      }
    } catch {
      throw KernelError("cannot install the kernel spec in '\(directory)': \((error as NSError).localizedDescription)")
    }
  }

  /// The running executable's absolute path (`/proc/self/exe` on Linux).
  public static func currentExecutable() -> String {
    if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return resolved }
    let argv0 = CommandLine.arguments.first ?? "idc"
    let url = URL(fileURLWithPath: argv0, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
    return url.standardizedFileURL.path
  }
}
