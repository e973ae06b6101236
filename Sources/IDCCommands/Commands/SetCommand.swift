import Foundation
import IDCLang

/// `set`: session options.
enum SetCommand: IDCCommand {
  static let spec = CommandSpec(
    name: "set",
    abstract: "Set session options: seed, output directory, echo, plot terminal, timing.",
    parameters: [
      .int("seed", help: "default seed of every random step"),
      .path("outdir", help: "directory for plots, journals and exports (created if missing)"),
      .bool("echo", help: "print each statement before its output"),
      .choice("plot", ["dumb", "sixelgd", "window", "png", "svg"], help: "where plots without to= go"),
      .bool("timing", help: "print how long each command took"),
    ],
    examples: ["set seed=1", "set outdir=\"out\" echo=true", "set plot=sixelgd"])

  static func run(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    var o = context.workspace.options
    if let seed = args.int("seed") { o.seed = seed }
    if let dir = args.string("outdir") {
      do {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
      } catch {
        throw args.error("cannot create '\(dir)': \((error as NSError).localizedDescription)", at: "outdir")
      }
      o.outputDirectory = dir
    }
    if let echo = args.bool("echo") { o.echo = echo }
    if let plot = args.string("plot") { o.plotTerminal = plot }
    if let timing = args.bool("timing") { o.timing = timing }
    guard !args.entries.values.allSatisfy(\.isDefault) else {
      throw args.error("nothing to set", help: "options: seed, outdir, echo, plot, timing (see 'show options')")
    }
    context.workspace.options = o
    return nil
  }
}
