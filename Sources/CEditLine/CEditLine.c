// CEditLine: libedit's readline emulation, the completion trampoline, the SIGINT flag and the
// terminal size, behind the plain functions of include/CEditLine.h.
//
// Design (Lua's lua.c and gnuplot are the models):
// - The SIGINT handler only counts (a lock-free atomic int: async-signal-safe like a
//   `volatile sig_atomic_t`, and also safe to read from worker threads); the one exception is
//   the second Ctrl-C during a command, which ends the process with status 130.
// - libedit must not install its own signal handlers (`rl_catch_signals = 0`); instead the
//   key reader (`rl_getc_function`) waits with poll(2) and, when the counter moves, echoes `^C`
//   and hands libedit a newline, so `readline` returns and the line is discarded. poll(2) is
//   never restarted after a signal, and its 100 ms timeout also catches a SIGINT delivered to
//   another thread or in the instant before the wait began.
#include "CEditLine.h"

#include <editline/readline.h>

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "the SIGINT counter must be lock-free to be touched by a signal handler");

// MARK: - Interrupts

/// SIGINTs since the last prompt or `begin_command`.
static atomic_int interrupt_count;
/// 1 between `begin_command` and `end_command`: a second SIGINT then ends the process.
static atomic_int command_running;
/// 1 once the SIGINT handler is installed.
static atomic_int interrupts_installed;
/// Terminal settings of stdin when the handler was installed, restored before `_exit(130)`.
static struct termios saved_termios;
static int have_saved_termios;

/// The SIGINT handler: counts, or ends the process on a second interrupt during a command.
/// Calls only async-signal-safe functions (tcsetattr, write, _exit).
static void idc_on_sigint(int signo) {
  (void)signo;
  int saved_errno = errno;
  if (atomic_load(&command_running) && atomic_load(&interrupt_count) >= 1) {
    if (have_saved_termios) (void)tcsetattr(STDIN_FILENO, TCSANOW, &saved_termios);
    static const char message[] = "\nidc: interrupted twice, exiting\n";
    (void)!write(STDERR_FILENO, message, sizeof message - 1);
    _exit(130);
  }
  atomic_fetch_add(&interrupt_count, 1);
  errno = saved_errno;
}

void idc_interrupts_install(void) {
  if (atomic_exchange(&interrupts_installed, 1)) return;
  if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved_termios) == 0) have_saved_termios = 1;
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = idc_on_sigint;
  sigemptyset(&action.sa_mask);
  // SA_RESTART: reads and writes elsewhere in the program resume after Ctrl-C; the key reader
  // waits in poll(2), which a signal always interrupts.
  action.sa_flags = SA_RESTART;
  (void)sigaction(SIGINT, &action, NULL);
  // A thread that blocks SIGINT never runs the handler; make sure the installing thread (the
  // REPL's main thread) does not, whatever mask it inherited.
  sigset_t interrupt;
  sigemptyset(&interrupt);
  sigaddset(&interrupt, SIGINT);
  (void)pthread_sigmask(SIG_UNBLOCK, &interrupt, NULL);
}

int idc_interrupts_installed(void) { return atomic_load(&interrupts_installed); }

void idc_interrupts_begin_command(void) {
  atomic_store(&interrupt_count, 0);
  atomic_store(&command_running, 1);
}

void idc_interrupts_end_command(void) { atomic_store(&command_running, 0); }

int idc_interrupts_count(void) { return atomic_load(&interrupt_count); }

void idc_interrupts_clear(void) { atomic_store(&interrupt_count, 0); }

void idc_interrupts_request(void) { atomic_fetch_add(&interrupt_count, 1); }

// MARK: - Terminal

