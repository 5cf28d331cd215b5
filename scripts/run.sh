#!/usr/bin/env bash
# Builds and runs the app on its embedded defaults: a SQLite file under ./data (claims and
# their documents), mail written to ./data/outbox. Prints the URL.
#   scripts/run.sh --demo      also loads the demo data set and prints the demo accounts
#   scripts/run.sh --release   the production build: optimised server and browser bundle
#                              (add --demo after it for demo data too)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
profile=debug
scripts/setup.sh
if [[ "${1:-}" == "--release" ]]; then
  profile=release
  shift
  scripts/build-release.sh
else
  cargo build -p server --bin section41
  scripts/build-site.sh
fi
if [[ "${1:-}" == "--demo" ]]; then
  target/$profile/section41 demo
fi
exec target/$profile/section41 serve
