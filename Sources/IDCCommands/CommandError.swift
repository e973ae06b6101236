import IDCCore
import IDCData
import IDCLang

/// A command that could not do its work, with an optional hint for people.
public struct CommandError: Error, Sendable, CustomStringConvertible {
  public var message: String
  public var help: String?
  public init(_ message: String, help: String? = nil) {
    self.message = message
    self.help = help
  }
  public var description: String { message }
}

/// Turns any error a command throws into a located diagnostic.
func diagnostic(for error: any Error, at location: SourceSpan) -> Diagnostic {
  switch error {
  case let d as Diagnostic: return d
  case let e as CommandError: return .error(e.message, at: location, help: e.help)
  case let e as CoreError: return .error(e.message, at: location)
  case let e as DataError: return .error(e.description, at: location)
  default: return .error("\(error)", at: location)
  }
}
