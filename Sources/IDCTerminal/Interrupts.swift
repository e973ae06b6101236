import CEditLine

/// Ctrl-C for the REPL and for long commands: a SIGINT handler that only counts.
///
/// The handler (in C, as in Lua's `lua.c` and gnuplot) increments a counter and does nothing
/// else, so long work notices the interrupt at its next poll of ``isCancelled`` — once per
/// iteration or block — and stops with its partial result (STYLE.md, example 5). The one
/// exception is the escape hatch for work that never polls: a **second** Ctrl-C while a command
/// runs (between ``beginCommand()`` and ``endCommand()``) restores the terminal settings saved
/// by ``install()``, writes `idc: interrupted twice, exiting` to stderr and ends the process
/// with `_exit(130)`.
///
/// At the prompt, ``LineEditor/readLine(prompt:)`` clears the count and turns a Ctrl-C into
/// ``LineResult/interrupted``; it never ends the process.
///
/// Typical use by the evaluator:
/// ```swift
/// Interrupts.install()
/// Interrupts.beginCommand()
/// defer { Interrupts.endCommand() }
/// let monitor = WorkMonitor(isCancelled: Interrupts.isCancelled, progress: bar.report)
/// ```
public enum Interrupts {
  /// Installs the SIGINT handler (with `SA_RESTART`) once per process; later calls do nothing.
  /// ``LineEditor`` installs it too.
  public static func install() {
    idc_interrupts_install()
  }

  /// Whether ``install()`` has run in this process.
  public static var isInstalled: Bool {
    idc_interrupts_installed() != 0
  }

  /// A command starts: the count goes to 0 and a second Ctrl-C from now on ends the process.
  public static func beginCommand() {
    idc_interrupts_begin_command()
  }

  /// The command ended (normally, with an error, or interrupted): a second Ctrl-C no longer
  /// ends the process. The count is kept so the caller can still ask ``isInterrupted``.
  public static func endCommand() {
    idc_interrupts_end_command()
  }

  /// Whether Ctrl-C was pressed since the last ``beginCommand()`` (or prompt).
  public static var isInterrupted: Bool {
    idc_interrupts_count() >= 1
  }

  /// The number of Ctrl-C since the last ``beginCommand()`` (or prompt).
  public static var count: Int {
    Int(idc_interrupts_count())
  }

  /// Counts an interrupt exactly as Ctrl-C does, from any thread and without a signal (the
  /// Jupyter kernel's `interrupt_request`). Never ends the process.
  public static func request() {
    idc_interrupts_request()
  }

  /// Forgets interrupts received so far without starting a command.
  public static func clear() {
    idc_interrupts_clear()
  }

  /// ``isInterrupted`` as a closure for `WorkMonitor(isCancelled:progress:)`; safe to call from
  /// any thread (one atomic load).
  public static let isCancelled: @Sendable () -> Bool = { idc_interrupts_count() >= 1 }
}
