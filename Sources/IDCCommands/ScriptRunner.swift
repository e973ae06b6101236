import Foundation
import IDCLang

/// Runs a script file top to bottom like a notebook: the first error stops
/// it (unless `keepGoing`), rendered as `file:line:col: error: …` with the
/// line and a caret; returns the process exit code (0, 65 syntax, 70 a failed
/// command, 130 interrupted).
public struct ScriptRunner {
  public var evaluator: Evaluator
  public var keepGoing = false
  public var useColor = false

  public init(evaluator: Evaluator) { self.evaluator = evaluator }

  public func run(file: String, fromCell: String? = nil) -> Int32 {
    let text: String
    do {
      text = try String(contentsOfFile: file, encoding: .utf8)
    } catch {
      evaluator.sinks.diagnostics("idc: cannot read '\(file)': \((error as NSError).localizedDescription)\n")
      return 66
    }
    return run(source: text, file: file, fromCell: fromCell)
  }

  public func run(source: String, file: String, fromCell: String? = nil) -> Int32 {
    var worst: Int32 = 0
    do {
      let program = try evaluator.parse(source, file: file)
      var cell = 0
      if let fromCell {
        do throws(CellLookupError) { cell = try program.cellIndex(for: fromCell) } catch {
          evaluator.sinks.diagnostics("idc: \(error.description)\n")
          return 64
        }
      }
      try evaluator.run(program.statements(fromCell: cell), keepGoing: keepGoing) { failure in
        evaluator.sinks.diagnostics(evaluator.render(failure, useColor: useColor) + "\n")
        worst = max(worst, failure.exitCode)
      }
    } catch let failure as EvaluationFailure {
      evaluator.sinks.diagnostics(evaluator.render(failure, useColor: useColor) + "\n")
      return failure.exitCode
    } catch is QuitRequest {
      return worst
    } catch {
      evaluator.sinks.diagnostics("idc: \(error)\n")
      return 70
    }
    return worst
  }
}
