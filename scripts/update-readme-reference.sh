#!/usr/bin/env bash
# Regenerates the command reference in README.md (between the commands:begin/end markers)
# from the command specs, with the idc built in .build/debug or .build/release.
set -euo pipefail
cd "$(dirname "$0")/.."
idc=.build/release/idc
[ -x .build/debug/idc ] && [ .build/debug/idc -nt "$idc" ] && idc=.build/debug/idc
"$idc" reference > /tmp/idc-reference.md
python3 - <<'PY'
import re
readme = open("README.md").read()
reference = open("/tmp/idc-reference.md").read().strip()
begin, end = "<!-- commands:begin -->\n", "<!-- commands:end -->"
a = readme.index(begin) + len(begin)
b = readme.index(end)
open("README.md", "w").write(readme[:a] + reference + "\n" + readme[b:])
PY
echo "README.md: command reference regenerated with $idc"
