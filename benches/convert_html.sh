#!/usr/bin/env bash
# Benchmark `chatlint convert --to html`: not a test, it prints numbers for
# BENCHMARKS.md.
#
#   bash benches/convert_html.sh [CORPUS]    (default: ../shared/corpus from the repo root)
#
# 1. Over the corpus's transcripts (*.md and *.markdown, the files `chatlint
#    convert CORPUS` converts), in one hyperfine run:
#    - `chatlint convert --to html CORPUS -o DIR` (the pages, index.html and
#      the search index; chatlint uses every core);
#    - `chatlint convert --to json CORPUS -o DIR`;
#    - `pandoc -f markdown -t html` on the same files: one pandoc process per
#      file, started by `xargs -0 -n 1 -P $(nproc)` (as many at once as there
#      are cores, so both tools use every core), each writing an HTML
#      fragment to /dev/null.
#    Wall and CPU (user + system) time, MB/s of Markdown read, and the ratios
#    html/json and pandoc/html.
# 2. Peak memory (/usr/bin/time -v, maximum resident set size) of each of the
#    three over the corpus. For pandoc this is the largest single pandoc
#    process (GNU time reports the largest of the processes it waited for,
#    through xargs), not the sum of the ones running at once.
# 3. One transcript of about SIZE_MB, made in a temporary folder from the
#    bodies of the corpus's transcripts: throughput and peak memory of html
#    beside json (pandoc is not run on it).
#
# Environment: RUNS (default 10) for step 1, BIG_RUNS (default 3) for step 3,
# SIZE_MB (default 100), KEEP=1 keeps the work folder. Installs pandoc,
# hyperfine and time with apt-get when missing, as benches/check_vs_peers.sh
# and benches/convert_vs_pandoc.sh do.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
corpus="$(cd "${1:-$repo_root/../shared/corpus}" && pwd)"
runs="${RUNS:-10}"
big_runs="${BIG_RUNS:-3}"
size_mb="${SIZE_MB:-100}"

# Tools, the release build, the work folder, the corpus list, helpers.
source "$repo_root/benches/convert_setup.sh"
if ! "$chatlint" convert --help | grep -q 'html'; then
    echo "this chatlint has no \`convert --to html\` (issue 14's writer): nothing to measure" >&2
    exit 1
fi



# --- 1. html, json and pandoc over the corpus ------------------------------
html_cmd="$(printf '%q convert --to html %q -o %q' "$chatlint" "$corpus" "$work/out/corpus-html")"
json_cmd="$(printf '%q convert --to json %q -o %q' "$chatlint" "$corpus" "$work/out/corpus-json")"
pandoc_cmd="$(printf 'xargs -0 -n 1 -P %d pandoc -f markdown -t html -o /dev/null < %q' "$(nproc)" "$work/files0")"
# Each run writes into a fresh folder (see benches/convert_vs_pandoc.sh:
# renaming over existing files times the disk's flushes instead).
hyperfine --warmup 1 --runs "$runs" \
    --export-markdown "$work/timings-corpus.md" --export-json "$work/timings-corpus.json" \
    --prepare "rm -rf $(printf %q "$work/out/corpus-html")" --command-name "chatlint convert --to html" "$html_cmd" \
    --prepare "rm -rf $(printf %q "$work/out/corpus-json")" --command-name "chatlint convert --to json" "$json_cmd" \
    --prepare true --command-name "pandoc -f markdown -t html (one per file, xargs -P $(nproc))" "$pandoc_cmd"
read -r html_mean json_mean pandoc_mean < <(means "$work/timings-corpus.json")
read -r html_cpu json_cpu pandoc_cpu < <(means "$work/timings-corpus.json" cpu)

# --- 2. peak memory over the corpus ----------------------------------------
rm -rf "$work/out/corpus-html" "$work/out/corpus-json"
html_rss="$(peak_kib "$chatlint" convert --to html "$corpus" -o "$work/out/corpus-html")"
json_rss="$(peak_kib "$chatlint" convert --to json "$corpus" -o "$work/out/corpus-json")"
pandoc_rss="$(peak_kib xargs -0 -n 1 -P "$(nproc)" pandoc -f markdown -t html -o /dev/null <"$work/files0")"
html_out_bytes="$(du -sb "$work/out/corpus-html" | cut -f1)"

