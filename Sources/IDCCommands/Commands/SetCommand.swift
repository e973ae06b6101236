import Foundation
import IDCCore
import IDCLang

/// `set`: session options.
enum SetCommand: IDCCommand {
  static let spec = CommandSpec(
    name: "set",
    abstract: "Set session options: seed, output directory, echo, plot terminal, timing, threads.",
    parameters: specs(seed, outdir, echo, plot, timing, threads),
    examples: ["set seed=1", "set outdir=\"out\" echo=true", "set plot=sixelgd", "set threads=1"])
  static let seed: Parameter<Int?> = .int("seed", help: "default seed of every random step")
  static let outdir: Parameter<String?> = .path("outdir", help: "directory for plots, journals and exports (created if missing)")
  static let echo: Parameter<Bool?> = .bool("echo", help: "print each statement before its output")
  static let plot: Parameter<PlotTerminal?> = .choice("plot", of: PlotTerminal.self, help: "where plots without to= go")
  static let timing: Parameter<Bool?> = .bool("timing", help: "print how long each command took and its peak resident memory")
  static let threads: Parameter<Int?> = .int("threads", help: "threads for OpenBLAS and idc's own loops (see 'show blas')")
  static let transcript = Transcript.recorded
  static let howToMake: String? = nil

  static func partialResult(of interruption: Interrupted, _ args: BoundArguments, _ context: CommandContext) -> PartialResult? { nil }

  static func run(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    var o = context.workspace.options
    if let seed = args[seed] { o.seed = seed }
    if let dir = args[outdir] {
      do {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
      } catch {
        throw args.error("cannot create '\(dir)': \((error as NSError).localizedDescription)", at: outdir)
      }
      o.outputDirectory = dir
    }
    if let echo = args[echo] { o.echo = echo }
    if let plot = args[plot] { o.plotTerminal = plot }
    if let timing = args[timing] { o.timing = timing }
    if let n = args[threads] {
      guard (1...1024).contains(n) else { throw args.error("threads must be between 1 and 1024, got \(n)", at: threads) }
      Parallelism.setThreads(n)
    }
    guard !args.entries.values.allSatisfy(\.isDefault) else {
      throw args.error("nothing to set", help: "options: seed, outdir, echo, plot, timing, threads (see 'show options')")
    }
    context.workspace.options = o
    return nil
  }
}
