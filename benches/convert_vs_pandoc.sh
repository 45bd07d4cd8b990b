#!/usr/bin/env bash
# Benchmark `chatlint convert`: not a test, it prints numbers for BENCHMARKS.md.
#
#   bash benches/convert_vs_pandoc.sh [CORPUS]    (default: ../shared/corpus from the repo root)
#
# 1. `chatlint convert --to json CORPUS -o DIR` beside `pandoc -f markdown -t json`
#    on the same files (one pandoc per file, as many at once as there are cores),
#    in one hyperfine run; the goal is chatlint at least 100x faster.
# 2. Throughput (MB/s of Markdown read) of each format over the corpus.
# 3. One transcript of about 100 MB, made in a temporary folder by writing one
#    front matter and then the bodies of the corpus's transcripts over and over:
#    throughput and peak memory (/usr/bin/time -v) of each format; the goal is a
#    peak under 3x the file's size.
#
# Environment: PANDOC_RUNS (default 3) for step 1, RUNS (default 20) for step 2,
# BIG_RUNS (default 3) for step 3, SIZE_MB (default 100), KEEP=1 keeps the work
# folder. Installs pandoc, hyperfine and time with apt-get when missing.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
corpus="$(cd "${1:-$repo_root/../shared/corpus}" && pwd)"
pandoc_runs="${PANDOC_RUNS:-3}"
runs="${RUNS:-20}"
big_runs="${BIG_RUNS:-3}"
size_mb="${SIZE_MB:-100}"
formats=(json jsonl csv xml md)

# Tools, the release build, the work folder, the corpus list, helpers.
source "$repo_root/benches/convert_setup.sh"

# --- 1. chatlint beside pandoc ---------------------------------------------
chatlint_json="$(printf '%q convert --to json %q -o %q' "$chatlint" "$corpus" "$work/out/corpus-json")"
pandoc_json="$(printf 'xargs -0 -n 1 -P %d pandoc -f markdown -t json -o /dev/null < %q' "$(nproc)" "$work/files0")"
# Each run writes into a fresh folder (hyperfine's --prepare empties it):
# renaming over existing files makes ext4 flush them (auto_da_alloc), which
# times the disk instead. BENCHMARKS.md gives that case too.
hyperfine --warmup 1 --runs "$pandoc_runs" \
    --prepare "rm -rf $(printf %q "$work/out/corpus-json")" --prepare true \
    --export-markdown "$work/timings-vs.md" --export-json "$work/timings-vs.json" \
    --command-name "chatlint convert --to json" "$chatlint_json" \
    --command-name "pandoc -f markdown -t json" "$pandoc_json"
read -r chatlint_mean pandoc_mean < <(means "$work/timings-vs.json")
read -r chatlint_cpu pandoc_cpu < <(means "$work/timings-vs.json" cpu)
cpu_speedup="$(awk -v p="$pandoc_cpu" -v c="$chatlint_cpu" 'BEGIN { printf "%.0f", p / c }')"
speedup="$(awk -v p="$pandoc_mean" -v c="$chatlint_mean" 'BEGIN { printf "%.0f", p / c }')"
verdict="$(awk -v s="$speedup" 'BEGIN { print (s >= 100 ? "met" : "NOT met") }')"

# --- 2. each format over the corpus ----------------------------------------
format_commands=()
for format in "${formats[@]}"; do
    format_commands+=(--prepare "rm -rf $(printf %q "$work/out/corpus-$format")")
    format_commands+=(--command-name "$format" "$(printf '%q convert --to %s %q -o %q' "$chatlint" "$format" "$corpus" "$work/out/corpus-$format")")
done
hyperfine --warmup 2 --runs "$runs" --export-json "$work/timings-formats.json" "${format_commands[@]}"
read -r -a corpus_means < <(means "$work/timings-formats.json")
read -r -a corpus_cpu < <(means "$work/timings-formats.json" cpu)

# --- 3. one transcript of about SIZE_MB ------------------------------------
make_big_transcript "$size_mb"
big_commands=()
for format in "${formats[@]}"; do
    big_commands+=(--prepare "rm -f $(printf %q "$work/out/big.$format")")
    big_commands+=(--command-name "$format" "$(printf '%q convert --to %s %q -o %q' "$chatlint" "$format" "$big" "$work/out/big.$format")")
done
hyperfine --runs "$big_runs" --export-json "$work/timings-big.json" "${big_commands[@]}"
read -r -a big_means < <(means "$work/timings-big.json")
read -r -a big_cpu < <(means "$work/timings-big.json" cpu)

# --- report ----------------------------------------------------------------
echo
echo "## chatlint beside pandoc (hyperfine, markdown export)"
cat "$work/timings-vs.md"
printf '\nwall: chatlint %.3f s, pandoc %.2f s: %sx faster (goal >= 100x: %s)\n' "$chatlint_mean" "$pandoc_mean" "$speedup" "$verdict"
printf 'CPU (user + system): chatlint %.3f s, pandoc %.2f s: %sx less\n' "$chatlint_cpu" "$pandoc_cpu" "$cpu_speedup"
echo
echo "## each format"
echo "Wall time and MB/s of Markdown read by it; CPU time (user + system) and MB/s by it."
echo
echo "| Format | Corpus ($file_count files, $corpus_bytes B): wall | MB/s | CPU | MB/s | One transcript ($big_bytes B): wall | MB/s | CPU | MB/s | Peak RSS | Peak / size |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for i in "${!formats[@]}"; do
    format="${formats[$i]}"
    rm -f "$work/out/big.$format"
    rss_kib="$(peak_kib "$chatlint" convert --to "$format" "$big" -o "$work/out/big.$format")"
    ratio="$(awk -v r="$rss_kib" -v b="$big_bytes" 'BEGIN { printf "%.2f", r * 1024 / b }')"
    printf '| %s | %.3f s | %s | %.3f s | %s | %.2f s | %s | %.2f s | %s | %d MB | %sx |\n' "$format" \
        "${corpus_means[$i]}" "$(mb_per_s "$corpus_bytes" "${corpus_means[$i]}")" \
        "${corpus_cpu[$i]}" "$(mb_per_s "$corpus_bytes" "${corpus_cpu[$i]}")" \
        "${big_means[$i]}" "$(mb_per_s "$big_bytes" "${big_means[$i]}")" \
        "${big_cpu[$i]}" "$(mb_per_s "$big_bytes" "${big_cpu[$i]}")" \
        "$((rss_kib * 1024 / 1000000))" "$ratio"
done
echo
echo "machine: nproc $(nproc), $(uname -m), $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg); pandoc $(pandoc --version | head -n 1 | cut -d' ' -f2)"
if [[ "${KEEP:-0}" == 1 ]]; then
    echo "work folder kept: $work"
fi
