// CEditLine: the small C door to libedit's readline API, the completion trampoline,
// the SIGINT flag and the terminal size (see STYLE.md, example 11).
//
// Swift 6 cannot call variadic C functions (el_set, history) nor touch C globals
// (rl_attempted_completion_function, rl_line_buffer, rl_point, stdin...), so every one
// of those is used here, behind plain functions. Only IDCTerminal imports this module.
//
// All state is process-wide, like libedit's readline emulation itself: one line editor
// per process, driven from one thread.
#ifndef CEDITLINE_H
#define CEDITLINE_H

#ifdef __cplusplus
extern "C" {
#endif

// MARK: - Line editing

/// The outcome of `idc_editline_read`.
typedef enum {
  /// A line was entered (the returned string).
  IDC_READ_LINE = 0,
  /// End of input: Ctrl-D on an empty line, or stdin closed.
  IDC_READ_END_OF_FILE = 1,
  /// Ctrl-C at the prompt: the line was abandoned.
  IDC_READ_INTERRUPTED = 2,
} idc_read_status;

/// Configures libedit's readline emulation once per process and calls `rl_initialize`.
///
/// Sets `rl_readline_name` (the `~/.editrc` program name), `rl_catch_signals = 0` and
/// `rl_catch_sigwinch = 0` (our handlers, not libedit's), `rl_getc_function` (reads keys with
/// poll(2) so a Ctrl-C ends the line, see `idc_editline_read`),
/// `rl_attempted_completion_function` (the completion trampoline),
/// `rl_basic_word_break_characters` and `rl_completer_word_break_characters` (see
/// `idc_completion_word_break_characters`), then installs the SIGINT handler
/// (`idc_interrupts_install`) and SIGWINCH and SIGCONT flag handlers (the key reader then
/// resizes, or re-enters edit mode and redraws after Ctrl-Z and `fg`). LC_CTYPE is set from the environment,
/// or to C.UTF-8 when that is not a UTF-8 locale (libedit drops non-ASCII text otherwise).
/// At a terminal stdin is made unbuffered. Later calls do nothing.
/// Returns 0, or -1 when `rl_initialize` failed.
int idc_editline_initialize(const char *program_name);

/// Reads one line with libedit's `readline(prompt)`.
///
/// Marks the process as "at the prompt" (no command running) and clears the interrupt count
/// first. Ctrl-C makes the key reader echo `^C` and end the line, which is then discarded:
/// `*status` is `IDC_READ_INTERRUPTED` and NULL is returned. On a line, `*status` is
/// `IDC_READ_LINE` and the result (without its newline) must be released with
/// `idc_editline_free`. On end of input a newline is written (ending the prompt's line),
/// `*status` is `IDC_READ_END_OF_FILE` and NULL is returned.
char *idc_editline_read(const char *prompt, idc_read_status *status);

/// Releases a line returned by `idc_editline_read` (calls free(3)).
void idc_editline_free(char *line);

// MARK: - History

/// Bounds the history list to `limit` entries, dropping the oldest (calls `stifle_history`).
void idc_history_limit(int limit);

/// Appends a line to the history list (calls `add_history`).
void idc_history_add(const char *line);

/// Empties the history list (calls `clear_history`).
void idc_history_clear(void);

/// The number of entries in the history list (reads `history_length`).
int idc_history_count(void);

/// Entry `index` (0 = oldest) of the history list, or NULL (calls `history_get`). The pointer
/// is valid until the next history call.
const char *idc_history_entry(int index);

/// Appends the entries of a history file to the list (calls `read_history`).
/// Returns 0 or an errno value (ENOENT when the file does not exist yet).
int idc_history_load(const char *path);

/// Writes the whole list to `path` atomically: `write_history` to `path.tmp-PID`, then
/// rename(2). Returns 0 or an errno value.
int idc_history_save(const char *path);

// MARK: - Completion trampoline

/// The completer the line editor calls on Tab.
///
/// `line` is the whole line (UTF-8), `cursor` the cursor as a UTF-8 offset, and
/// `word_start` the UTF-8 offset where libedit's word (delimited by the word break characters)
/// starts; libedit replaces `line[word_start..<cursor]`. The callback reports each match
/// (already a replacement for that word) with `idc_completion_offer`.
typedef void (*idc_completion_callback)(void *context, const char *line, int cursor, int word_start);

/// Stores the completer and its context pointer (NULL callback: no completion).
void idc_completion_set_callback(idc_completion_callback callback, void *context);

/// Adds one match; only valid while the callback runs. The string is copied.
void idc_completion_offer(const char *match);

/// The word break characters set for idc: space, tab, newline, `=`, `[`, `]`, `,`, `(`,
/// `)`, `{`, `}`.
const char *idc_completion_word_break_characters(void);

/// The UTF-8 offset where libedit's completion word before `cursor` starts: scans back over
/// non-break characters (a break character escaped with `\\` does not break; a lone opening
/// quote is skipped), as libedit's `find_word_to_complete` does.
int idc_completion_word_start(const char *line, int cursor);

/// Runs the completion trampoline on a fake line, as a Tab at `cursor` would: calls the
/// callback and builds the match list with `rl_completion_matches`. Returns NULL when there is
/// nothing to offer, else a NULL-terminated array whose element 0 is the text libedit would
/// insert (the common prefix) and 1... the matches; release it with `idc_completion_free`.
/// `*append_character` receives the character appended after a single match (0 for none).
char **idc_completion_run(const char *line, int cursor, int *append_character);

/// Releases a list returned by `idc_completion_run`.
void idc_completion_free(char **matches);

// MARK: - Interrupts

/// Installs the SIGINT handler once (sigaction with SA_RESTART), unblocks SIGINT in the calling
/// thread and remembers the terminal settings of stdin to restore before a forced exit. Later
/// calls do nothing.
///
/// The handler only increments a counter, except that a second SIGINT while a command runs
/// (between `idc_interrupts_begin_command` and `idc_interrupts_end_command`) restores the
/// terminal, writes a short message with write(2) and calls `_exit(130)`.
void idc_interrupts_install(void);

/// Whether `idc_interrupts_install` has run.
int idc_interrupts_installed(void);

/// A command starts: clears the counter and arms the second-interrupt exit.
void idc_interrupts_begin_command(void);

/// The command ended: disarms the second-interrupt exit; the counter is kept.
void idc_interrupts_end_command(void);

/// SIGINTs received since the last `begin_command` or prompt.
int idc_interrupts_count(void);

/// Clears the counter without starting a command.
void idc_interrupts_clear(void);

/// Counts one interrupt as the SIGINT handler does, without a signal (the Jupyter kernel's
/// `interrupt_request`); never ends the process.
void idc_interrupts_request(void);

// MARK: - Terminal

/// Columns of the terminal on `fd` (calls ioctl(fd, TIOCGWINSZ)), or 0 when not a terminal.
int idc_terminal_columns(int fd);

#ifdef __cplusplus
}
#endif

#endif