# --- 3. one transcript of about SIZE_MB ------------------------------------
make_big_transcript "$size_mb"
hyperfine --runs "$big_runs" --export-json "$work/timings-big.json" \
    --prepare "rm -f $(printf %q "$work/out/big.html")" --command-name "html" \
    "$(printf '%q convert --to html %q -o %q' "$chatlint" "$big" "$work/out/big.html")" \
    --prepare "rm -f $(printf %q "$work/out/big.json")" --command-name "json" \
    "$(printf '%q convert --to json %q -o %q' "$chatlint" "$big" "$work/out/big.json")"
read -r big_html_mean big_json_mean < <(means "$work/timings-big.json")
rm -f "$work/out/big.html" "$work/out/big.json"
big_html_rss="$(peak_kib "$chatlint" convert --to html "$big" -o "$work/out/big.html")"
big_json_rss="$(peak_kib "$chatlint" convert --to json "$big" -o "$work/out/big.json")"

# --- report ----------------------------------------------------------------
echo
echo "## convert --to html beside --to json and pandoc (hyperfine, markdown export)"
cat "$work/timings-corpus.md"
echo
echo "| Over the corpus ($file_count files, $corpus_bytes B) | Wall | MB/s | CPU | MB/s | Peak RSS |"
echo "|---|---:|---:|---:|---:|---:|"
printf '| chatlint --to html | %.3f s | %s | %.3f s | %s | %d MB |\n' "$html_mean" "$(mb_per_s "$corpus_bytes" "$html_mean")" \
    "$html_cpu" "$(mb_per_s "$corpus_bytes" "$html_cpu")" "$((html_rss / 1000))"
printf '| chatlint --to json | %.3f s | %s | %.3f s | %s | %d MB |\n' "$json_mean" "$(mb_per_s "$corpus_bytes" "$json_mean")" \
    "$json_cpu" "$(mb_per_s "$corpus_bytes" "$json_cpu")" "$((json_rss / 1000))"
printf '| pandoc -t html, one per file | %.3f s | %s | %.3f s | %s | %d MB (largest process) |\n' "$pandoc_mean" "$(mb_per_s "$corpus_bytes" "$pandoc_mean")" \
    "$pandoc_cpu" "$(mb_per_s "$corpus_bytes" "$pandoc_cpu")" "$((pandoc_rss / 1000))"
echo
echo "html / json: wall $(ratio "$html_mean" "$json_mean")x, CPU $(ratio "$html_cpu" "$json_cpu")x, peak RSS $(ratio "$html_rss" "$json_rss")x"
echo "pandoc / html: wall $(ratio "$pandoc_mean" "$html_mean")x, CPU $(ratio "$pandoc_cpu" "$html_cpu")x"
echo "html written: $html_out_bytes B (pages, index.html, search index)"
echo
echo "| One transcript ($big_bytes B) | Wall | MB/s | Peak RSS | Peak / size |"
echo "|---|---:|---:|---:|---:|"
printf '| html | %.2f s | %s | %d MB | %sx |\n' "$big_html_mean" "$(mb_per_s "$big_bytes" "$big_html_mean")" \
    "$((big_html_rss / 1000))" "$(ratio "$((big_html_rss * 1024))" "$big_bytes")"
printf '| json | %.2f s | %s | %d MB | %sx |\n' "$big_json_mean" "$(mb_per_s "$big_bytes" "$big_json_mean")" \
    "$((big_json_rss / 1000))" "$(ratio "$((big_json_rss * 1024))" "$big_bytes")"
echo "html / json on it: wall $(ratio "$big_html_mean" "$big_json_mean")x, peak RSS $(ratio "$big_html_rss" "$big_json_rss")x"
echo
echo "machine: nproc $(nproc), $(uname -m), $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg); pandoc $(pandoc --version | head -n 1 | cut -d' ' -f2); chatlint $(git -C "$repo_root" rev-parse --short HEAD)"
if [[ "${KEEP:-0}" == 1 ]]; then
    echo "work folder kept: $work"
fi
