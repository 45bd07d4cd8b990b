#!/usr/bin/env bash
# The steps of action.yml, one per subcommand, so that a test can run them
# outside GitHub (tests/action.rs):
#
#   action.sh key      the cache key of the binary: the runner's system and a
#                      hash of the sources it is built from (to $GITHUB_OUTPUT)
#   action.sh install  `cargo install --locked` from the action's own sources
#                      into $CHATLINT_ACTION_HOME, unless the cache restored it
#   action.sh check    chatlint check: annotations on stdout, SARIF to a file;
#                      exits as chatlint does (0 clean, 1 findings, 2 error)
#
# Environment: GITHUB_ACTION_PATH (the action's sources; default: this
# repository), GITHUB_OUTPUT (a file; default: none), CHATLINT_ACTION_HOME
# (default ~/.chatlint-action), CHATLINT_PATHS (default "."), CHATLINT_SARIF
# (default chatlint.sarif), CHATLINT_ARGS (default none).
set -euo pipefail

source_dir="${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}"
home="${CHATLINT_ACTION_HOME:-$HOME/.chatlint-action}"
binary="$home/bin/chatlint"
output() { if [[ -n "${GITHUB_OUTPUT:-}" ]]; then echo "$1" >> "$GITHUB_OUTPUT"; fi; }

case "${1:-}" in
key)
    # Any change to what the binary is built from changes the key.
    hash="$(cd "$source_dir" && find Cargo.toml Cargo.lock build.rs src -type f -print0 |
        sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)"
    key="chatlint-$(uname -s)-$(uname -m)-$hash"
    echo "key: $key"
    output "key=$key"
    ;;
install)
    if [[ -x "$binary" ]] && "$binary" --version >/dev/null 2>&1; then
        echo "chatlint is installed (restored from the cache): $("$binary" --version)"
    else
        cargo install --locked --path "$source_dir" --root "$home"
    fi
    ;;
check)
    read -r -a paths <<< "${CHATLINT_PATHS:-.}"
    read -r -a args <<< "${CHATLINT_ARGS:-}"
    sarif="${CHATLINT_SARIF:-chatlint.sarif}"
    output "sarif=$sarif"
    status=0
    "$binary" check --output github --output "sarif:$sarif" ${args[@]+"${args[@]}"} "${paths[@]}" || status=$?
    exit "$status"
    ;;
*)
    echo "usage: $0 key|install|check" >&2
    exit 2
    ;;
esac
