import Crypto
import Foundation

/// Signs and verifies Jupyter messages: HMAC-SHA256 over the header, parent header, metadata
/// and content frames, as lowercase hex (Jupyter messaging, "The wire protocol").
///
/// With an empty key, messages are neither signed nor checked, as the protocol says.
public struct MessageSigner: Sendable {
  private let keyBytes: [UInt8]

  public init(key: String) {
    keyBytes = Array(key.utf8)
  }

  private var key: SymmetricKey? { keyBytes.isEmpty ? nil : SymmetricKey(data: keyBytes) }

  /// The hex signature of the four frames (empty without a key).
  public func signature(_ frames: [[UInt8]]) -> String {
    guard let key else { return "" }
    var hmac = HMAC<SHA256>(key: key)
    for frame in frames { hmac.update(data: frame) }
    return hmac.finalize().map { String(format: "%02x", $0) }.joined()
  }

  /// Whether `signature` (the hex text received) signs exactly the frames received. The
  /// comparison of the codes is constant-time (`isValidAuthenticationCode`).
  public func verify(_ signature: [UInt8], _ frames: [[UInt8]]) -> Bool {
    guard let key else { return true }
    guard let code = Self.hexBytes(signature), code.count == SHA256.byteCount else { return false }
    var joined: [UInt8] = []
    for frame in frames { joined += frame }
    return HMAC<SHA256>.isValidAuthenticationCode(code, authenticating: joined, using: key)
  }

  /// Bytes of even-length hex text, nil for anything else.
  static func hexBytes(_ text: [UInt8]) -> [UInt8]? {
    guard text.count % 2 == 0 else { return nil }
    func nibble(_ c: UInt8) -> UInt8? {
      switch c {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
      default: nil
      }
    }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.count / 2)
    var i = 0
    while i < text.count {
      guard let high = nibble(text[i]), let low = nibble(text[i + 1]) else { return nil }
      bytes.append(high << 4 | low)
      i += 2
    }
    return bytes
  }
}
