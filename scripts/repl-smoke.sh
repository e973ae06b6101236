#!/usr/bin/env bash
# Drives the real idc REPL in tmux like a person and checks the screen (tmux capture-pane):
#  1. a session killed with kill -9 after load/kmeans/select/tsne/plot; the next session's
#     banner names it, `recover` rebuilds the same workspace (show compared line by line);
#  2. typing, Tab completion, a continuation line, UTF-8 input, Up for history, Ctrl-C at the
#     prompt, Ctrl-C during a long k-means (workspace intact), did-you-mean;
#  3. Ctrl-C during `train` keeps the model (show lists it interrupted, eval works), and an
#     interrupt during `baseline cop-kmeans` (a real SIGINT raised by the process itself at
#     the first iteration, IDC_TEST_SIGINT_AT, since it finishes too fast for a hand) keeps
#     its assignment; interrupts print as one line of their own;
#  4. history across sessions, the second Ctrl-C during a command that cannot poll (reading
#     a FIFO) ends the process with 130, Ctrl-Z and fg under bash, Ctrl-D ends cleanly;
#  5. the loop on features without labels — audit, ask, train, rounds by=ask — answered by
#     typing; kill -9 during the rounds, recover, and the rounds resume from their journal.
# Usage: scripts/repl-smoke.sh [path/to/idc]
set -euo pipefail
# A test runner may start us with most signals blocked (swift-testing's threads block them, and
# a mask is inherited through fork and exec): run with an empty mask and default job-control
# handlers, so the shells in the panes behave as at a real terminal.
if [ -z "${IDC_SMOKE_UNMASKED:-}" ]; then
  exec env IDC_SMOKE_UNMASKED=1 perl -MPOSIX -e 'sigprocmask(SIG_SETMASK, POSIX::SigSet->new); $SIG{$_} = "DEFAULT" for qw(TSTP TTIN TTOU INT); exec @ARGV' bash "$0" "$@"
fi
idc=$(realpath "${1:-.build/release/idc}")
cd "$(dirname "$0")/.."
home=$(mktemp -d)
sessions="$home/.idc/sessions"
session="idc-smoke-$$"
# A private tmux server, started by this script with its signal state (not one left running).
tmux() { command tmux -L "idc-smoke-$$" "$@"; }
env_vars="HOME=$home TERM=xterm NO_COLOR=1 COLUMNS=100"

fail() { echo "repl-smoke: FAIL: $*"; echo "--- screen ---"; tmux capture-pane -p -t "$session" -S -300 || true; tmux kill-session -t "$session" 2>/dev/null || true; exit 1; }
screen() { tmux capture-pane -p -t "$session" -S -300; }
wait_for() {  # wait_for PATTERN SECONDS (extended regex, on any line of the scrollback)
  local deadline=$((SECONDS + $2))
  while [ $SECONDS -lt $deadline ]; do
    if screen | grep -qE -- "$1"; then return 0; fi
    sleep 0.2
  done
  fail "did not see '$1' within $2 s"
}
type_line() { tmux send-keys -t "$session" -l "$1"; tmux send-keys -t "$session" Enter; }
start() {  # start [extra env]: a new session running idc directly in the pane
  tmux kill-session -t "$session" 2>/dev/null || true
  tmux new-session -d -s "$session" -x 160 -y 50 "env $env_vars ${1:-} $idc --no-rc; sleep 30"
  wait_for '^idc>' 20
}
pane_pid() { tmux display -p -t "$session" '#{pane_pid}'; }
idc_pid() { pgrep -P "$(pane_pid)" -f "$idc" | head -1; }
trap 'tmux kill-server 2>/dev/null || true; sleep 0.3; rm -rf "$home" 2>/dev/null || true' EXIT

