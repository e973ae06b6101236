#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// One running `gnuplot` child with its three standard streams on pipes.
///
/// Started with `posix_spawn` in its own process group (so Ctrl-C in idc
/// does not reach it) with default signal handling. All three pipe ends kept
/// by idc are non-blocking and are serviced together by `poll`, so a large
/// script is written while gnuplot's output is read — neither side can fill
/// a pipe and wait on the other. Writes block `SIGPIPE` for the calling
/// thread and take a dead reader as `EPIPE`, so a crashed gnuplot never kills
/// idc. Not thread-safe: ``GnuplotSession`` owns it.
final class GnuplotProcess {
  /// Bytes read from gnuplot so far during one exchange.
  struct Transcript {
    var output: [UInt8] = []
    var errors: [UInt8] = []
  }

  /// Why an exchange ended early.
  enum Failure: Error {
    /// The process is gone: its exit status, and the last lines it wrote to
    /// standard error.
    case exited(status: String, lastWords: String)
    case timedOut
  }

  let pid: pid_t
  private var input: Int32
  private var output: Int32
  private var errors: Int32
  /// How the process ended, once it has been reaped.
  private(set) var exitStatus: String?

  /// Starts `executable` with no arguments.
  ///
  /// - Throws: ``PlotError/launchFailed(path:reason:)`` when pipes or
  ///   `posix_spawn` fail.
  init(executable: String) throws(PlotError) {
    var stdinPipe: [Int32] = [-1, -1], stdoutPipe: [Int32] = [-1, -1], stderrPipe: [Int32] = [-1, -1]
    guard makePipe(&stdinPipe) else { throw GnuplotProcess.launchError(executable, errno) }
    guard makePipe(&stdoutPipe) else {
      let code = errno
      stdinPipe.forEach(closeDescriptor)
      throw GnuplotProcess.launchError(executable, code)
    }
    guard makePipe(&stderrPipe) else {
      let code = errno
      (stdinPipe + stdoutPipe).forEach(closeDescriptor)
      throw GnuplotProcess.launchError(executable, code)
    }

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, stdinPipe[0], 0)
    posix_spawn_file_actions_adddup2(&actions, stdoutPipe[1], 1)
    posix_spawn_file_actions_adddup2(&actions, stderrPipe[1], 2)

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var emptyMask = sigset_t()
    sigemptyset(&emptyMask)
    posix_spawnattr_setsigmask(&attributes, &emptyMask)
    var defaulted = sigset_t()
    sigemptyset(&defaulted)
    for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP] { sigaddset(&defaulted, signal) }
    posix_spawnattr_setsigdefault(&attributes, &defaulted)
    posix_spawnattr_setpgroup(&attributes, 0)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    let arguments: [UnsafeMutablePointer<CChar>?] = [strdup("gnuplot"), nil]
    let environment: [UnsafeMutablePointer<CChar>?] =
      ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { (arguments + environment).forEach { free($0) } }

    var child = pid_t()
    let status = posix_spawn(&child, executable, &actions, &attributes, arguments, environment)
    [stdinPipe[0], stdoutPipe[1], stderrPipe[1]].forEach(closeDescriptor)
    guard status == 0 else {
      [stdinPipe[1], stdoutPipe[0], stderrPipe[0]].forEach(closeDescriptor)
      throw GnuplotProcess.launchError(executable, status)
    }
    pid = child
    input = stdinPipe[1]
    output = stdoutPipe[0]
    errors = stderrPipe[0]
    for fd in [input, output, errors] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
  }

  deinit {
    close()
  }

  /// Whether the process is still running (reaps it if it has ended).
  var isAlive: Bool {
    if exitStatus != nil { return false }
    var status: Int32 = 0
    let result = waitpid(pid, &status, WNOHANG)
    if result == 0 { return true }
    exitStatus = result == pid ? GnuplotProcess.describe(status: status) : "already reaped"
    return false
  }

  /// Writes `payload` while reading both output streams, until `isComplete`
  /// accepts the transcript.
  ///
  /// - Throws: ``Failure/exited(status:lastWords:)`` when gnuplot closes a
  ///   stream or its input (it died), ``Failure/timedOut`` at `deadline`.
  func exchange(
    _ payload: [UInt8],
    deadline: ContinuousClock.Instant,
    isComplete: (Transcript) -> Bool
  ) throws(Failure) -> Transcript {
    var transcript = Transcript()
    var written = 0
    var buffer = [UInt8](repeating: 0, count: 65536)
    while !isComplete(transcript) {
      let remaining = ContinuousClock.now.duration(to: deadline)
      guard remaining > .zero else { throw .timedOut }
      let milliseconds = Int32(min(1000, max(1, remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000)))
      var descriptors = [pollfd(fd: output, events: Int16(POLLIN), revents: 0), pollfd(fd: errors, events: Int16(POLLIN), revents: 0)]
      if written < payload.count { descriptors.append(pollfd(fd: input, events: Int16(POLLOUT), revents: 0)) }
      let ready = poll(&descriptors, nfds_t(descriptors.count), milliseconds)
      if ready < 0 {
        if errno == EINTR { continue }
        throw died(transcript)
      }
      for descriptor in descriptors where descriptor.revents != 0 {
        if descriptor.fd == input {
          let count = payload.withUnsafeBytes { bytes in
            writeWithoutSIGPIPE(bytes.baseAddress! + written, min(65536, payload.count - written))
          }
          if count > 0 { written += count } else if count < 0, errno != EAGAIN, errno != EINTR { throw died(transcript) }
          continue
        }
        let count = read(descriptor.fd, &buffer, buffer.count)
        if count > 0 {
          if descriptor.fd == output {
            transcript.output.append(contentsOf: buffer[0..<count])
          } else {
            transcript.errors.append(contentsOf: buffer[0..<count])
          }
        } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
          throw died(transcript)
        }
      }
    }
    return transcript
  }

  /// Kills the process (`SIGKILL`) and reaps it.
  func terminate() {
    if exitStatus == nil {
      kill(pid, SIGKILL)
      reap()
    }
    closeDescriptors()
  }

  /// Closes gnuplot's input so it exits, waits up to one second, then kills it.
  func close() {
    if input >= 0 { closeDescriptor(input); input = -1 }
    var waited = 0
    while isAlive && waited < 100 {
      usleep(10_000)
      waited += 1
    }
    terminate()
  }

  /// The failure for a process that stopped talking: drains what is left of
  /// standard error for a moment, reaps the process and keeps its last words.
  private func died(_ transcript: Transcript) -> Failure {
    var errorsText = transcript.errors
    var buffer = [UInt8](repeating: 0, count: 4096)
    let until = ContinuousClock.now + .milliseconds(500)
    while ContinuousClock.now < until {
      var descriptor = pollfd(fd: errors, events: Int16(POLLIN), revents: 0)
      guard poll(&descriptor, 1, 50) > 0 else { continue }
      let count = read(errors, &buffer, buffer.count)
      if count <= 0 { break }
      errorsText.append(contentsOf: buffer[0..<count])
    }
    var waited = 0
    while isAlive && waited < 50 {
      usleep(10_000)
      waited += 1
    }
    if isAlive { kill(pid, SIGKILL); reap() }
    closeDescriptors()
    let lines = String(decoding: errorsText, as: UTF8.self).split(separator: "\n")
      .map { $0.trimmingWhitespace() }
      .filter { !$0.isEmpty && !$0.hasPrefix("IDC_") }
    return .exited(status: exitStatus ?? "unknown status", lastWords: lines.suffix(2).joined(separator: "; "))
  }

  private func reap() {
    var status: Int32 = 0
    var result: pid_t
    repeat { result = waitpid(pid, &status, 0) } while result < 0 && errno == EINTR
    exitStatus = result == pid ? GnuplotProcess.describe(status: status) : "already reaped"
  }

  private func closeDescriptors() {
    for fd in [input, output, errors] where fd >= 0 { closeDescriptor(fd) }
    input = -1
    output = -1
    errors = -1
  }

  /// `write(2)` with `SIGPIPE` blocked for this thread; a signal raised by a
  /// write to a closed pipe is consumed, and the write fails with `EPIPE`.
  private func writeWithoutSIGPIPE(_ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    var pipeSignal = sigset_t()
    sigemptyset(&pipeSignal)
    sigaddset(&pipeSignal, SIGPIPE)
    var previous = sigset_t()
    pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous)
    let result = write(input, bytes, count)
    let code = errno
    if result < 0, code == EPIPE, sigismember(&previous, SIGPIPE) == 0 {
      var pending = sigset_t()
      sigpending(&pending)
      if sigismember(&pending, SIGPIPE) == 1 {
        var noWait = timespec(tv_sec: 0, tv_nsec: 0)
        _ = sigtimedwait(&pipeSignal, nil, &noWait)
      }
    }
    pthread_sigmask(SIG_SETMASK, &previous, nil)
    errno = code
    return result
  }

  /// "exit status N" or "killed by signal N" for a `waitpid` status.
  static func describe(status: Int32) -> String {
    let signal = status & 0x7f
    if signal == 0 { return "exit status \((status >> 8) & 0xff)" }
    let name = [SIGKILL: "SIGKILL", SIGSEGV: "SIGSEGV", SIGABRT: "SIGABRT", SIGTERM: "SIGTERM", SIGBUS: "SIGBUS"][signal]
    return "killed by signal \(signal)" + (name.map { " (\($0))" } ?? "")
  }

  private static func launchError(_ path: String, _ code: Int32) -> PlotError {
    .launchFailed(path: path, reason: String(cString: strerror(code)))
  }
}

/// `close(2)`, out of the reach of ``GnuplotProcess/close()``'s name.
private func closeDescriptor(_ fd: Int32) {
  _ = close(fd)
}

/// `pipe(2)` with both ends close-on-exec, so other children of idc do not
/// inherit them (`pipe2` is not exported to Swift on glibc).
private func makePipe(_ ends: inout [Int32]) -> Bool {
  guard pipe(&ends) == 0 else { return false }
  for fd in ends { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
  return true
}
