#!/usr/bin/env bash
# The README's first command: set up, build, and run ctxaudit on the bundled Fixtures/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
swift build -c release --product ctxaudit
bin="$(swift build -c release --show-bin-path)/ctxaudit"
# The main job: audit every bundled model and scenario. Findings make ctxaudit exit 1 by
# design (they are the point of the fixtures), so that status is not an error here.
status=0
"$bin" scan Fixtures/models Fixtures/trees || status=$?
[ "$status" -le 1 ] || exit "$status"
echo "ctxaudit scan finished (exit $status: 0 clean, 1 findings at or above --fail-on)"
