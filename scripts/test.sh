#!/usr/bin/env bash
# Runs every test: domain unit and property tests, integration tests against SQLite and
# PostgreSQL, and browser tests in Chromium. One debug build serves all three stages.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
scripts/setup.sh --test

# PostgreSQL for the integration tests: each test creates (and drops) its own database.
export TEST_POSTGRES_URL="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"

echo "== build the browser bundle and styles (the server is built once, by cargo test)"
scripts/build-site.sh

echo "== unit and integration tests (SQLite and PostgreSQL)"
cargo test --workspace

echo "== browser tests (Chromium)"
(cd e2e && SECTION41_BIN="$PWD/../target/debug/section41" SITE_ROOT="$PWD/../target/site" node --test --test-concurrency=1 tests/)