int idc_terminal_columns(int fd) {
  struct winsize size;
  if (ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 0;
}

// MARK: - Key reader

/// Set by the SIGWINCH handler; the key reader then calls `rl_resize_terminal`.
static volatile sig_atomic_t window_resized;
/// Set by the key reader when a Ctrl-C ended the current line.
static int line_interrupted;

/// Set by the SIGCONT handler (the REPL came back from Ctrl-Z and `fg`); the key reader then
/// puts the terminal back in edit mode and redraws the line.
static volatile sig_atomic_t continued;

static void idc_on_sigwinch(int signo) {
  (void)signo;
  window_resized = 1;
}

static void idc_on_sigcont(int signo) {
  (void)signo;
  continued = 1;
}

/// Reads one key for libedit (`rl_getc_function`): a Unicode code point decoded from UTF-8
/// (libedit bypasses its own multibyte decoding when a reader is set), or EOF.
/// On Ctrl-C it writes `^C` at the cursor and returns a newline, marking the line interrupted.
static int idc_getc(FILE *stream) {
  int fd = fileno(stream != NULL ? stream : (rl_instream != NULL ? rl_instream : stdin));
  unsigned char bytes[4];
  int have = 0;
  int need = 1;
  for (;;) {
    if (line_interrupted) return '\n';
    if (atomic_load(&interrupt_count) > 0) {
      line_interrupted = 1;
      static const char echo[] = "^C";
      FILE *out = rl_outstream != NULL ? rl_outstream : stdout;
      fflush(out);
      (void)!write(fileno(out), echo, sizeof echo - 1);
      return '\n';
    }
    if (window_resized) {
      window_resized = 0;
      rl_resize_terminal();  // libedit: el_resize
    }
    if (continued) {
      continued = 0;
      // The shell restored its own terminal modes while we were stopped.
      rl_deprep_terminal();         // libedit: tty_cookedmode
      rl_prep_terminal(1);          // libedit: tty_rawmode
      rl_forced_update_display();   // libedit: el_set(EL_REFRESH)
    }
    struct pollfd wait = {.fd = fd, .events = POLLIN, .revents = 0};
    int ready = poll(&wait, 1, 100);
    if (ready < 0) {
      if (errno == EINTR) continue;
      return EOF;
    }
    if (ready == 0) continue;
    // poll(2) reports a key rather than EINTR when a key and the signal arrive together: look at
    // the counter again so a key typed after Ctrl-C stays queued for the next line.
    if (atomic_load(&interrupt_count) > 0) continue;
    ssize_t count = read(fd, &bytes[have], 1);
    if (count < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return EOF;
    }
    if (count == 0) return EOF;
    unsigned char byte = bytes[have];
    if (have == 0) {
      if (byte < 0x80) return byte;
      else if ((byte & 0xE0) == 0xC0) need = 2;
      else if ((byte & 0xF0) == 0xE0) need = 3;
      else if ((byte & 0xF8) == 0xF0) need = 4;
      else continue;  // a stray continuation byte: drop it
    } else if ((byte & 0xC0) != 0x80) {
      // A sequence cut short: restart from this byte.
      bytes[0] = byte;
      have = 0;
      if (byte < 0x80) return byte;
      need = (byte & 0xE0) == 0xC0 ? 2 : (byte & 0xF0) == 0xE0 ? 3 : (byte & 0xF8) == 0xF0 ? 4 : 0;
      if (need == 0) continue;
    }
    have += 1;
    if (have < need) continue;
    int code = need == 2 ? (bytes[0] & 0x1F) : need == 3 ? (bytes[0] & 0x0F) : (bytes[0] & 0x07);
    for (int i = 1; i < need; i++) code = (code << 6) | (bytes[i] & 0x3F);
    return code;
  }
}

// MARK: - Completion trampoline

static const char word_break_characters[] = " \t\n=[],(){}";

static idc_completion_callback completion_callback;
static void *completion_context;
/// Matches offered by the callback during one completion.
static char **offered;
static int offered_count;
static int offered_capacity;
static int collecting;

const char *idc_completion_word_break_characters(void) { return word_break_characters; }

void idc_completion_set_callback(idc_completion_callback callback, void *context) {
  completion_callback = callback;
  completion_context = context;
}

void idc_completion_offer(const char *match) {
  if (!collecting || match == NULL) return;
  if (offered_count == offered_capacity) {
    int capacity = offered_capacity == 0 ? 16 : offered_capacity * 2;
    char **grown = realloc(offered, (size_t)capacity * sizeof *grown);
    if (grown == NULL) return;
    offered = grown;
    offered_capacity = capacity;
  }
  char *copy = strdup(match);
  if (copy != NULL) offered[offered_count++] = copy;
}

static void idc_forget_offered(void) {
  for (int i = 0; i < offered_count; i++) free(offered[i]);
  offered_count = 0;
}

/// The generator handed to `rl_completion_matches`: `state` counts 0, 1, 2... and the offered
/// matches are returned in order (libedit frees them).
static char *idc_offered_generator(const char *text, int state) {
  (void)text;
  return state < offered_count ? strdup(offered[state]) : NULL;
}

/// Whether a single match is unfinished (a `name=`, a directory, an open bracket): then no
/// space is appended after it.
static int idc_is_unfinished(const char *match) {
  size_t length = strlen(match);
  if (length == 0) return 0;
  char last = match[length - 1];
  return last == '=' || last == '/' || last == '[' || last == '(';
}

/// Calls the Swift completer and builds libedit's match list with `rl_completion_matches`
/// (element 0: the longest common prefix libedit inserts; then the matches, which a second Tab
/// lists). Sets `rl_completion_append_character` for a single match.
static char **idc_collect_matches(const char *line, int cursor, int word_start, const char *word) {
  idc_forget_offered();
  if (completion_callback == NULL) return NULL;
  collecting = 1;
  completion_callback(completion_context, line, cursor, word_start);
  collecting = 0;
  if (offered_count == 0) return NULL;
  rl_completion_append_character = offered_count == 1 && idc_is_unfinished(offered[0]) ? '\0' : ' ';
  char **matches = rl_completion_matches(word, idc_offered_generator);
  idc_forget_offered();
  // Several matches whose common prefix does not extend the typed word would erase what was
  // typed: keep the word instead, so a second Tab just lists them.
  if (matches != NULL && matches[1] != NULL && matches[2] != NULL &&
      strncmp(matches[0], word, strlen(word)) != 0) {
    char *kept = strdup(word);
    if (kept != NULL) {
      free(matches[0]);
      matches[0] = kept;
    }
  }
  return matches;
}

/// The UTF-8 offset of character `characters` in `line` (libedit passes character offsets).
static int idc_utf8_offset(const char *line, int characters) {
  int offset = 0;
  for (int seen = 0; line[offset] != '\0' && seen < characters; seen++) {
    offset += 1;
    while ((line[offset] & 0xC0) == 0x80) offset += 1;
  }
  return offset;
}

/// `rl_attempted_completion_function`: libedit calls it on Tab with the word before the cursor
/// and its character offsets; the whole line is in `rl_line_buffer`.
static char **idc_attempted_completion(const char *text, int start, int end) {
  (void)start;
  rl_attempted_completion_over = 1;  // never fall back to libedit's file name completion
  const char *line = rl_line_buffer != NULL ? rl_line_buffer : "";
  int cursor = idc_utf8_offset(line, end);
  int word_start = cursor - (int)strlen(text);
  if (word_start < 0) word_start = 0;
  return idc_collect_matches(line, cursor, word_start, text);
}

int idc_completion_word_start(const char *line, int cursor) {
  int length = (int)strlen(line);
  if (cursor > length) cursor = length;
  if (cursor < 0) cursor = 0;
  int start = cursor;
  if (start > 0 && (line[start - 1] == '\\' || line[start - 1] == '\'' || line[start - 1] == '"')) start -= 1;
  while (start > 0) {
    if (strchr(word_break_characters, line[start - 1]) != NULL) {
      if (start >= 2 && line[start - 2] == '\\') {
        start -= 2;
        continue;
      }
      break;
    }
    start -= 1;
  }
  if (cursor - start == 1 && (line[start] == '\'' || line[start] == '"')) start += 1;
  return start;
}

char **idc_completion_run(const char *line, int cursor, int *append_character) {
  int length = (int)strlen(line);
  if (cursor > length) cursor = length;
  if (cursor < 0) cursor = 0;
  int word_start = idc_completion_word_start(line, cursor);
  char *word = strndup(line + word_start, (size_t)(cursor - word_start));
  if (word == NULL) return NULL;
  rl_completion_append_character = ' ';
  char **matches = idc_collect_matches(line, cursor, word_start, word);
  free(word);
  if (append_character != NULL) *append_character = rl_completion_append_character;
  return matches;
}

void idc_completion_free(char **matches) {
  if (matches == NULL) return;
  for (int i = 0; matches[i] != NULL; i++) free(matches[i]);
  free(matches);
}

// MARK: - Line editing

static int editline_initialized;
static int editline_status;

int idc_editline_initialize(const char *program_name) {
  if (editline_initialized) return editline_status;
  editline_initialized = 1;
  idc_interrupts_install();

  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = idc_on_sigwinch;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  (void)sigaction(SIGWINCH, &action, NULL);
  action.sa_handler = idc_on_sigcont;
  (void)sigaction(SIGCONT, &action, NULL);

  // libedit decodes, displays and converts multibyte text by LC_CTYPE, and idc's text is UTF-8:
  // take the user's locale, or C.UTF-8 when that is not a UTF-8 one (in the C locale libedit
  // would drop every non-ASCII character). Only LC_CTYPE changes.
  const char *locale = setlocale(LC_CTYPE, "");
  if (locale == NULL || strcmp(nl_langinfo(CODESET), "UTF-8") != 0) {
    if (setlocale(LC_CTYPE, "C.UTF-8") == NULL) (void)setlocale(LC_CTYPE, "en_US.UTF-8");
  }
  rl_readline_name = strdup(program_name != NULL ? program_name : "");
  // Keys are read with read(2) on fd 0; an unbuffered stdin keeps libedit's own getc(stdin)
  // (the "Display all N possibilities?" question) from swallowing keys typed ahead.
  if (isatty(STDIN_FILENO)) setvbuf(stdin, NULL, _IONBF, 0);
  rl_instream = stdin;
  rl_outstream = isatty(STDOUT_FILENO) ? stdout : stderr;
  rl_catch_signals = 0;
  rl_catch_sigwinch = 0;
  rl_getc_function = idc_getc;
  rl_attempted_completion_function = idc_attempted_completion;
  rl_basic_word_break_characters = word_break_characters;
  rl_completer_word_break_characters = (char *)word_break_characters;
  rl_completion_append_character = ' ';
  editline_status = rl_initialize() == 0 ? 0 : -1;  // libedit: el_init, history_init, bindings
  return editline_status;
}

char *idc_editline_read(const char *prompt, idc_read_status *status) {
  atomic_store(&command_running, 0);
  atomic_store(&interrupt_count, 0);
  line_interrupted = 0;
  char *line = readline(prompt != NULL ? prompt : "");  // libedit: el_gets
  if (line_interrupted) {
    line_interrupted = 0;
    free(line);
    *status = IDC_READ_INTERRUPTED;
    return NULL;
  }
  if (line == NULL) {
    // End the prompt's line so whatever the caller prints next starts on a fresh one.
    FILE *out = rl_outstream != NULL ? rl_outstream : stdout;
    fputc('\n', out);
    fflush(out);
    *status = IDC_READ_END_OF_FILE;
    return NULL;
  }
  *status = IDC_READ_LINE;
  return line;
}

void idc_editline_free(char *line) { free(line); }

// MARK: - History

void idc_history_limit(int limit) { stifle_history(limit); }

void idc_history_add(const char *line) { (void)add_history(line); }

void idc_history_clear(void) { clear_history(); }

int idc_history_count(void) { return history_length; }

const char *idc_history_entry(int index) {
  HIST_ENTRY *entry = history_get(history_base + index);
  return entry != NULL ? entry->line : NULL;
}

int idc_history_load(const char *path) { return read_history(path); }

int idc_history_save(const char *path) {
  size_t length = strlen(path) + 32;
  char *temporary = malloc(length);
  if (temporary == NULL) return ENOMEM;
  snprintf(temporary, length, "%s.tmp-%ld", path, (long)getpid());
  int status = write_history(temporary);
  if (status == 0 && rename(temporary, path) != 0) status = errno;
  if (status != 0) (void)unlink(temporary);
  free(temporary);
  return status;
}
