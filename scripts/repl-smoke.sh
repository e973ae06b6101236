#!/usr/bin/env bash
# Drives the idc REPL in tmux like a person: types commands, completes with
# Tab, recalls history with Up, presses Ctrl-C during a long k-means and
# checks that the prompt comes back with the workspace intact.
# Usage: scripts/repl-smoke.sh [path/to/idc]
set -euo pipefail
idc=$(realpath "${1:-.build/release/idc}")
cd "$(dirname "$0")/.."
home=$(mktemp -d)
session="idc-smoke-$$"
fail() { echo "repl-smoke: FAIL: $*"; echo "--- screen ---"; tmux capture-pane -p -t "$session" -S -200 || true; tmux kill-session -t "$session" 2>/dev/null || true; exit 1; }
screen() { tmux capture-pane -p -t "$session" -S -200; }
wait_for() {  # wait_for PATTERN SECONDS
  local deadline=$((SECONDS + $2))
  while [ $SECONDS -lt $deadline ]; do
    if screen | grep -qE -- "$1"; then return 0; fi
    sleep 0.2
  done
  fail "did not see '$1' within $2 s"
}
tmux kill-session -t "$session" 2>/dev/null || true
tmux new-session -d -s "$session" -x 160 -y 50 "env HOME=$home TERM=xterm NO_COLOR=1 $idc --no-rc"
trap 'tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$home"' EXIT
wait_for '^idc>' 20

# A command, typed.
tmux send-keys -t "$session" 'load digits' Enter
wait_for '1797 samples' 20

# Tab completion: "kme" + Tab completes the command name.
tmux send-keys -t "$session" 'kme' Tab
wait_for 'idc> kmeans' 5
tmux send-keys -t "$session" 'k=10 n_init=1 swaps=0 seed=0' Enter
wait_for 'against the labels: ACC' 60

# Continuation prompt for an open bracket.
tmux send-keys -t "$session" 'print [1,' Enter
wait_for '^\.\.\.>' 5
tmux send-keys -t "$session" '2]' Enter
wait_for '^\[1, 2\]' 5

# History: Up recalls the previous command.
tmux send-keys -t "$session" 'eval' Enter
wait_for 'ACC .*\[kmeans k=10\]' 20
tmux send-keys -t "$session" Up
wait_for 'idc> eval$' 5
tmux send-keys -t "$session" C-u
tmux send-keys -t "$session" C-c
sleep 0.3

# Ctrl-C during a long k-means: the prompt returns, the session is intact.
tmux send-keys -t "$session" 'kmeans k=100 n_init=1000 swaps=0 tol=0' Enter
sleep 2
tmux send-keys -t "$session" C-c
wait_for 'interrupted' 20
wait_for '^idc>$' 10
tmux send-keys -t "$session" 'show' Enter
wait_for 'data: digits, 1797 × 64' 10
wait_for 'pre-trained: kmeans k=10' 10

# A mistyped command gets did-you-mean, and the session goes on.
tmux send-keys -t "$session" 'slect m=5' Enter
wait_for "did you mean 'select'" 10
tmux send-keys -t "$session" 'select m=5' Enter
wait_for 'selected 5 samples' 30

# History was saved after each command.
grep -qE 'select( |\\040)m=5' "$home/.idc_history" || fail "history file lacks the last command"

# Every statement that ran is in the recovery script, replayable after a crash.
grep -q '^load digits$' "$home/.idc_session.idc" && grep -q '^select m=5$' "$home/.idc_session.idc" \
  || fail "the recovery script lacks the statements that ran"

# Ctrl-D leaves.
tmux send-keys -t "$session" C-d
sleep 1
if tmux has-session -t "$session" 2>/dev/null && screen | grep -q '^idc>$'; then
  # The pane may stay open after the process ended; check the process is gone.
  pgrep -f "$idc --no-rc" >/dev/null && fail "idc did not exit on Ctrl-D"
fi
echo "repl-smoke: ok (typing, Tab completion, continuation, history, Ctrl-C during kmeans, did-you-mean, recovery script, Ctrl-D)"
