import Foundation

/// One Jupyter message (messaging protocol 5.3): routing identities, header, parent header,
/// metadata, content and binary buffers.
public struct KernelMessage: Sendable {
  public var identities: [[UInt8]]
  public var header: JSON
  public var parentHeader: JSON
  public var metadata: JSON
  public var content: JSON
  public var buffers: [[UInt8]]

  public var type: String { header["msg_type"]?.string ?? "" }
  public var id: String { header["msg_id"]?.string ?? "" }

  public static let protocolVersion = "5.3"
  static let delimiter = Array("<IDS|MSG>".utf8)

  /// Why a received message was refused.
  public enum DecodingError: Error, CustomStringConvertible, Equatable, Sendable {
    case noDelimiter
    case tooFewFrames(Int)
    case badSignature
    case notJSON(part: String)
    case noMessageType

    public var description: String {
      switch self {
      case .noDelimiter: "no <IDS|MSG> delimiter"
      case .tooFewFrames(let n): "\(n) frames after the delimiter, 5 needed (signature, header, parent, metadata, content)"
      case .badSignature: "the signature does not match (wrong key, or a tampered message)"
      case .notJSON(let part): "the \(part) is not a JSON object"
      case .noMessageType: "the header has no msg_type"
      }
    }
  }

  /// Decodes the frames of a received message, verifying the signature on the bytes received.
  public static func decode(_ frames: [[UInt8]], signer: MessageSigner) throws(DecodingError) -> KernelMessage {
    guard let split = frames.firstIndex(of: delimiter) else { throw .noDelimiter }
    let rest = Array(frames[(split + 1)...])
    guard rest.count >= 5 else { throw .tooFewFrames(rest.count) }
    guard signer.verify(rest[0], Array(rest[1...4])) else { throw .badSignature }
    func object(_ bytes: [UInt8], _ part: String) throws(DecodingError) -> JSON {
      guard let value = try? JSON.parse(bytes), case .object = value else { throw .notJSON(part: part) }
      return value
    }
    let header = try object(rest[1], "header")
    guard header["msg_type"]?.string != nil else { throw .noMessageType }
    return KernelMessage(identities: Array(frames[..<split]), header: header, parentHeader: try object(rest[2], "parent header"),
                         metadata: try object(rest[3], "metadata"), content: try object(rest[4], "content"),
                         buffers: Array(rest.dropFirst(5)))
  }

  /// The frames to send, signed.
  public func encode(signer: MessageSigner) -> [[UInt8]] {
    let parts = [header.encoded, parentHeader.encoded, metadata.encoded, content.encoded]
    return identities + [Self.delimiter, Array(signer.signature(parts).utf8)] + parts + buffers
  }

  /// A new header for a message this kernel sends.
  static func header(type: String, session: String) -> JSON {
    [
      "msg_id": .string(UUID().uuidString.lowercased()),
      "session": .string(session),
      "username": "idc",
      "date": .string(timestamp()),
      "msg_type": .string(type),
      "version": .string(protocolVersion),
    ]
  }

  /// ISO 8601 in UTC with microseconds, as Jupyter writes dates.
  static func timestamp(_ date: Date = Date()) -> String {
    let seconds = date.timeIntervalSince1970
    let whole = floor(seconds)
    var time = time_t(whole)
    var parts = tm()
    gmtime_r(&time, &parts)
    let micro = Int((seconds - whole) * 1_000_000)
    return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                  Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), micro)
  }
}