# --- 1. kill -9, then recover ---------------------------------------------------------------
start
wait_for "this session is recorded in $sessions/" 5
type_line 'load digits'
wait_for '1797 samples' 20
type_line 'kmeans k=10 n_init=2 seed=0'
wait_for 'against the labels: ACC' 60
type_line 'sel = select m=50'
wait_for 'selected 50 samples' 30
type_line 'emb = tsne iterations=100 early=50'
wait_for 't-SNE: 1797 samples' 120
type_line 'plot tsne'
wait_for 't-SNE of digits' 30
tmux send-keys -t "$session" C-l
type_line 'show'
wait_for '^emb: t-SNE' 10
before=$(screen | grep -E '^(data|pre-trained|current|scores|emb|sel):')
kill -9 "$(idc_pid)"
sleep 0.5
start
wait_for "ended without quitting: type 'recover' to replay its 4 statements" 5
type_line 'recover'
wait_for '^recovered: 4 statements from' 180
tmux send-keys -t "$session" C-l
type_line 'show'
wait_for '^emb: t-SNE' 10
after=$(screen | grep -E '^(data|pre-trained|current|scores|emb|sel):')
[ "$before" = "$after" ] || fail "recovered workspace differs:
--- before kill ---
$before
--- after recover ---
$after"
tmux send-keys -t "$session" C-d
sleep 0.5

# --- 2. typing, completion, continuation, UTF-8, history, Ctrl-C ---------------------------
start "IDC_TEST_SIGINT_AT=cop-kmeans:1"
if screen | grep -q "ended without quitting"; then fail "a recovered session is offered again"; fi
type_line 'load digits'
wait_for '1797 samples' 20
tmux send-keys -t "$session" 'kme' Tab
wait_for 'idc> kmeans' 5
tmux send-keys -t "$session" -l 'k=10 n_init=1 swaps=0 seed=0'
tmux send-keys -t "$session" Enter
wait_for 'against the labels: ACC' 60
type_line 'print [1,'
wait_for '^\.\.\.>' 5
type_line '2]'
wait_for '^\[1, 2\]' 5
type_line 'print "été ✓ naïve"'
wait_for '^été ✓ naïve$' 5
# Tab after UTF-8 text completes the right word (libedit counts characters, completion bytes).
tmux send-keys -t "$session" -l 'kmeans é n_i'
tmux send-keys -t "$session" Tab
wait_for 'idc> kmeans é n_init=$' 5
tmux send-keys -t "$session" C-c
type_line 'eval'
wait_for 'ACC .*\[kmeans k=10\]' 20
tmux send-keys -t "$session" Up
wait_for 'idc> eval$' 5
tmux send-keys -t "$session" C-c
wait_for 'idc> eval\^C' 5
type_line 'print "after"'
wait_for '^after$' 5

# Ctrl-C during a long k-means: the prompt returns, the session is intact.
type_line 'kmeans k=100 n_init=1000 swaps=0 tol=0'
sleep 2
tmux send-keys -t "$session" C-c
wait_for '^interrupted — kept the clustering after [0-9]+ of 1000 restarts \(the latest clustering\)$' 20
wait_for '^idc>$' 10
type_line 'show'
wait_for 'data: digits, 1797 × 64' 10
wait_for 'pre-trained: kmeans k=10$' 10

# A mistyped command gets did-you-mean, and the session goes on.
type_line 'slect m=5'
wait_for "did you mean 'select'" 10
type_line 'sel = select m=60'
wait_for 'selected 60 samples' 30
grep -qE 'select( |\\040)m=60' "$home/.idc_history" || fail "history file lacks the last command"

