#!/usr/bin/env bash
# Builds the browser bundle and styles into target/site, as cargo-leptos would but with
# plain cargo and wasm-bindgen (so a fresh machine need not spend 15 minutes building
# cargo-leptos first):
#   scripts/build-site.sh            debug bundle (the tests and `scripts/run.sh`)
#   scripts/build-site.sh --release  optimised for size and stripped (`wasm-release` profile)
# The release bundle skips wasm-opt on purpose: the only one reachable here (Debian's
# binaryen 108) rewrites wasm-bindgen's externref table export to point at the function
# table, so the page fails to hydrate ("WebAssembly.Table.set(): Argument 1 is invalid").
# rustc's opt-level z + LTO + strip gives about the same size without it.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
profile=dev
out=debug
if [[ "${1:-}" == "--release" ]]; then
  profile=wasm-release
  out=wasm-release
fi
cargo build -p app --lib --target wasm32-unknown-unknown --profile "$profile" \
  --no-default-features --features hydrate
site=target/site
rm -rf "$site"
mkdir -p "$site/pkg"
cp -r style/assets/. "$site/"
cp style/main.css "$site/pkg/section41.css"
wasm-bindgen --target web --no-typescript --out-dir "$site/pkg" --out-name section41 \
  "target/wasm32-unknown-unknown/$out/app.wasm"
mv "$site/pkg/section41_bg.wasm" "$site/pkg/section41.wasm"
echo "site: $site/ ($(du -k "$site/pkg/section41.wasm" | cut -f1) KB of wasm before compression)"
