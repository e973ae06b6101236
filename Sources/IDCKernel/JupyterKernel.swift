import Foundation
import IDCCommands
import IDCLang
import IDCTerminal

/// The idc Jupyter kernel (`idc kernel CONNECTION_FILE`): the Jupyter messaging protocol 5.3
/// over ZeroMQ, running one idc session.
///
/// Threads, as in ipykernel:
/// - the main thread reads shell requests and runs cells (one at a time, in order);
/// - the control thread answers `kernel_info`, `interrupt_request` and `shutdown_request`
///   even while a cell runs; an interrupt counts as a Ctrl-C (``Interrupts/request()``), so the
///   running command stops at its next check and keeps its partial result;
/// - the heartbeat thread echoes pings, so a long `tsne` never looks like a dead kernel.
///
/// A SIGINT (the client's `interrupt_mode: signal`) goes through the same counter: the
/// handler only counts, and never ends the kernel (gnuplot runs in its own process group and
/// does not see it). Malformed messages, wrong signatures and unknown message types are
/// logged on stderr and dropped.
public final class JupyterKernel: @unchecked Sendable {
  let channels: JupyterChannels
  let output: KernelOutput
  let answers: KernelAnswerReader
  let session: KernelSession
  private var executionCount = 0
  /// The cells run in this kernel, for `history_request`: (execution count, code).
  private var history: [(Int, String)] = []
  private let stopLock = NSLock()
  private var stopRequested = false
  /// The kernel's session number for `history_reply` (one kernel process, one session).
  static let historySession = 1

  public init(connectionFile path: String) throws {
    let connection = try ConnectionFile.read(path: path)
    channels = try JupyterChannels(connection) { line in
      FileHandle.standardError.write(Data((line + "\n").utf8))
    }
    output = KernelOutput(channels: channels)
    answers = KernelAnswerReader(channels: channels)
    session = KernelSession(output: output, answers: answers)
  }

  /// Serves until a shutdown request; returns the exit code.
  public func run() -> Int32 {
    Interrupts.install()
    let heartbeat = Thread { [channels] in
      channels.heartbeat.echoForever()
      channels.heartbeat.close()
    }
    heartbeat.name = "idc-heartbeat"
    heartbeat.start()
    let controlDone = DispatchSemaphore(value: 0)
    let control = Thread { [self] in
      serveControl()
      controlDone.signal()
    }
    control.name = "idc-control"
    control.start()
    channels.publishStatus("starting", parent: nil)
    while !isStopping {
      guard let request = channels.receive(on: channels.shell, milliseconds: 100) else { continue }
      handleShell(request)
      serveDeferred()
    }
    controlDone.wait()
    session.close()
    channels.close()
    return 0
  }

  var isStopping: Bool { stopLock.withLock { stopRequested } }

  private func requestStop() {
    stopLock.withLock { stopRequested = true }
    // A running command stops at its next check, as on Ctrl-C.
    Interrupts.request()
  }

  // MARK: - Control

  private func serveControl() {
    while !isStopping {
      guard let request = channels.receive(on: channels.control, milliseconds: 100) else { continue }
      channels.publishStatus("busy", parent: request)
      switch request.type {
      case "kernel_info_request":
        channels.reply("kernel_info_reply", kernelInfo, to: request, on: channels.control)
      case "interrupt_request":
        Interrupts.request()
        channels.reply("interrupt_reply", ["status": "ok"], to: request, on: channels.control)
      case "shutdown_request":
        shutdown(request, on: channels.control)
      default:
        refuse(request, on: channels.control)
      }
      channels.publishStatus("idle", parent: request)
    }
  }

  private func shutdown(_ request: KernelMessage, on socket: ZeroMQSocket) {
    let restart = request.content["restart"]?.bool ?? false
    channels.reply("shutdown_reply", ["status": "ok", "restart": .bool(restart)], to: request, on: socket)
    requestStop()
    // A command that never checks for interrupts must not keep the kernel alive forever.
    let watchdog = Thread {
      Thread.sleep(forTimeInterval: 10)
      FileHandle.standardError.write(Data("idc kernel: the running command did not stop within 10 s of the shutdown request; exiting\n".utf8))
      exit(0)
    }
    watchdog.start()
  }

