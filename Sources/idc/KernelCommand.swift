import ArgumentParser
import Foundation
import IDCKernel

/// `idc kernel CONNECTION_FILE` (what Jupyter runs) and `idc kernel install`.
struct Kernel: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "The idc Jupyter kernel: serve a notebook (Jupyter starts it), or install its kernel spec.",
    subcommands: [Serve.self, Install.self],
    defaultSubcommand: Serve.self)

  struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "serve", abstract: "Serve the Jupyter messaging protocol on the sockets a connection file names.")
    @ArgumentParser.Argument(help: "The connection file Jupyter wrote ({connection_file} in kernel.json).") var connectionFile: String

    func run() throws {
      do {
        let kernel = try JupyterKernel(connectionFile: connectionFile)
        throw ExitCode(kernel.run())
      } catch let error as KernelError {
        FileHandle.standardError.write(Data("idc kernel: \(error)\n".utf8))
        throw ExitCode(66)
      } catch let error as ZeroMQError {
        FileHandle.standardError.write(Data("idc kernel: \(error)\n".utf8))
        throw ExitCode(69)
      }
    }
  }

  struct Install: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Install the kernel spec (kernel.json and logos) where Jupyter finds it.",
      discussion: "Without --user or --prefix, into the system directory /usr/local/share/jupyter/kernels/NAME.")
    @Flag(name: .long, help: "Install for this user (~/.local/share/jupyter/kernels, or $JUPYTER_DATA_DIR/kernels).") var user = false
    @Option(name: .long, help: "Install into DIR/share/jupyter/kernels (a venv's or conda environment's prefix).") var prefix: String?
    @Option(name: .long, help: "The kernel's name (its directory).") var name = "idc"
    @Option(name: .long, help: "The name notebooks show for the kernel.") var displayName = "idc"

    func validate() throws {
      guard KernelSpec.isValidName(name) else { throw ValidationError("'\(name)' is not a kernel name: use letters, digits, '.', '_' and '-'") }
      if user && prefix != nil { throw ValidationError("give --user or --prefix, not both") }
    }

    func run() throws {
      var spec = KernelSpec(executable: KernelSpec.currentExecutable())
      spec.name = name
      spec.displayName = displayName
      let directory = KernelSpec.directory(name: name, user: user, prefix: prefix)
      do {
        try spec.install(into: directory)
      } catch {
        FileHandle.standardError.write(Data("idc kernel install: \(error)\n".utf8))
        throw ExitCode(73)
      }
      print("Installed kernelspec \(name) in \(directory)")
    }
  }
}
