#!/usr/bin/env bash
# Builds and runs the app on its embedded defaults: a SQLite file under ./data, mail
# written to ./data/outbox, documents under ./data/documents. Prints the URL.
#   scripts/run.sh --demo   also loads the demo data set and prints the demo accounts
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
scripts/setup.sh
cargo leptos build
if [[ "${1:-}" == "--demo" ]]; then
  target/debug/section41 demo
fi
exec target/debug/section41 serve
