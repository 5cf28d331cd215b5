#!/usr/bin/env bash
# The production build: the server with thin LTO (target/release/section41) and the browser
# bundle optimised for size (target/site; see scripts/build-site.sh for why not wasm-opt).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
cargo build --release -p server --bin section41
scripts/build-site.sh --release