  private func refuse(_ request: KernelMessage, on socket: ZeroMQSocket) {
    channels.log("idc kernel: unknown message type '\(request.type)' on \(socket === channels.shell ? "shell" : "control"); ignored")
  }

  // MARK: - Shell

  private func handleShell(_ request: KernelMessage) {
    channels.publishStatus("busy", parent: request)
    defer { channels.publishStatus("idle", parent: request) }
    let content = request.content
    let shell = channels.shell
    switch request.type {
    case "kernel_info_request":
      channels.reply("kernel_info_reply", kernelInfo, to: request, on: shell)
    case "execute_request":
      execute(request)
    case "complete_request":
      let code = content["code"]?.string ?? ""
      let c = session.complete(code, cursor: content["cursor_pos"]?.int ?? code.unicodeScalars.count)
      channels.reply("complete_reply", ["status": "ok", "matches": .array(c.matches.map(JSON.string)),
                                        "cursor_start": .int(c.start), "cursor_end": .int(c.end), "metadata": [:]],
                     to: request, on: shell)
    case "inspect_request":
      let code = content["code"]?.string ?? ""
      let help = session.inspect(code, cursor: content["cursor_pos"]?.int ?? code.unicodeScalars.count)
      channels.reply("inspect_reply", ["status": "ok", "found": .bool(help != nil),
                                       "data": help.map { ["text/plain": .string($0)] } ?? [:], "metadata": [:]],
                     to: request, on: shell)
    case "is_complete_request":
      let (status, indent) = session.isComplete(content["code"]?.string ?? "")
      var reply: [String: JSON] = ["status": .string(status)]
      if let indent { reply["indent"] = .string(indent) }
      channels.reply("is_complete_reply", .object(reply), to: request, on: shell)
    case "history_request":
      channels.reply("history_reply", ["status": "ok", "history": .array(historyEntries(content))], to: request, on: shell)
    case "comm_info_request":
      channels.reply("comm_info_reply", ["status": "ok", "comms": [:]], to: request, on: shell)
    case "shutdown_request":
      shutdown(request, on: shell)
    case "comm_open", "comm_msg", "comm_close":
      // idc has no comm targets; a comm opened to it is closed again, as the protocol asks.
      if request.type == "comm_open", let id = content["comm_id"] {
        channels.publish("comm_close", ["comm_id": id, "data": [:]], parent: request)
      }
    default:
      refuse(request, on: shell)
    }
  }

  private func execute(_ request: KernelMessage) {
    let content = request.content
    let code = content["code"]?.string ?? ""
    let silent = content["silent"]?.bool ?? false
    let storeHistory = silent ? false : content["store_history"]?.bool ?? true
    if storeHistory { executionCount += 1 }
    let count = executionCount
    if !silent {
      channels.publish("execute_input", ["code": .string(code), "execution_count": .int(count)], parent: request)
    }
    output.begin(request, silent: silent, executionCount: count)
    answers.begin(request, allowStdin: content["allow_stdin"]?.bool ?? false)
    let outcome = session.execute(code, file: storeHistory ? "cell[\(count)]" : "<silent>")
    if storeHistory { history.append((count, code)) }
    switch outcome {
    case .ok:
      channels.reply("execute_reply", ["status": "ok", "execution_count": .int(count), "user_expressions": [:], "payload": []],
                     to: request, on: channels.shell, metadata: ["status": "ok"])
    case .quit:
      channels.reply("execute_reply", ["status": "ok", "execution_count": .int(count), "user_expressions": [:],
                                       "payload": [["source": "ask_exit", "keepkernel": false]]],
                     to: request, on: channels.shell, metadata: ["status": "ok"])
    case .error(let name, let value, let traceback):
      // Requests queued while this cell ran, taken before the reply goes out: a client that
      // reacts to the reply must not have its next request aborted.
      let queued = content["stop_on_error"]?.bool ?? true ? drainShell() : []
      let error: [String: JSON] = ["ename": .string(name), "evalue": .string(value), "traceback": .array(traceback.map(JSON.string))]
      if !silent { channels.publish("error", .object(error), parent: request) }
      var reply = error
      reply["status"] = "error"
      reply["execution_count"] = .int(count)
      channels.reply("execute_reply", .object(reply), to: request, on: channels.shell, metadata: ["status": "error"])
      deferred = queued
    }
  }

