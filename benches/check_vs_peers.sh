#!/usr/bin/env bash
# Benchmark: `chatlint check --select ALL` beside `rumdl check` and
# `markdownlint-cli2` on the same transcripts, in one hyperfine run, with each
# tool's peak memory; then chatlint on 10,000 files (copies of the corpus) to
# show that the cost grows linearly. Not a test: it prints numbers.
#
#   bash benches/check_vs_peers.sh [CORPUS]     (default: ../shared/corpus)
#
# Installs what it needs: hyperfine and time (Debian), rumdl (PyPI),
# markdownlint-cli2 (npm, into a temporary folder). Environment: WARMUP
# (default 3), RUNS (default 30). Only ratios are meaningful on a shared machine.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="${1:-$repo_root/../shared/corpus}"
corpus="$(cd "$corpus" && pwd)"
warmup="${WARMUP:-3}"
runs="${RUNS:-30}"

as_root() { if [[ "$(id -u)" -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
apt_updated=0
apt_install() {
    [[ "$apt_updated" -eq 1 ]] || { as_root apt-get update -qq; apt_updated=1; }
    as_root apt-get install -y -qq "$@"
}
command -v hyperfine >/dev/null 2>&1 || apt_install hyperfine
[[ -x /usr/bin/time ]] || apt_install time
command -v rumdl >/dev/null 2>&1 || python3 -m pip install --quiet --disable-pip-version-check rumdl

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm install --silent --no-audit --no-fund markdownlint-cli2 >/dev/null)
mdl2="$work/node_modules/.bin/markdownlint-cli2"

(cd "$repo_root" && cargo build --release --quiet)
chatlint="${CARGO_TARGET_DIR:-$repo_root/target}/release/chatlint"

# The same files for every tool: the corpus's transcripts, copied into a
# folder of their own with no configuration files around them.
files="$work/corpus"
mkdir -p "$files"
(cd "$corpus" && find . -type f \( -name '*.md' -o -name '*.markdown' \) ! -name README.md -print0 |
    xargs -0 -I{} cp --parents {} "$files")
count="$(find "$files" -type f | wc -l)"
bytes="$(find "$files" -type f -print0 | xargs -0 cat | wc -c)"
echo "files: $count transcripts, $bytes bytes; $(nproc) cores, $(uname -m)"
echo "versions: $("$chatlint" --version); $(rumdl --version); markdownlint-cli2 $(sed -n 's/.*"version": "\(.*\)".*/\1/p' "$work/node_modules/markdownlint-cli2/package.json" | head -1)"

cd "$work"
# Every rule on, and one line per finding like the peers print (chatlint's
# default report draws a source snippet for each finding; see check_vs_cat.sh).
# Both chatlint and rumdl keep results between runs (chatlint in
# .chatlint-cache, rumdl in .rumdl_cache, here in $work): "warm" runs use
# those caches (hyperfine's warm-up runs fill them), "cold" runs are told not
# to (--no-cache for both). markdownlint-cli2 has no cache.
# And as a user runs it: the default rules and the default full report, a
# source snippet drawn for each finding.
chatlint_full="$chatlint check --no-cache corpus > /dev/null"
chatlint_cmd="$chatlint check --select ALL --output-format concise corpus > /dev/null"
chatlint_cold="$chatlint check --no-cache --select ALL --output-format concise corpus > /dev/null"
rumdl_cmd="rumdl check --no-config corpus > /dev/null 2>&1"
rumdl_cold="rumdl check --no-config --no-cache corpus > /dev/null 2>&1"
mdl2_cmd="$mdl2 'corpus/**/*.{md,markdown}' > /dev/null 2>&1"
hyperfine --warmup "$warmup" --runs "$runs" --ignore-failure \
    --export-markdown "$work/peers.md" --export-json "$work/peers.json" \
    --command-name "chatlint check --no-cache (cold)" "$chatlint_cold" \
    --command-name "chatlint check --no-cache, default rules, full output (cold)" "$chatlint_full" \
    --command-name "rumdl check --no-cache (cold)" "$rumdl_cold" \
    --command-name "chatlint check (warm cache)" "$chatlint_cmd" \
    --command-name "rumdl check (warm cache)" "$rumdl_cmd" \
    --command-name "markdownlint-cli2" "$mdl2_cmd"
cat "$work/peers.md"
python3 - "$work/peers.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
def ratio(slow, fast, key="mean"):
    return r[slow][key] / r[fast][key]
for label, slow, fast, goal in [
    ("cold: rumdl / chatlint", "rumdl check --no-cache (cold)", "chatlint check --no-cache (cold)", 10),
    ("cold: rumdl / chatlint full output", "rumdl check --no-cache (cold)", "chatlint check --no-cache, default rules, full output (cold)", 10),
    ("warm: rumdl / chatlint", "rumdl check (warm cache)", "chatlint check (warm cache)", 10),
    ("markdownlint-cli2 / chatlint cold", "markdownlint-cli2", "chatlint check --no-cache (cold)", 200),
    ("markdownlint-cli2 / chatlint warm", "markdownlint-cli2", "chatlint check (warm cache)", 200),
]:
    mean, median, low = (ratio(slow, fast, key) for key in ("mean", "median", "min"))
    verdict = "met" if mean >= goal else "NOT met"
    print(f"{label}: {mean:.1f}x on means, {median:.1f}x on medians, {low:.1f}x on minimums "
          f"(goal >= {goal}x on means: {verdict})")
PY

# The tools exit 1 on findings: that must not stop the script (pipefail).
peak() { { /usr/bin/time -v bash -c "$1" 2>&1 >/dev/null || true; } | sed -n 's/.*Maximum resident set size (kbytes): //p' | tail -1; }
echo
echo "| tool | peak RSS (MB) |"
echo "|------|---------------|"
for pair in "chatlint cold:$chatlint_cold" "chatlint warm:$chatlint_cmd" "rumdl cold:$rumdl_cold" "rumdl warm:$rumdl_cmd" "markdownlint-cli2:$mdl2_cmd"; do
    name="${pair%%:*}"; cmd="${pair#*:}"
    kb="$(peak "$cmd")"
    echo "| $name | $((kb / 1024)) |"
done

# Linear growth: the corpus copied until there are 10,000 files.
big="$work/big"
mkdir -p "$big"
copy=0
while [[ "$(find "$big" -type f | wc -l)" -lt 10000 ]]; do
    mkdir -p "$big/copy$copy" && cp -r "$files/." "$big/copy$copy/"
    copy=$((copy + 1))
done
find "$big" -type f | sort | tail -n +10001 | xargs -r rm
big_count="$(find "$big" -type f | wc -l)"
# Cold runs: the work itself grows with the files, not only the cache reads.
big_cmd="$chatlint check --no-cache --select ALL --output-format concise big > /dev/null"
hyperfine --warmup 1 --runs "$runs" --ignore-failure --export-markdown "$work/linear.md" \
    --command-name "chatlint --no-cache, $count files" "$chatlint_cold" \
    --command-name "chatlint --no-cache, $big_count files" "$big_cmd"
cat "$work/linear.md"
echo "peak RSS, $big_count files: $(( $(peak "$big_cmd") / 1024 )) MB"
