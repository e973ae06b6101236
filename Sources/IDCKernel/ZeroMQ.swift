import CZeroMQ
import Foundation

/// A ZeroMQ failure: the call that failed and `zmq_strerror` of its errno.
public struct ZeroMQError: Error, CustomStringConvertible, Sendable {
  public let call: String
  public let code: Int32
  public var description: String { "\(call): \(String(cString: zmq_strerror(code)))" }

  static func last(_ call: String) -> ZeroMQError { ZeroMQError(call: call, code: zmq_errno()) }
}

/// One ZeroMQ context per kernel; sockets are made from it.
final class ZeroMQContext: @unchecked Sendable {
  let handle: UnsafeMutableRawPointer

  init() throws(ZeroMQError) {
    guard let handle = zmq_ctx_new() else { throw .last("zmq_ctx_new") }
    self.handle = handle
  }

  /// Makes blocking calls on its sockets return (`ETERM`).
  func shutdown() { zmq_ctx_shutdown(handle) }

  /// Ends the context once every socket is closed (`zmq_ctx_term` waits for their linger).
  func terminate() { zmq_ctx_term(handle) }
}

/// A ZeroMQ socket that sends and receives multipart messages (lists of frames).
///
/// ZeroMQ sockets are not thread-safe: each is used by one thread at a time. The kernel gives
/// every socket to one thread, except IOPub, which ``JupyterChannels`` guards with a lock.
final class ZeroMQSocket: @unchecked Sendable {
  enum Kind {
    case router, publisher, reply
    var raw: Int32 {
      switch self {
      case .router: ZMQ_ROUTER
      case .publisher: ZMQ_PUB
      case .reply: ZMQ_REP
      }
    }
  }

  let handle: UnsafeMutableRawPointer
  let endpoint: String

  /// A socket of `kind` bound to `endpoint` (`tcp://127.0.0.1:5555`, `ipc://path`). Linger is
  /// one second, so replies sent just before a shutdown still go out.
  init(_ context: ZeroMQContext, _ kind: Kind, bind endpoint: String) throws(ZeroMQError) {
    guard let handle = zmq_socket(context.handle, kind.raw) else { throw .last("zmq_socket") }
    self.handle = handle
    self.endpoint = endpoint
    var linger: Int32 = 1000
    zmq_setsockopt(handle, ZMQ_LINGER, &linger, MemoryLayout<Int32>.size)
    if kind == .router {
      // A client that reconnects with the same identity takes over its route (ipykernel does too).
      var handover: Int32 = 1
      zmq_setsockopt(handle, ZMQ_ROUTER_HANDOVER, &handover, MemoryLayout<Int32>.size)
    }
    guard zmq_bind(handle, endpoint) == 0 else {
      let error = ZeroMQError.last("zmq_bind \(endpoint)")
      zmq_close(handle)
      throw error
    }
  }

  func close() { zmq_close(handle) }

  /// Sends the frames as one multipart message.
  func send(_ frames: [[UInt8]]) throws(ZeroMQError) {
    for (i, frame) in frames.enumerated() {
      let flags = i == frames.count - 1 ? 0 : ZMQ_SNDMORE
      let sent = frame.withUnsafeBytes { zmq_send(handle, $0.baseAddress, $0.count, flags) }
      guard sent >= 0 else { throw .last("zmq_send") }
    }
  }

  /// Waits up to `milliseconds` (−1: forever) for a message to read.
  func waitForInput(milliseconds: Int) -> Bool {
    var item = zmq_pollitem_t(socket: handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0)
    let ready = zmq_poll(&item, 1, milliseconds)
    return ready > 0 && item.revents & Int16(ZMQ_POLLIN) != 0
  }

  /// Receives one multipart message, or nil when none arrives within `milliseconds`.
  func receive(milliseconds: Int = -1) throws(ZeroMQError) -> [[UInt8]]? {
    guard waitForInput(milliseconds: milliseconds) else { return nil }
    var frames: [[UInt8]] = []
    while true {
      var message = zmq_msg_t()
      zmq_msg_init(&message)
      defer { zmq_msg_close(&message) }
      guard zmq_msg_recv(&message, handle, 0) >= 0 else {
        if zmq_errno() == EINTR { continue }
        throw .last("zmq_msg_recv")
      }
      let size = zmq_msg_size(&message)
      if size == 0 {
        frames.append([])
      } else {
        let bytes = zmq_msg_data(&message)!.assumingMemoryBound(to: UInt8.self)
        frames.append(Array(UnsafeBufferPointer(start: bytes, count: size)))
      }
      if zmq_msg_more(&message) == 0 { break }
    }
    return frames
  }

  /// Echoes every message back (the heartbeat). Never returns while the context lives.
  func echoForever() {
    while true {
      var message = zmq_msg_t()
      zmq_msg_init(&message)
      let received = zmq_msg_recv(&message, handle, 0)
      if received < 0 {
        zmq_msg_close(&message)
        if zmq_errno() == EINTR { continue }
        return
      }
      if zmq_msg_send(&message, handle, 0) < 0 { zmq_msg_close(&message) }
    }
  }
}
