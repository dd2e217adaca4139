#!/usr/bin/env bash
# Runs the whole test suite under a sanitizer, each in its own build directory.
#
#   scripts/sanitize.sh address    AddressSanitizer over the test suite, then LeakSanitizer over
#                                  the ASan-built ctxaudit on every fixture, in .build-asan
#   scripts/sanitize.sh thread     ThreadSanitizer over the test suite, in .build-tsan, then a
#                                  planted race that must be reported
#   scripts/sanitize.sh            both, one after the other
#
# Why leaks are checked on the command-line tool and not inside the test binary: LeakSanitizer
# gives false positives for Swift values kept alive until exit behind multi-payload enums (the
# enum case is stored in the spare bits of the pointer, so LSan does not see the reference;
# llvm/llvm-project#56751, reproduced in docs/fuzzing.md). The test binary keeps such values in
# statics and in Swift Testing's captured expectations, so its report is noise (about 2,000
# "leaks", all reachable). The tool frees everything it builds before it exits, so the same
# check over a real scan of every fixture, in every format and subcommand, is exact: any report
# there is a real leak. The fuzz targets check leaks per input as well (libFuzzer's default).
#
# Any sanitizer report makes the run exit non-zero, and so this script. Prints each run's time.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
export PATH=/opt/swift/usr/bin:$PATH
# Swift's own backtracer and the sanitizers' reports step on each other on a crash.
export SWIFT_BACKTRACE=enable=no

# Every subcommand and format of the ASan-built tool over the bundled fixtures, with leak checks.
# Exit codes 0, 1 (findings) and 2 (inspect of a broken file) are expected; any other exit code
# or any sanitizer report fails the check.
leak_check() {
  local bin=.build-asan/debug/ctxaudit out err failed=0 rc
  out=$(mktemp -d)
  err="$out/stderr"
  local -a runs=(
    "scan Fixtures"
    "scan --jobs 1 --format json Fixtures"
    "scan --format sarif Fixtures/trees Fixtures/models"
    "scan --format markdown Fixtures/stores"
    "scan --format jsonl Fixtures/archives Fixtures/hostile"
    "scan --shard 1/2 --format json --output $out/shard-1.json Fixtures/models"
    "scan --shard 2/2 --format jsonl --output $out/shard-2.jsonl Fixtures/models"
    "merge --format table $out/shard-1.json $out/shard-2.jsonl"
    "inspect Fixtures/models/llama-3.1-8b-instruct"
    "inspect --format json Fixtures/trees/llama-3.1-gguf"
    "inspect Fixtures/gguf/phi3-mini-128k-longrope.gguf"
    "inspect Fixtures/gguf/huge-string-length.gguf"
    "inspect Fixtures/cards/llama-3.1-8b-instruct"
    "hook Fixtures/trees/qwen3-8b-served-with-yarn/config.json"
    "rules list"
    "rules explain model-served-exceeds-effective"
    "rules test"
  )
  # First prove the check is live: a library that leaks 4242 bytes in a constructor, preloaded
  # into the tool, must be reported (a check that cannot fail proves nothing).
  printf '%s\n' '#include <stdlib.h>' '#include <string.h>' 'void *volatile sink;' \
    '__attribute__((constructor)) static void plant(void) { char *p = malloc(4242); memset(p, 1, 4242); sink = p; sink = 0; }' \
    >"$out/plant.c"
  clang -shared -fPIC -O0 "$out/plant.c" -o "$out/plant.so"
  set +e
  LD_PRELOAD="$out/plant.so" ASAN_OPTIONS="detect_leaks=1:exitcode=86" "$bin" rules list >/dev/null 2>"$err"
  rc=$?
  set -e
  if [[ $rc -ne 86 ]] || ! grep -q "4242 byte(s) leaked in 1 allocation" "$err"; then
    echo "leak check is not live: a planted 4242-byte leak was not reported (exit $rc)" >&2
    rm -rf "$out"
    return 1
  fi
  echo "leak check live: a planted 4242-byte leak is reported"
  for args in "${runs[@]}"; do
    set +e
    # shellcheck disable=SC2086
    ASAN_OPTIONS="detect_leaks=1:exitcode=86:${ASAN_OPTIONS:-}" "$bin" $args >/dev/null 2>"$err"
    rc=$?
    set -e
    if [[ $rc -gt 2 ]] || grep -q "Sanitizer" "$err"; then
      echo "leak check FAILED (exit $rc): ctxaudit $args" >&2
      grep -A40 "Sanitizer" "$err" >&2 || tail -5 "$err" >&2
      failed=1
    else
      echo "leak check ok (exit $rc): ctxaudit $args"
    fi
  done
  rm -rf "$out"
  return $failed
}

# Proves ThreadSanitizer is live on this machine and in the suite: the test binary carries the
# TSan runtime, and a ten-line program with a planted data race, built with the same toolchain,
# is reported (a check that cannot fail proves nothing).
tsan_live() {
  local scratch=$1 dir attempt
  if ! nm "$scratch/debug/ctxauditPackageTests.xctest" | grep " T __tsan_init$" >/dev/null; then
    echo "the test binary in $scratch carries no ThreadSanitizer runtime" >&2
    return 1
  fi
  dir=$(mktemp -d)
  # Two threads bump one unguarded counter 100,000 times each. Whether one run is reported
  # depends on scheduling (on a loaded machine the threads may not meet), so up to 60 runs (each reported about one time in five here).
  printf '%s\n' 'import Foundation' 'final class Box: @unchecked Sendable { var counter = 0 }' 'let box = Box()' \
    'let done = DispatchSemaphore(value: 0)' \
    'for _ in 0..<2 { Thread { for _ in 0..<100_000 { box.counter += 1 }; done.signal() }.start() }' \
    'done.wait()' 'done.wait()' 'print(box.counter)' >"$dir/race.swift"
  swiftc -sanitize=thread -g "$dir/race.swift" -o "$dir/race" 2>/dev/null
  for attempt in $(seq 1 60); do
    TSAN_OPTIONS="halt_on_error=0" "$dir/race" >/dev/null 2>"$dir/stderr" || true
    if grep -q "WARNING: ThreadSanitizer:" "$dir/stderr"; then
      rm -rf "$dir"
      echo "thread sanitizer live: the suite carries the TSan runtime; a planted race was reported (run $attempt)"
      return 0
    fi
  done
  rm -rf "$dir"
  echo "ThreadSanitizer is not live: a planted race was not reported in 60 runs" >&2
  return 1
}

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
    ASAN_OPTIONS="detect_leaks=0:abort_on_error=0:${ASAN_OPTIONS:-}" \
      swift test --scratch-path "$scratch" --sanitize=address
    status=$?
    if [[ $status -eq 0 ]]; then
      echo "== leak sanitizer over the ASan-built ctxaudit on Fixtures/"
      leak_check
      status=$?
    fi
  else
    TSAN_OPTIONS="halt_on_error=0:${TSAN_OPTIONS:-}" \
      swift test --scratch-path "$scratch" --sanitize=thread
    status=$?
    if [[ $status -eq 0 ]]; then
      tsan_live "$scratch"
      status=$?
    fi
  fi
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
