import Foundation
import Testing

@testable import IDCTerminal

/// glibc's `_Fork` (2.34+): `fork` without the `pthread_atfork` handlers. The test process
/// has OpenBLAS loaded, whose fork handler joins its worker threads and can hang forever when
/// another test is in the middle of a BLAS call (seen: a whole `swift test` stuck in
/// `blas_thread_shutdown_`). The child needs none of those handlers: it only makes
/// async-signal-safe calls.
@_silgen_name("_Fork") private func forkWithoutHandlers() -> pid_t

/// Runs `body` in a forked child with stderr sent to /dev/null and returns its exit status
/// (or 128 + signal). The child only makes async-signal-safe calls.
private func exitStatusOfChild(_ body: () -> Int32) -> Int32 {
  let child = forkWithoutHandlers()
  if child == 0 {
    let null = open("/dev/null", O_WRONLY)
    if null >= 0 { dup2(null, 2) }
    _exit(body())
  }
  var status: Int32 = 0
  while waitpid(child, &status, 0) < 0 && errno == EINTR {}
  let signal = status & 0x7f
  return signal == 0 ? (status >> 8) & 0xff : 128 + signal
}

/// Sends SIGINT to the calling thread with `raise`, unblocking it there for the moment: test
/// runners' worker threads block SIGINT, which would leave the signal pending.
/// Async-signal-safe (usable in a forked child).
private func raiseInterrupt() {
  var interrupt = sigset_t()
  var previous = sigset_t()
  sigemptyset(&interrupt)
  sigaddset(&interrupt, SIGINT)
  pthread_sigmask(SIG_UNBLOCK, &interrupt, &previous)
  raise(SIGINT)
  pthread_sigmask(SIG_SETMASK, &previous, nil)
}

/// Signal state is one per process: these tests run one at a time.
@Suite(.serialized)
struct InterruptsTests {
  @Test func sigintOnlySetsTheFlag() {
    Interrupts.install()
    Interrupts.install()  // idempotent
    #expect(Interrupts.isInstalled)
    Interrupts.beginCommand()
    #expect(!Interrupts.isInterrupted)
    #expect(!Interrupts.isCancelled())
    raiseInterrupt()  // raise(SIGINT): the test process survives: the handler only counts
    #expect(Interrupts.isInterrupted)
    #expect(Interrupts.isCancelled())
    #expect(Interrupts.count == 1)
    Interrupts.endCommand()
    raiseInterrupt()  // no command running: a second one is counted, nothing more
    #expect(Interrupts.count == 2)
    Interrupts.beginCommand()
    #expect(Interrupts.count == 0)
    #expect(!Interrupts.isCancelled())
    Interrupts.endCommand()
    raiseInterrupt()
    Interrupts.clear()
    #expect(!Interrupts.isInterrupted)
  }

  @Test func isCancelledCanBePolledFromWorkerThreads() async {
    Interrupts.install()
    Interrupts.beginCommand()
    defer { Interrupts.endCommand() }
    let poll = Interrupts.isCancelled
    let before = await Task.detached { poll() }.value
    #expect(!before)
    raiseInterrupt()
    let after = await Task.detached { poll() }.value
    #expect(after)
  }

  @Test func secondInterruptDuringACommandEndsTheProcessWith130() {
    Interrupts.install()
    let status = exitStatusOfChild {
      Interrupts.beginCommand()
      raiseInterrupt()
      raiseInterrupt()
      return 0  // not reached
    }
    #expect(status == 130)
    Interrupts.clear()
  }

  @Test func oneInterruptDuringACommandDoesNotEndTheProcess() {
    Interrupts.install()
    let status = exitStatusOfChild {
      Interrupts.beginCommand()
      raiseInterrupt()
      return Interrupts.isInterrupted ? 7 : 8
    }
    #expect(status == 7)
  }

  @Test func interruptsAfterTheCommandEndedDoNotEndTheProcess() {
    Interrupts.install()
    let status = exitStatusOfChild {
      Interrupts.beginCommand()
      raiseInterrupt()
      Interrupts.endCommand()
      raiseInterrupt()
      raiseInterrupt()
      return Int32(Interrupts.count)
    }
    #expect(status == 3)
  }
}
