/* cp-crash-point.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Named places where a test may kill the process outright, to prove that
 * the sync engine loses and duplicates nothing however abruptly it stops.
 * SIGKILL, not abort () or exit (): nothing runs after it — no atexit
 * handlers, no SQLite rollback, no flushing — which is exactly what a
 * power cut or the OOM killer leaves behind.
 *
 *   CP_CRASH_AT=NAME        die the first time point NAME is reached
 *   CP_CRASH_AT=NAME:N      die the Nth time (N ≥ 1) it is reached
 *   CP_CRASH_RANDOM=SEED:PERMILLE
 *                           at every point reached, die with probability
 *                           PERMILLE / 1000, drawn from a generator seeded
 *                           with SEED, so a failing run can be replayed
 *
 * Before dying the point writes "cp-crash-point: killed at NAME" to
 * stderr, so a harness can tell which point fired.
 *
 * With neither variable set a point costs one atomic load after the first
 * call, which reads the environment once: safe to leave in release builds
 * on the hot path of a batch.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Named points the engine is expected to place. They are plain strings,
 * listed here so the engine and the crash harness agree on the spelling. */
#define CP_CRASH_POINT_AFTER_CLAIM              "after-claim"
#define CP_CRASH_POINT_AFTER_SEND_BEFORE_RECORD "after-send-before-record"
#define CP_CRASH_POINT_MID_BATCH_COMMIT         "mid-batch-commit"
#define CP_CRASH_POINT_AFTER_RESPONSE_BEFORE_COMMIT "after-response-before-commit"

void  cp_crash_point  (const char *name);

G_END_DECLS
