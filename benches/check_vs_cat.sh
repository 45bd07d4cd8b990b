#!/usr/bin/env bash
# Benchmark: `chatlint check CORPUS` beside `cat` of the same files, in one
# hyperfine run, plus chatlint's peak memory. Not a test: it prints numbers.
#
#   bash benches/check_vs_cat.sh [CORPUS]      (default: ../shared/corpus from the repo root)
#
# Environment: WARMUP (default 10), RUNS (default 100), KEEP=1 keeps the
# exports (their paths are printed), PRIORITY=1 raises the timing's scheduling
# priority (see `prioritised`); CARGO_TARGET_DIR is honoured.
#
# The goal is chatlint < 2x cat. On a shared, noisy machine only the ratio
# means something, not the absolute times.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

corpus="${1:-$repo_root/../shared/corpus}"
if [[ ! -d "$corpus" ]]; then
    echo "check_vs_cat: corpus directory not found: $corpus" >&2
    exit 2
fi
corpus="$(cd "$corpus" && pwd)"
warmup="${WARMUP:-10}"
runs="${RUNS:-100}"

# --- tools -----------------------------------------------------------------
as_root() {
    if [[ "$(id -u)" -eq 0 ]]; then "$@"; else sudo "$@"; fi
}
apt_updated=0
apt_install() {
    if [[ "$apt_updated" -eq 0 ]]; then
        as_root apt-get update
        apt_updated=1
    fi
    as_root apt-get install -y "$@"
}
command -v hyperfine >/dev/null 2>&1 || apt_install hyperfine
[[ -x /usr/bin/time ]] || apt_install time
command -v jq >/dev/null 2>&1 || apt_install jq

# --- build -----------------------------------------------------------------
cargo build --release
chatlint="${CARGO_TARGET_DIR:-$repo_root/target}/release/chatlint"
case "$chatlint" in /*) ;; *) chatlint="$repo_root/$chatlint" ;; esac

# --- the files -------------------------------------------------------------
# The same files chatlint's walk picks: *.md and *.markdown, skipping hidden
# files and directories (the `ignore` crate's default). The corpus is not in a
# git repository, so no .gitignore applies.
work="$(mktemp -d)"
if [[ "${KEEP:-0}" != 1 ]]; then
    trap 'rm -rf "$work"' EXIT
fi
find_transcripts="find $(printf %q "$corpus") -mindepth 1 -name '.*' -prune -o -type f \\( -name '*.md' -o -name '*.markdown' \\) -print0"
eval "$find_transcripts" >"$work/files0"
file_count="$(tr -cd '\0' <"$work/files0" | wc -c)"
byte_count="$(xargs -0 cat <"$work/files0" | wc -c)"

# Sanity: chatlint must read exactly these files: those it checks (its
# summary names the count) and those it reads and skips as not transcripts
# (`--show-files` lists them on stderr), as cat reads them all.
# CHECK_ARGS adds options to `chatlint check`, e.g. CHECK_ARGS="--select CL001,CL002,CL101,CL201".
read -r -a check_args <<<"${CHECK_ARGS:-}"
summary="$("$chatlint" check "${check_args[@]}" "$corpus" 2>/dev/null | tail -n 1 || true)"
checked="$(sed -n -e 's/.* of \([0-9][0-9]*\) files\{0,1\}\..*/\1/p' \
    -e 's/^All checks passed (\([0-9][0-9]*\) files\{0,1\}).*/\1/p' <<<"$summary")"
skipped="$("$chatlint" check --show-files "$corpus" 2>&1 >/dev/null | grep -c '^skipped, not a transcript: ' || true)"
if [[ "$((checked + skipped))" != "$file_count" ]]; then
    echo "check_vs_cat: chatlint checked '${checked}' files and skipped '${skipped}' but find lists $file_count" >&2
    echo "  chatlint said: $summary" >&2
    exit 2
fi
echo "corpus: $corpus ($file_count files, $byte_count bytes)"
echo "chatlint: $summary ($skipped more read and skipped: not transcripts)"

# --- timing ----------------------------------------------------------------
# Both sides walk the directory (find | xargs for cat, the `ignore` crate for
# chatlint) and read the same files; chatlint exits 1 on findings, hence -i.
cat_cmd="$find_transcripts | xargs -0 cat > /dev/null"
check_cmd="$(printf %q "$chatlint") check ${CHECK_ARGS:-} $(printf %q "$corpus") > /dev/null"
# PRIORITY=1 (as root): time in a session of its own, whose scheduler
# autogroup and processes get nice -19, so that other sessions' builds and
# tests on a shared machine take less of the two commands' time.
prioritised() {
    if [[ "${PRIORITY:-0}" == 1 ]]; then
        setsid --wait bash -c \
            'echo -19 >/proc/self/autogroup || echo "check_vs_cat: autogroup not raised" >&2
             exec nice -n -19 "$@"' _ "$@"
    else
        "$@"
    fi
}
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
prioritised hyperfine \
    --warmup "$warmup" \
    --runs "$runs" \
    --ignore-failure \
    --export-markdown "$work/results.md" \
    --export-json "$work/results.json" \
    --command-name cat "$cat_cmd" \
    --command-name "chatlint check" "$check_cmd"

# Mean and minimum times in command order: cat first, chatlint second.
json_field() {
    jq -r "[.results[].$1] | map(tostring) | join(\" \")" "$work/results.json"
}
read -r cat_mean check_mean < <(json_field mean)
read -r cat_min check_min < <(json_field min)
ratio="$(awk -v a="$check_mean" -v b="$cat_mean" 'BEGIN { printf "%.2f", a / b }')"
ratio_min="$(awk -v a="$check_min" -v b="$cat_min" 'BEGIN { printf "%.2f", a / b }')"
verdict="$(awk -v r="$ratio" 'BEGIN { print (r < 2 ? "met" : "NOT met") }')"

# --- peak memory -----------------------------------------------------------
peak_rss() {
    /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': *' '/Maximum resident set size/ { print $2 }'
}
check_rss="$(peak_rss "$chatlint" check "$corpus" || true)"
cat_rss="$(peak_rss xargs -0 -a "$work/files0" cat || true)"

# --- report ----------------------------------------------------------------
echo
echo "## hyperfine (markdown)"
cat "$work/results.md"
echo
printf 'mean: cat %.1f ms, chatlint check %.1f ms\n' \
    "$(awk -v s="$cat_mean" 'BEGIN { print s * 1000 }')" \
    "$(awk -v s="$check_mean" 'BEGIN { print s * 1000 }')"
echo "ratio chatlint/cat: ${ratio}x of the means (goal < 2x: $verdict), ${ratio_min}x of the minimums"
echo "peak RSS: chatlint check ${check_rss} KiB, xargs cat ${cat_rss} KiB"
echo "machine: nproc $(nproc), $(uname -m), $(date -u '+%Y-%m-%d %H:%M UTC'), load average $load_before before the timing, $(cut -d' ' -f1-3 /proc/loadavg) after"
if [[ "${KEEP:-0}" == 1 ]]; then
    echo "exports kept in $work"
fi
