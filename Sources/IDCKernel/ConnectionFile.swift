import Foundation

/// The connection file a Jupyter client writes for a kernel it starts
/// (jupyter_client's `write_connection_file`): where to bind the five sockets and the key
/// that signs every message.
public struct ConnectionFile: Decodable, Sendable {
  public var transport: String
  public var ip: String
  public var shellPort: Int
  public var iopubPort: Int
  public var stdinPort: Int
  public var controlPort: Int
  public var heartbeatPort: Int
  public var key: String
  public var signatureScheme: String

  enum CodingKeys: String, CodingKey {
    case transport, ip, key
    case shellPort = "shell_port", iopubPort = "iopub_port", stdinPort = "stdin_port"
    case controlPort = "control_port", heartbeatPort = "hb_port", signatureScheme = "signature_scheme"
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    transport = try c.decodeIfPresent(String.self, forKey: .transport) ?? "tcp"
    ip = try c.decodeIfPresent(String.self, forKey: .ip) ?? "127.0.0.1"
    shellPort = try c.decode(Int.self, forKey: .shellPort)
    iopubPort = try c.decode(Int.self, forKey: .iopubPort)
    stdinPort = try c.decode(Int.self, forKey: .stdinPort)
    controlPort = try c.decode(Int.self, forKey: .controlPort)
    heartbeatPort = try c.decode(Int.self, forKey: .heartbeatPort)
    key = try c.decodeIfPresent(String.self, forKey: .key) ?? ""
    signatureScheme = try c.decodeIfPresent(String.self, forKey: .signatureScheme) ?? "hmac-sha256"
  }

  /// Reads and checks a connection file.
  public static func read(path: String) throws -> ConnectionFile {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw KernelError("cannot read the connection file '\(path)'")
    }
    let file: ConnectionFile
    do {
      file = try JSONDecoder().decode(ConnectionFile.self, from: data)
    } catch {
      throw KernelError("'\(path)' is not a Jupyter connection file: \(error)")
    }
    guard ["tcp", "ipc"].contains(file.transport) else { throw KernelError("unknown transport '\(file.transport)' in '\(path)'") }
    guard file.signatureScheme == "hmac-sha256" || file.key.isEmpty else {
      throw KernelError("signature scheme '\(file.signatureScheme)' is not supported (only hmac-sha256)")
    }
    return file
  }

  /// The ZeroMQ endpoint of a port: `tcp://IP:PORT`, or `ipc://IP-PORT` as jupyter_client names them.
  public func endpoint(_ port: Int) -> String {
    transport == "ipc" ? "ipc://\(ip)-\(port)" : "tcp://\(ip):\(port)"
  }
}

/// A kernel failure worth a plain message (bad connection file, a socket that cannot bind).
public struct KernelError: Error, CustomStringConvertible, Sendable {
  public let description: String
  public init(_ description: String) { self.description = description }
}
