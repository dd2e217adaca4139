#!/usr/bin/env bash
# Runs the whole test suite under a sanitizer, each in its own build directory.
#
#   scripts/sanitize.sh address    AddressSanitizer + LeakSanitizer, in .build-asan
#   scripts/sanitize.sh thread     ThreadSanitizer, in .build-tsan
#   scripts/sanitize.sh            both, one after the other
#
# LeakSanitizer reads lsan.supp, which suppresses only the objects XCTest keeps alive until
# exit (libXCTest.so); a leak in our code still fails the run. Any sanitizer report makes
# the test binary exit non-zero, and so this script. Prints each run's wall time.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
export PATH=/opt/swift/usr/bin:$PATH
# Swift's own backtracer and the sanitizers' reports step on each other on a crash.
export SWIFT_BACKTRACE=enable=no

run() {
  local kind=$1 scratch start status
  case "$kind" in
    address) scratch=.build-asan ;;
    thread) scratch=.build-tsan ;;
    *) echo "unknown sanitizer '$kind' (expected address or thread)" >&2; exit 64 ;;
  esac
  echo "== $kind sanitizer: build and test in $scratch"
  start=$(date +%s)
  set +e
  if [[ $kind == address ]]; then
    LSAN_OPTIONS="suppressions=$PWD/lsan.supp:print_suppressions=0" \
      ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:${ASAN_OPTIONS:-}" \
      swift test --scratch-path "$scratch" --sanitize=address
  else
    TSAN_OPTIONS="halt_on_error=0:${TSAN_OPTIONS:-}" \
      swift test --scratch-path "$scratch" --sanitize=thread
  fi
  status=$?
  set -e
  echo "== $kind sanitizer: exit $status after $(($(date +%s) - start))s"
  return $status
}

if [[ $# -eq 0 ]]; then
  run address
  run thread
else
  run "$1"
fi
