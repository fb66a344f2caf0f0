/* cp-json-limits.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A size and nesting-depth pre-scan for untrusted JSON, run before
 * json-glib sees the bytes: json-glib 1.6 has no depth limit and crashes
 * at ~75,000 nested arrays. The scan is one linear pass with no memory
 * of its own, so a hostile document costs little to refuse. It does not
 * validate JSON; json-glib still does that once the limits hold.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CP_JSON_LIMITS_ERROR (cp_json_limits_error_quark ())

typedef enum
{
  CP_JSON_LIMITS_ERROR_TOO_LARGE,  /* more bytes than max_bytes */
  CP_JSON_LIMITS_ERROR_TOO_DEEP,   /* arrays/objects nested past max_depth */
} CpJsonLimitsError;

/* What an endpoint accepts when it has no reason to choose otherwise:
 * 1 MiB bodies and 64 levels, well inside what json-glib survives. */
#define CP_JSON_LIMITS_DEFAULT_MAX_BYTES ((gsize) 1024 * 1024)
#define CP_JSON_LIMITS_DEFAULT_MAX_DEPTH 64

GQuark    cp_json_limits_error_quark (void);

/* Whether DATA (LENGTH bytes, no NUL needed) has at most MAX_BYTES bytes
 * and nests arrays and objects at most MAX_DEPTH levels ("[]" is 1).
 * Brackets inside strings, escaped quotes included, do not count.
 * MAX_BYTES may be G_MAXSIZE for no size limit; MAX_DEPTH must be ≥ 1. */
gboolean  cp_json_check_limits       (const char  *data,
                                      gsize        length,
                                      gsize        max_bytes,
                                      guint        max_depth,
                                      GError     **error);

/* The same scan fed chunk by chunk, for a request body read from the
 * network: it refuses at the first byte past a limit, so the rest of the
 * body need not be read. A string or escape cut between two chunks is
 * carried over. */
typedef struct _CpJsonLimitsScanner CpJsonLimitsScanner;

CpJsonLimitsScanner *cp_json_limits_scanner_new      (gsize                max_bytes,
                                                      guint                max_depth);
void                 cp_json_limits_scanner_free     (CpJsonLimitsScanner *scanner);
/* FALSE once a limit is passed, and again on every later call. */
gboolean             cp_json_limits_scanner_feed     (CpJsonLimitsScanner *scanner,
                                                      const char          *data,
                                                      gsize                length,
                                                      GError             **error);
gsize                cp_json_limits_scanner_get_bytes (CpJsonLimitsScanner *scanner);
/* The deepest level seen so far. */
guint                cp_json_limits_scanner_get_max_depth_seen (CpJsonLimitsScanner *scanner);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpJsonLimitsScanner, cp_json_limits_scanner_free)

G_END_DECLS
