/* cp-sandbox-json.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A JSON writer straight into a GString, for the fakes' list pages: a
 * page of 200 orders built as JsonBuilder nodes and then generated costs
 * the fake more than the client spends storing it, and the benchmarks
 * measure the client. What it writes is byte for byte what json-glib's
 * generator writes for the same values without pretty printing (no
 * spaces, json-glib's own string escaping), so switching a response to it
 * changes nothing on the wire; tests/sandbox/test-sandbox-json.c holds it
 * to that.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  GString  *out;
  guint     depth;
  gboolean  after_member;  /* the next value is a member's: no comma */
  guint64   has_items;     /* bit N: the container at depth N has an item */
} CpSandboxJson;

void  cp_sandbox_json_init         (CpSandboxJson *w,
                                    GString       *out);
void  cp_sandbox_json_begin_object (CpSandboxJson *w);
void  cp_sandbox_json_end_object   (CpSandboxJson *w);
void  cp_sandbox_json_begin_array  (CpSandboxJson *w);
void  cp_sandbox_json_end_array    (CpSandboxJson *w);
/* The next value is the member NAME of the open object. */
void  cp_sandbox_json_member       (CpSandboxJson *w,
                                    const char    *name);
/* NULL writes null, as json-glib does for a NULL string. */
void  cp_sandbox_json_string       (CpSandboxJson *w,
                                    const char    *value);
void  cp_sandbox_json_int          (CpSandboxJson *w,
                                    gint64         value);
void  cp_sandbox_json_boolean      (CpSandboxJson *w,
                                    gboolean       value);
void  cp_sandbox_json_null         (CpSandboxJson *w);
/* UNIX_US as g_date_time_format_iso8601() writes it in UTC
 * ("2026-06-01T09:30:00Z", ".123456" before the Z when there are µs). */
void  cp_sandbox_json_time         (CpSandboxJson *w,
                                    gint64         unix_us);

void  cp_sandbox_json_member_string (CpSandboxJson *w,
                                     const char    *name,
                                     const char    *value);
void  cp_sandbox_json_member_int    (CpSandboxJson *w,
                                     const char    *name,
                                     gint64         value);

/* VALUE quoted and escaped as json-glib's generator does. */
void  cp_sandbox_json_append_string (GString    *out,
                                     const char *value);

G_END_DECLS
