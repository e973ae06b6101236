import Foundation

/// The kernel's five sockets (Jupyter messaging, "Introduction"): shell, control and stdin
/// (ROUTER), iopub (PUB) and heartbeat (REP), bound as the connection file says; and sending
/// signed messages on them.
///
/// Threads: shell and stdin belong to the main (execution) thread, control to the control
/// thread, heartbeat to its own thread; iopub is shared and sends under a lock.
final class JupyterChannels: @unchecked Sendable {
  let context: ZeroMQContext
  let shell: ZeroMQSocket
  let control: ZeroMQSocket
  let stdin: ZeroMQSocket
  let iopub: ZeroMQSocket
  let heartbeat: ZeroMQSocket
  let signer: MessageSigner
  /// This kernel's session id, in the header of every message it sends.
  let session = UUID().uuidString.lowercased()
  private let iopubLock = NSLock()
  /// Where refused messages and send failures are reported (the kernel's stderr, which
  /// Jupyter shows in its log).
  let log: @Sendable (String) -> Void

  init(_ connection: ConnectionFile, log: @escaping @Sendable (String) -> Void) throws {
    context = try ZeroMQContext()
    shell = try ZeroMQSocket(context, .router, bind: connection.endpoint(connection.shellPort))
    control = try ZeroMQSocket(context, .router, bind: connection.endpoint(connection.controlPort))
    stdin = try ZeroMQSocket(context, .router, bind: connection.endpoint(connection.stdinPort))
    iopub = try ZeroMQSocket(context, .publisher, bind: connection.endpoint(connection.iopubPort))
    heartbeat = try ZeroMQSocket(context, .reply, bind: connection.endpoint(connection.heartbeatPort))
    signer = MessageSigner(key: connection.key)
    self.log = log
  }

  /// A message of `type` in reply to (or caused by) `parent`, sent to `identities`.
  func message(_ type: String, content: JSON, parent: KernelMessage?, identities: [[UInt8]], metadata: JSON = [:]) -> KernelMessage {
    KernelMessage(identities: identities, header: KernelMessage.header(type: type, session: session),
                  parentHeader: parent?.header ?? [:], metadata: metadata, content: content, buffers: [])
  }

  /// Sends `<type>` to the client that sent `request`, on `socket` (shell or control).
  func reply(_ type: String, _ content: JSON, to request: KernelMessage, on socket: ZeroMQSocket, metadata: JSON = [:]) {
    send(message(type, content: content, parent: request, identities: request.identities, metadata: metadata), on: socket)
  }

  /// Publishes on iopub, the topic being the message type.
  func publish(_ type: String, _ content: JSON, parent: KernelMessage?) {
    let msg = message(type, content: content, parent: parent, identities: [Array(type.utf8)])
    iopubLock.withLock { send(msg, on: iopub) }
  }

  func publishStatus(_ state: String, parent: KernelMessage?) {
    publish("status", ["execution_state": .string(state)], parent: parent)
  }

  func send(_ message: KernelMessage, on socket: ZeroMQSocket) {
    do {
      try socket.send(message.encode(signer: signer))
    } catch {
      log("idc kernel: could not send \(message.type): \(error)")
    }
  }

  /// Receives and decodes one message from `socket`; a malformed or wrongly signed one is
  /// logged and dropped (nil), as is a timeout.
  func receive(on socket: ZeroMQSocket, milliseconds: Int) -> KernelMessage? {
    let frames: [[UInt8]]
    do {
      guard let received = try socket.receive(milliseconds: milliseconds) else { return nil }
      frames = received
    } catch {
      log("idc kernel: receive failed: \(error)")
      return nil
    }
    do throws(KernelMessage.DecodingError) {
      return try KernelMessage.decode(frames, signer: signer)
    } catch {
      log("idc kernel: refused a message on \(socket.endpoint): \(error)")
      return nil
    }
  }

  /// Closes the sockets and ends the context. The heartbeat thread's blocking receive returns
  /// when the context shuts down, and that thread closes its own socket; terminating waits
  /// for it (and for unsent messages, up to the linger time).
  func close() {
    for socket in [shell, control, stdin, iopub] { socket.close() }
    context.shutdown()
    context.terminate()
  }
}
