import Foundation

/// A file (or an array inside one) that idc cannot read, with the reason.
///
/// `path` names what was being read: a file (`digits.features.npy`), a member
/// of an archive (`digits.npz[labels]`), a line or cell of a text file
/// (`table.csv:12` or `table.csv:12:7`, 1-based), or a data-set name. The
/// description is `"path: message"`, the form every layer prints unchanged.
public struct DataError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
  public var path: String
  public var message: String

  public init(path: String, message: String) {
    self.path = path
    self.message = message
  }

  public var description: String { "\(path): \(message)" }
  public var errorDescription: String? { description }
}