  /// Shell requests read after a failed cell, served next (``abortOrServe(_:)``).
  private var deferred: [KernelMessage] = []

  private func drainShell() -> [KernelMessage] {
    var queued: [KernelMessage] = []
    while let request = channels.receive(on: channels.shell, milliseconds: 0) { queued.append(request) }
    return queued
  }

  /// Serves the requests that were queued behind a failed cell: cells are not run (they were
  /// written expecting it to succeed) and get an error reply "Aborted", as ipykernel and
  /// IRkernel abort them (with 'error', not the deprecated 'aborted' status); other requests
  /// are served as usual.
  private func serveDeferred() {
    while !deferred.isEmpty {
      let request = deferred.removeFirst()
      guard request.type == "execute_request" else {
        handleShell(request)
        continue
      }
      channels.publishStatus("busy", parent: request)
      let error: [String: JSON] = ["status": "error", "ename": "Aborted", "evalue": "not run: an earlier cell failed",
                                   "traceback": ["not run: an earlier cell failed"], "execution_count": .int(executionCount)]
      channels.reply("execute_reply", .object(error), to: request, on: channels.shell, metadata: ["status": "error"])
      channels.publishStatus("idle", parent: request)
    }
  }

  private func historyEntries(_ content: JSON) -> [JSON] {
    let withOutput = content["output"]?.bool ?? false
    func shaped(_ e: (Int, String)) -> JSON {
      withOutput ? [.int(Self.historySession), .int(e.0), [.string(e.1), .null]] : [.int(Self.historySession), .int(e.0), .string(e.1)]
    }
    switch content["hist_access_type"]?.string {
    case "tail":
      let n = content["n"]?.int ?? 10
      return history.suffix(max(0, n)).map(shaped)
    case "range":
      let start = content["start"]?.int ?? 0
      let stop = content["stop"]?.int ?? Int.max
      return history.filter { $0.0 >= start && $0.0 < stop }.map(shaped)
    case "search":
      let pattern = content["pattern"]?.string ?? "*"
      var found = history.filter { Self.glob(pattern, matches: $0.1) }
      if content["unique"]?.bool ?? false {
        var seen = Set<String>()
        found = found.reversed().filter { seen.insert($0.1).inserted }.reversed()
      }
      if let n = content["n"]?.int { found = Array(found.suffix(max(0, n))) }
      return found.map(shaped)
    default:
      return []
    }
  }

  /// IPython's history search pattern: `*` any text, `?` one character, the whole input.
  static func glob(_ pattern: String, matches text: String) -> Bool {
    let p = Array(pattern), t = Array(text)
    var memo: [Int: Bool] = [:]
    func match(_ i: Int, _ j: Int) -> Bool {
      if let known = memo[i * (t.count + 1) + j] { return known }
      let result: Bool
      if i == p.count {
        result = j == t.count
      } else if p[i] == "*" {
        result = match(i + 1, j) || (j < t.count && match(i, j + 1))
      } else {
        result = j < t.count && (p[i] == "?" || p[i] == t[j]) && match(i + 1, j + 1)
      }
      memo[i * (t.count + 1) + j] = result
      return result
    }
    return match(0, 0)
  }

  // MARK: - kernel_info

  static let version = IDCVersion.current

  var kernelInfo: JSON {
    var banner = "idc \(Self.version) — interactive deep clustering (IDC, Liu et al., NeurIPS 2024). Type 'help' in a cell for the commands."
    banner += "\n" + (BLASStartup.status.lines.first ?? "")
    if let problem = session.notRecorded {
      banner += "\nThis session is not recorded (\(problem)): a killed kernel cannot be recovered; use 'save' now and then."
    }
    if let crashed = session.crashedSession {
      banner += "\nThe session in \(crashed.path) ended without quitting: run 'recover' to replay its \(crashed.statements) statements."
    }
    return [
      "status": "ok",
      "protocol_version": .string(KernelMessage.protocolVersion),
      "implementation": "idc",
      "implementation_version": .string(Self.version),
      "language_info": [
        "name": "idc",
        "version": .string(Self.version),
        "mimetype": "text/x-idc",
        "file_extension": ".idc",
        "codemirror_mode": "shell",
      ],
      "banner": .string(banner),
      "help_links": [],
      "debugger": false,
    ]
  }
}
