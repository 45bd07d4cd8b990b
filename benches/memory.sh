#!/usr/bin/env bash
# Issue 10, item 10: time and peak memory of check, check --fix and
# convert on generated transcripts, against the file's size.
#
#   bash benches/memory.sh [BINARY] [SIZE...]     # default: target/release/chatlint 10MB 100MB 1GB
#
# Each transcript comes from benches/generate_transcript.py; each command
# runs once under /usr/bin/time -v (wall and CPU time, maximum resident
# set size). CPU time is the fairer measure of work on a shared machine;
# wall time of --fix includes writing and syncing the fixed file.
# Prints a Markdown table: peak memory as a multiple of the file's size.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/chatlint}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10MB 100MB 1GB)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

measure() { # label, file size, command...
  local label=$1 size=$2; shift 2
  local status=0
  /usr/bin/time -v -o "$work/time" "$@" >/dev/null 2>"$work/stderr" || status=$?
  if [ "$status" -gt 1 ]; then
    echo "$label failed (exit $status):" >&2
    tail -3 "$work/stderr" >&2
  fi
  local rss_kb wall user sys
  rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time")
  user=$(awk -F': ' '/User time/ {print $2}' "$work/time")
  sys=$(awk -F': ' '/System time/ {print $2}' "$work/time")
  python3 - "$label" "$size" "$rss_kb" "$wall" "$status" "$user" "$sys" <<'PY'
import sys
label, size, rss_kb, wall, status, user, system = sys.argv[1:8]
size, rss_kb = int(size), int(rss_kb)
parts = [float(p) for p in wall.split(":")]
seconds = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
cpu = float(user) + float(system)
rss = rss_kb * 1024
mb = size / 1e6
print(f"| {label} | {mb:,.0f} MB | {seconds:.2f} s | {cpu:.2f} s | {cpu / mb * 1000:.1f} ms | {rss / 1e6:,.0f} MB | {rss / size:.2f}× | {status} |")
PY
}

echo "| Command | File | Wall time | CPU time (user + sys) | CPU per MB | Peak memory | Peak / file | Exit |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for size in "${sizes[@]}"; do
  python3 benches/generate_transcript.py "$size" "$work/t.md"
  bytes=$(stat -c %s "$work/t.md")
  measure "check" "$bytes" "$bin" check --no-cache "$work/t.md"
  cp "$work/t.md" "$work/fix.md"
  measure "check --fix" "$bytes" "$bin" check --fix --no-cache "$work/fix.md"
  rm -f "$work/fix.md"
  measure "convert --to json" "$bytes" "$bin" convert --to json --force -o "$work/t.json" "$work/t.md"
  rm -f "$work/t.json" "$work/t.md"
done
