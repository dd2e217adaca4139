#!/usr/bin/env bash
# The README's first command: set up, build, and run ctxaudit on the bundled Fixtures/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
swift build -c release --product ctxaudit
bin="$(swift build -c release --show-bin-path)/ctxaudit"
for dir in Fixtures/models/*/; do
  "$bin" inspect "$dir" || true
done
