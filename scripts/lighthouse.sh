#!/usr/bin/env bash
# Lighthouse (mobile profile: a mid-range phone on a slow 4G link, as Lighthouse simulates
# it) on the release build, in Debian's Chromium, for the home page and the first step of
# the claim form. Prints each score beside its goal (performance ≥ 95, accessibility 100).
#   scripts/lighthouse.sh            builds the release first (scripts/build-release.sh)
#   scripts/lighthouse.sh --no-build uses the release build already in target/
# Lighthouse 12 (Node 18+; 13 needs Node 22) is installed under target/lighthouse, once.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
LIGHTHOUSE_VERSION=12.8.2
scripts/setup.sh --test
[[ "${1:-}" == "--no-build" ]] || scripts/build-release.sh
tools=target/lighthouse
if [[ "$("$tools/node_modules/.bin/lighthouse" --version 2>/dev/null)" != "$LIGHTHOUSE_VERSION" ]]; then
  echo "lighthouse: installing lighthouse $LIGHTHOUSE_VERSION under $tools"
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-audit --no-fund --loglevel=error "lighthouse@$LIGHTHOUSE_VERSION"
fi

data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
DATA_DIR="$data" LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT=target/site \
  target/release/section41 serve >"$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done
# The first step of the form is a fresh draft's page (its address is the draft's id).
step=$(curl -s -o /dev/null -w '%{redirect_url}' -X POST -H 'Sec-Fetch-Site: same-origin' "$base/file/start")
# Each file once, so the brotli copies are made before Lighthouse asks for them.
curl -s --compressed "$base/" >/dev/null

status=0
printf '\n%-40s %10s %8s   %s\n' "page" "measured" "goal" "verdict"
for page in "/" "${step#$base}"; do
  # The whole report stays under target/lighthouse, for the audits behind each score.
  out="$tools/$( [[ "$page" == "/" ]] && echo home || echo form-step ).json"
  "$tools/node_modules/.bin/lighthouse" "$base$page" --quiet --output=json --output-path="$out" \
    --only-categories=performance,accessibility --form-factor=mobile \
    --chrome-path=/usr/bin/chromium --chrome-flags="--headless=new --no-sandbox" >/dev/null
  python3 - "$out" "$page" <<'PY' || status=1
import json, sys
r = json.load(open(sys.argv[1]))
page = "home page" if sys.argv[2] == "/" else "form, first step"
a = r["audits"]
ok = True
for cat, goal in (("performance", 95), ("accessibility", 100)):
    score = round(r["categories"][cat]["score"] * 100)
    good = score >= goal
    ok &= good
    print(f"{page + ' ' + cat:<40} {score:>10} {'≥ ' + str(goal):>8}   {'meets goal' if good else 'below goal'}")
print(f"  (first contentful paint {a['first-contentful-paint']['displayValue']}, largest {a['largest-contentful-paint']['displayValue']}, "
      f"total blocking time {a['total-blocking-time']['displayValue']}, layout shift {a['cumulative-layout-shift']['displayValue']}, "
      f"{round(a['total-byte-weight']['numericValue'] / 1024)} KiB transferred)")
for cat in ("accessibility",):
    for ref in r["categories"][cat]["auditRefs"]:
        audit = a[ref["id"]]
        if audit.get("score") is not None and audit["score"] < 1 and ref["weight"] > 0:
            print(f"  failing: {audit['title']}")
sys.exit(0 if ok else 1)
PY
done
exit $status