# --- 3. Ctrl-C during train and cop-kmeans keeps the partial result -----------------------
type_line 'answers = feedback oracle'
wait_for '^60 answers' 20
type_line 'm = train epochs=20000 every=0'
wait_for 'finetuning \[' 60
sleep 1
tmux send-keys -t "$session" C-c
wait_for '^interrupted — kept the model after [0-9]+ of 20000 epochs as m$' 20
screen | grep -q 'ETA.*interrupted' && fail "the interrupt shares the progress bar's line"
screen | grep -q 'error: interrupted' && fail "the interrupt is reported as a located error"
type_line 'show'
wait_for '^m: head 64→512→10, 20000 epochs on 60 answers \(pos\+neg\+reg\) — interrupted after [0-9]+ of 20000 epochs' 10
type_line 'eval m'
wait_for 'ACC .*\[m\]' 10
type_line 'cop = baseline cop-kmeans'
wait_for '^interrupted — kept the metrics after 1 of 100 iterations as cop$' 30
type_line 'show'
wait_for '^current: baseline cop-kmeans, interrupted after 1 of 100 iterations' 10
wait_for '^cop: ACC' 10
type_line 'eval'
wait_for 'ACC .*\[baseline cop-kmeans, interrupted after 1 of 100 iterations\]' 10
grep -q '^m = train every=0 epochs=' "$sessions"/*.idc || fail "the recovery script lacks the statement redoing the kept model"

# Ctrl-D leaves cleanly: the session script ends with the end marker.
tmux send-keys -t "$session" C-d
sleep 1
[ -z "$(idc_pid)" ] || fail "idc did not exit on Ctrl-D"
[ "$(ls "$sessions" | wc -l)" = 3 ] || fail "expected one session script per session"
for f in "$sessions"/*.idc; do tail -1 "$f" | grep -qE '^# (session ended|recovered)' || fail "$f does not end cleanly"; done

# --- 4. history across sessions, second Ctrl-C, Ctrl-Z under bash --------------------------
start
tmux send-keys -t "$session" Up
wait_for 'idc> eval$' 5
tmux send-keys -t "$session" C-u
fifo="$home/never.csv"
mkfifo "$fifo"
type_line "load \"$fifo\""
sleep 1
tmux send-keys -t "$session" C-c
sleep 0.3
tmux send-keys -t "$session" C-c
wait_for 'idc: interrupted twice, exiting' 5
sleep 0.5
[ -z "$(idc_pid)" ] || fail "a second Ctrl-C during a command that cannot poll did not end idc"

tmux kill-session -t "$session" 2>/dev/null || true
tmux new-session -d -s "$session" -x 160 -y 50 "env $env_vars PS1='shell\$ ' bash --norc -i"
wait_for 'shell\$' 10
type_line "$idc --no-rc"
wait_for '^idc>' 20
tmux send-keys -t "$session" -l 'print "ab'
tmux send-keys -t "$session" C-z
wait_for 'Stopped' 5
type_line 'fg'
sleep 0.5
tmux send-keys -t "$session" -l 'cd"'
tmux send-keys -t "$session" Enter
wait_for '^abcd$' 5
tmux send-keys -t "$session" C-d
wait_for '^idc> \^D$' 5
sleep 0.5
[ "$(screen | grep -v '^$' | tail -1)" = 'shell$' ] || fail "Ctrl-D did not return to the shell"

# --- 5. the loop without labels, answered at the prompt; kill -9 in the middle of rounds ----
# Features without labels: audit, ask and rounds are answered by typing; a kill -9 during the
# rounds loses nothing — recover rebuilds the session, and the same rounds statement resumes
# from its journal, asking only what is left. No ACC anywhere.
restart_and_recover() {  # after a kill: a new session, 'recover', a cleared screen
  start
  wait_for "ended without quitting: type 'recover' to replay" 5
  type_line 'recover'
  wait_for '^recovered: [0-9]+ statements from' 180
  tmux send-keys -t "$session" C-l
  tmux clear-history -t "$session"
}
answer_next() {  # answer_next ANSWER: waits for a query prompt with nothing typed yet, types it
  wait_for 'answer \[1-[0-9]+, 0=none, (new \[name\], c N, )?s=skip, u=undo, q=stop\]> ?$' 60
  type_line "$1"
  sleep 0.3
}
start
type_line "set outdir=\"$home/out\""
type_line 'load digits'
wait_for '1797 samples' 20
type_line "export features to=\"$home/features.npy\""
type_line "load features=\"$home/features.npy\""
wait_for 'features: 1797 samples × 64 features' 20
type_line 'kmeans k=10 seed=0'
wait_for 'cluster sizes' 60
type_line 'au = feedback audit n=3'
for a in 1 1 0; do answer_next "$a"; done
wait_for 'confirmed 66.7 %' 20
type_line 'sel = select m=4'
wait_for 'selected 4 samples' 30
type_line 'feedback ask'
for a in 1 2 0 1; do answer_next "$a"; done
wait_for '4 answers \(ask\)' 20
type_line 'm1 = train epochs=20 every=0'
wait_for 'audit:' 60
tmux send-keys -t "$session" C-l
tmux clear-history -t "$session"
type_line 'm = rounds m=10 r=2 epochs=20 by=ask'
for a in 1 2 0 1 s 1 1; do answer_next "$a"; done
wait_for 'answer \[1-[0-9]+, 0=none, (new \[name\], c N, )?s=skip, u=undo, q=stop\]> ?$' 60
kill -9 "$(idc_pid)"
sleep 0.5
[ "$(grep -c '^[0-9]' "$home/out/rounds.journal.csv")" = 7 ] || fail "the rounds journal does not hold the 7 answers given"
restart_and_recover
type_line 'm = rounds m=10 r=2 epochs=20 by=ask'
wait_for 'resuming: 5 of 5 already answered' 60
for a in 3 0 2; do answer_next "$a"; done
wait_for '^round 2 of 2: 5 answered' 60
screen | grep -q 'resuming: 2 of 5 already answered' || fail "round 2 did not resume its 2 answers"
type_line "export answer_log to=\"$home/out/log.npz\""
type_line 'eval'
wait_for 'audit: confirmed' 20
screen | grep -q 'ACC' && fail "ACC printed without labels"
[ -s "$home/out/log.npz" ] || fail "the answer log was not exported"
tmux send-keys -t "$session" C-d
sleep 0.5

# --- 6. the person's own partition: a new cluster typed at the prompt, a merge, names; kill -9; recover ---
# The answers start cluster 8 "sevens"; 'merge 0 1' renumbers it 7; after kill -9 'recover'
# rebuilds the partition, its names and the answers from the session log and the journal.
start
type_line "set outdir=\"$home/out6\""
type_line 'load digits'
wait_for '1797 samples' 20
type_line 'kmeans k=8 seed=0'
wait_for 'cluster sizes' 60
type_line 'select m=3'
wait_for 'selected 3 samples' 30
type_line 'feedback ask examples=1'
answer_next 'new sevens'
answer_next 'c 8'
answer_next '1'
wait_for 'new cluster 8 "sevens" from samples' 60
type_line 'merge 1 0'
wait_for 'merged cluster 0 \+ cluster 1 into cluster 0: 8 clusters' 60
wait_for 'renumbered: 2 → 1, 3 → 2, 4 → 3, 5 → 4, 6 → 5, 7 → 6, 8 → 7' 5
type_line 'name 0 "zeros and ones"'
wait_for 'cluster 0 "zeros and ones"' 10
kill -9 "$(idc_pid)"
sleep 0.5
restart_and_recover
type_line 'show clusters'
wait_for '^7 +sevens +[0-9]+ +[0-9]+ +2 ' 20
screen | grep -Eq '^0 +zeros and ones ' || fail "the merged cluster's name did not survive recover"
screen | grep -Eq '^8 ' && fail "the merge did not survive recover"
tmux send-keys -t "$session" C-d
sleep 0.5

echo "repl-smoke: ok (kill -9 then recover, typing, Tab completion, continuation, UTF-8, history across sessions, Ctrl-C at the prompt and during kmeans/train/cop-kmeans with partial results kept, did-you-mean, second Ctrl-C, Ctrl-Z and fg, Ctrl-D, the loop without labels answered at the prompt and resumed after kill -9, a new cluster and a merge surviving kill -9 through recover)"
