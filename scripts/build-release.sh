#!/usr/bin/env bash
# The production build: the server with thin LTO (target/release/section41) and the browser
# bundle optimised for size and stripped (target/site), as `cargo leptos build --release`
# would make them but without wasm-opt. cargo-leptos runs wasm-opt on every release build,
# and the only one reachable here (Debian's binaryen 108) rewrites wasm-bindgen's externref
# table export to point at the function table, so the page fails to hydrate
# ("WebAssembly.Table.set(): Argument 1 is invalid"). rustc's opt-level z + LTO + strip
# gives the same size without it.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
cargo build --release -p server --bin section41
cargo build -p app --lib --target wasm32-unknown-unknown --profile wasm-release \
  --no-default-features --features hydrate
site=target/site
rm -rf "$site"
mkdir -p "$site/pkg"
cp -r style/assets/. "$site/"
cp style/main.css "$site/pkg/section41.css"
wasm-bindgen --target web --no-typescript --out-dir "$site/pkg" --out-name section41 \
  target/wasm32-unknown-unknown/wasm-release/app.wasm
mv "$site/pkg/section41_bg.wasm" "$site/pkg/section41.wasm"
echo "release build: target/release/section41 and $site/ ($(du -k "$site/pkg/section41.wasm" | cut -f1) KB of wasm before compression)"
