#!/usr/bin/env bash
# Issue 10, item 9: inputs whose time used to grow faster than their size.
# Times `check` (and `check --fix` where it matters) of each generated input
# with two binaries side by side, each capped at a timeout.
#
#   bash benches/pathological.sh OLD_BINARY NEW_BINARY [TIMEOUT_SECONDS]
#
# OLD_BINARY is a chatlint built from an earlier commit (e.g. `git worktree
# add /tmp/old <commit> && cargo build --release` there); NEW_BINARY defaults
# to target/release/chatlint.
set -euo pipefail
old=${1:?usage: pathological.sh OLD_BINARY [NEW_BINARY] [TIMEOUT]}
new=$(realpath "${2:-target/release/chatlint}")
old=$(realpath "$old")
limit=${3:-120}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$work" <<'PY'
import sys, os
d = sys.argv[1]
head = "---\nlayout: post\ntitle: x\ndate: 2017-05-05\n---\n> 07:50:02  a\n   \n"
def w(name, text):
    with open(os.path.join(d, name), "w") as f:
        f.write(text)
# Deep YAML flow nesting in front matter (200 KB of `[`).
w("deep-yaml.md", "---\ntitle: " + "[" * 200_000 + "\n---\n> 07:50:02  a\n   \nhi\n")
# Many findings on one long line (900 KB of `&amp;amp;`).
w("entities.md", head + "&amp;amp;" * (900_000 // 9) + "\n")
# 200,000 suppression comments on one line.
w("suppressions.md", head + "<!-- chatlint-disable-line heading-missing-space -->" * 200_000 + "\n")
# A 6 MB line of `[[]`.
w("brackets.md", head + "[[]" * 2_000_000 + "\n")
# A front matter of 60,000 keys (each key compared with every other one
# before 2026-12-04's review).
w("many-keys.md", "---\n" + "".join(f"k{i}: v\n" for i in range(60_000)) + "---\n> 07:50:02  a\n   \nhi\n")
# 86,399 messages whose times only go down, a second at a time (each drop
# looked back over every message before it).
w("descending.md", "---\ndate: 2017-01-01\n---\n" + "".join(
    f"> {t // 3600:02}:{t // 60 % 60:02}:{t % 60:02}  a  \n   \nx  \n   \n" for t in range(86_399, 0, -1)))
# 20,000 links and mentions on one line (each `@` was looked up in every
# link before 2026-12-04, lost-character), and 40,000 runs of `??` among
# as many mentions.
w("links-and-mentions.md", head + "[x](http://e.com) @a?b " * 20_000 + "\n")
w("lost-emoji.md", head + "@a??b" * 40_000 + "\n")
# 60 KB of `[` in a configuration's `select`.
os.makedirs(os.path.join(d, "cfg"))
with open(os.path.join(d, "cfg", ".chatlint.yaml"), "w") as f:
    f.write("select: " + "[" * 60_000 + "\n")
with open(os.path.join(d, "cfg", "chat.md"), "w") as f:
    f.write(head + "hi\n")
PY

run() { # binary, args...
  local bin=$1; shift
  local start end status
  start=$(date +%s.%N)
  status=0
  timeout "$limit" "$bin" "$@" >/dev/null 2>&1 || status=$?
  end=$(date +%s.%N)
  if [ "$status" = 124 ]; then
    printf '> %ss (timed out)' "$limit"
  else
    printf '%.2fs (exit %s)' "$(echo "$end - $start" | bc)" "$status"
  fi
}

printf '| input | command | %s | %s |\n|---|---|---|---|\n' "before" "after"
for input in deep-yaml entities suppressions brackets many-keys descending links-and-mentions lost-emoji; do
  for mode in check fix; do
    args=(check --no-cache "$work/$input.md")
    [ "$mode" = fix ] && args=(check --no-cache --diff "$work/$input.md")
    printf '| %s | %s | %s | %s |\n' "$input" "$mode" "$(run "$old" "${args[@]}")" "$(run "$new" "${args[@]}")"
  done
done
printf '| config select | check | %s | %s |\n' \
  "$(cd "$work/cfg" && run "$old" check --no-cache chat.md)" \
  "$(cd "$work/cfg" && run "$new" check --no-cache chat.md)"
