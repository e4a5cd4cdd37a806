#!/usr/bin/env bash
# Prints one line for a test run's log: how many tests ran, passed, failed and were skipped
# (Swift Testing reports disabled tests as skipped and Test.cancel() as cancelled; both are
# skips here, each with its reason in the log).
set -euo pipefail
log=$1 label=$2
skipped=$(grep -cE '^.{0,4}(Test|Suite) .* (skipped|was cancelled after)' "$log" || true)
passed=$(grep -cE '^.{0,4}Test .* passed after' "$log" || true)
failed=$(grep -cE '^.{0,4}Test .* failed after' "$log" || true)
echo "$label: $passed passed, $failed failed, $skipped skipped"
echo "(skipped counts tests and whole suites; each skip's reason is in $log)"
