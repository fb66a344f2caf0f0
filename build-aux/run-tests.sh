#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Run every test of Counterpart, the way CI does:
#   1. install the Debian packages that are missing (build-aux/debian-packages.txt);
#   2. build _build with -Dwerror=true and run the whole suite (core, cli,
#      gui, data) inside a private D-Bus session with an unlocked
#      gnome-keyring and an Xvfb display (build-aux/test-session.sh);
#   3. build _build-asan with AddressSanitizer and UndefinedBehaviorSanitizer
#      and run the core, cli, sandbox and fuzz (corpus replay) suites again there;
#   4. print one last line: "N passed, N failed, N skipped". Exit 1 if
#      anything failed.
#
# Environment: MESON_TEST_ARGS adds arguments to both meson test runs
# (e.g. MESON_TEST_ARGS="--suite core"); CP_SKIP_ASAN=1 skips step 3.
# The tests see CP_TEST_HARNESS=1 (services are there: fail, do not skip
# without them) and, in step 3, CP_SANITIZED=1 (everything is slower).

set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

say () { printf '\n=== %s\n' "$*"; }

say "Checking the Debian packages"
build-aux/install-deps.sh

logdir="$(mktemp -d "${TMPDIR:-/tmp}/counterpart-run-tests.XXXXXX")"
trap 'rm -rf "$logdir"' EXIT

passed=0
failed=0
skipped=0

# setup_build DIR OPTIONS...: configure DIR, or reconfigure it with OPTIONS
# when it exists (wiping it if it was made by another meson version).
setup_build () {
  local dir="$1"; shift
  if [ -f "$dir/meson-private/coredata.dat" ]; then
    meson setup --reconfigure "$dir" "$@" || meson setup --wipe "$dir" "$@"
  else
    rm -rf "$dir"
    meson setup "$dir" "$@"
  fi
}

# count_results LOG: add meson test's closing summary in LOG to the totals.
# A run that printed no summary (it did not get to run the tests) counts
# as one failure.
count_results () {
  local log="$1" counts
  counts="$(awk -F: '
    /^Ok:/              { ok += $2; seen = 1 }
    /^Expected Fail:/   { ok += $2 }
    /^Fail:/            { bad += $2 }
    /^Unexpected Pass:/ { bad += $2 }
    /^Timeout:/         { bad += $2 }
    /^Skipped:/         { skip += $2 }
    END { printf "%d %d %d %d\n", ok, bad, skip, seen }' "$log")"
  read -r ok bad skip seen <<< "$counts"
  if [ "$seen" -ne 1 ]; then
    echo "run-tests: $log has no test summary; counting the run as one failure." >&2
    bad=$((bad + 1))
  fi
  passed=$((passed + ok))
  failed=$((failed + bad))
  skipped=$((skipped + skip))
}

# run_pass NAME BUILD_DIR MESON_TEST_ARGS...: build, then test in the harness.
run_pass () {
  local name="$1" dir="$2"; shift 2
  local log="$logdir/$name.log"

  say "Building $dir"
  if ! meson compile -C "$dir"; then
    echo "run-tests: the $name build failed; its tests did not run." >&2
    failed=$((failed + 1))
    return
  fi

  say "Testing $dir ($name)"
  # shellcheck disable=SC2086 # MESON_TEST_ARGS is meant to split
  dbus-run-session -- build-aux/test-session.sh \
    meson test -C "$dir" --no-rebuild --print-errorlogs --num-processes 2 \
      --timeout-multiplier 3 "$@" ${MESON_TEST_ARGS:-} 2>&1 | tee "$log" || true
  count_results "$log"
}

# --- Pass 1: everything, warnings are errors --------------------------------
say "Configuring _build"
if setup_build _build -Dwerror=true; then
  run_pass main _build
else
  echo "run-tests: configuring _build failed." >&2
  failed=$((failed + 1))
fi

# --- Pass 2: core, cli, sandbox and the fuzz corpora under ASan + UBSan --------------
# The window is left out of this pass (-Dgui_tests=false): GTK, Mesa and
# fontconfig keep one-time allocations and do things ASan reports that are
# not ours, which would drown real findings. The core and the CLI are where
# parsers and money live.
if [ "${CP_SKIP_ASAN:-0}" != 1 ]; then
  say "Configuring _build-asan"
  export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_summary=1:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1"
  export LSAN_OPTIONS="suppressions=$root/build-aux/lsan.supp:print_suppressions=0"
  export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_summary=1:print_stacktrace=1"
  # Everything runs several times slower here: tests with a time limit
  # relax it when they see this.
  export CP_SANITIZED=1
  if setup_build _build-asan -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false \
       -Dgui_tests=false -Dbuildtype=debug; then
    failed_before=$failed
    run_pass asan _build-asan --suite core --suite cli --suite sandbox --suite connectors --suite fuzz --suite engine
    if [ "$failed" -gt "$failed_before" ]; then
      # The fast unwinder stops at libraries built without frame pointers
      # (GLib), so leak reports end at g_realloc. The slow one finds the
      # caller, at about four times the run time.
      echo "run-tests: for full stacks in the sanitizer reports, run a failing test again with" >&2
      echo "  ASAN_OPTIONS=fast_unwind_on_malloc=0:malloc_context_size=12 LSAN_OPTIONS=suppressions=$root/build-aux/lsan.supp \\" >&2
      echo "  dbus-run-session -- build-aux/test-session.sh meson test -C _build-asan --no-rebuild TESTNAME" >&2
    fi
  else
    echo "run-tests: configuring _build-asan failed." >&2
    failed=$((failed + 1))
  fi
fi

say "Summary"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
