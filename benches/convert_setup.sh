# Sourced by the convert benchmarks (benches/convert_vs_pandoc.sh,
# benches/convert_html.sh) after they set `repo_root` and `corpus`: installs
# pandoc, hyperfine and GNU time with apt-get when missing (one update),
# builds the release binary as `chatlint`, makes the work folder `work`
# (removed on exit unless KEEP=1) with `work/files0`, the files
# `chatlint convert CORPUS` converts (*.md and *.markdown, hidden files and
# folders skipped, as the `ignore` crate's walk does), NUL-separated, and
# defines the helpers below.

# --- tools: install what is missing, with one apt-get update ---------------
missing=()
command -v pandoc >/dev/null 2>&1 || missing+=(pandoc)
command -v hyperfine >/dev/null 2>&1 || missing+=(hyperfine)
[[ -x /usr/bin/time ]] || missing+=(time)
if ((${#missing[@]})); then
    sudo_if_needed=()
    [[ "$(id -u)" -eq 0 ]] || sudo_if_needed=(sudo)
    "${sudo_if_needed[@]}" apt-get update
    "${sudo_if_needed[@]}" apt-get install -y "${missing[@]}"
fi

cargo build --release
chatlint="$repo_root/target/release/chatlint"

work="$(mktemp -d)"
mkdir -p "$work/out"
if [[ "${KEEP:-0}" != 1 ]]; then
    trap 'rm -rf "$work"' EXIT
fi

find "$corpus" -mindepth 1 -name '.*' -prune -o -type f \( -name '*.md' -o -name '*.markdown' \) -print0 >"$work/files0"
file_count="$(tr -cd '\0' <"$work/files0" | wc -c)"
corpus_bytes="$(xargs -0 cat <"$work/files0" | wc -c)"
echo "corpus: $corpus ($file_count files, $corpus_bytes bytes)"

# The mean wall time in seconds of each command of a hyperfine JSON export, in
# order; with `cpu`, the mean CPU time (user + system), which waiting for a
# CPU on a busy machine does not inflate.
means() {
    python3 -c 'import json, sys
results = json.load(open(sys.argv[1]))["results"]
cpu = sys.argv[2:] == ["cpu"]
print(" ".join(str(r["user"] + r["system"] if cpu else r["mean"]) for r in results))' "$@"
}
mb_per_s() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", b / 1e6 / s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# Peak resident set size in kB of a command (its output thrown away).
peak_kib() {
    /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': *' '/Maximum resident set size/ { print $2 }'
}

# Writes `big`, one transcript of about SIZE_MB (argument 1) in
# `work/big`: one front matter, then the bodies of the corpus's transcripts
# (the lines after their front matter) over and over; sets `big_bytes`.
make_big_transcript() {
    big="$work/big/2017-08-25-chat.md"
    mkdir -p "$work/big"
    printf -- '---\nlayout:     source \ntitle:      "2017-08-25-WeChat"\ndate:       2017-08-25 12:00:00\nauthor:     "PaymentGroup"\ntag:\t\t  [chat]\n---\n' >"$big"
    xargs -0 awk '
        FNR == 1 { if ($0 !~ /^---[ \t\r]*$/) nextfile; inside = 1; next }
        inside { if ($0 ~ /^(---|\.\.\.)[ \t\r]*$/) inside = 0; next }
        { print }
    ' <"$work/files0" >"$work/bodies"
    while (($(stat -c %s "$big") < $1 * 1000000)); do
        cat "$work/bodies" >>"$big"
    done
    big_bytes="$(stat -c %s "$big")"
    echo "big transcript: $big_bytes bytes"
}
