/* cp-json-parse.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A fast reader of JSON text into json-glib's JsonNode tree, for the
 * answers platforms send on every push and pull. json-glib 1.6's
 * JsonParser goes through a GScanner and costs several times what the
 * tree itself costs; this reader builds the same tree with json-glib's
 * own node API, so callers keep their JsonNode/JsonObject code.
 *
 * The promise: whenever the fast path returns a tree, json-glib 1.6 would
 * have returned an identical one for the same bytes (node types, int64
 * versus double, string bytes, member order, the last of duplicate
 * members winning in the first one's place). Anything it is not sure of
 * (non-RFC input json-glib tolerates, invalid UTF-8, control characters,
 * \u0000, lone surrogates, long numbers, trailing bytes, empty input, and
 * every error) it leaves to json-glib, so edge behaviour and error
 * messages stay json-glib's.
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  CP_JSON_PARSE_NONE      = 0,
  /* Seal the tree, as json_parser_new_immutable() does. */
  CP_JSON_PARSE_IMMUTABLE = 1 << 0,
} CpJsonParseFlags;

/* The fast path alone: a new tree for DATA (LENGTH bytes, no NUL needed),
 * or NULL when the bytes are not plain RFC 8259 JSON it reads exactly as
 * json-glib does; the caller then asks json-glib. It never reports an
 * error of its own. */
JsonNode *cp_json_parse_fast (const char       *data,
                              gsize             length,
                              CpJsonParseFlags  flags);

/* The fast path, and json-glib's JsonParser when it declines. TRUE with
 * *OUT_ROOT set to a new tree, or to NULL for a document with no value
 * (json-glib 1.6 accepts empty and blank input that way); FALSE with
 * json-glib's own error, unchanged, otherwise. */
gboolean  cp_json_parse      (const char       *data,
                              gsize             length,
                              CpJsonParseFlags  flags,
                              JsonNode        **out_root,
                              GError          **error);

/* A pull scanner over the same strict reader, for callers that take a
 * few members out of a large answer without building a tree. Its rules
 * are cp_json_parse_fast's: anything it is not sure json-glib reads the
 * same way (and nesting past MAX_DEPTH) makes a call answer FALSE or
 * CP_JSON_SCAN_DECLINED, and the caller then reads the bytes the tree
 * way, so errors and edge behaviour stay the tree path's. After a
 * decline the scanner is good only for cp_json_scanner_free.
 *
 * Each value is read whole (entered and stepped to its END, read, or
 * skipped) before its container's next step. Whitespace after each
 * token is skipped. */
typedef struct _CpJsonScanner CpJsonScanner;

typedef enum
{
  CP_JSON_KIND_NONE,   /* no value starts here */
  CP_JSON_KIND_OBJECT,
  CP_JSON_KIND_ARRAY,
  CP_JSON_KIND_STRING,
  CP_JSON_KIND_NUMBER,
  CP_JSON_KIND_TRUE,
  CP_JSON_KIND_FALSE,
  CP_JSON_KIND_NULL,
} CpJsonKind;

typedef enum
{
  CP_JSON_SCAN_DECLINED,
  CP_JSON_SCAN_NEXT,     /* at the next member's value, or element */
  CP_JSON_SCAN_END,      /* past the closing bracket */
} CpJsonScanStep;

CpJsonScanner *cp_json_scanner_new          (const char      *data,
                                             gsize            length,
                                             guint            max_depth);
void           cp_json_scanner_free         (CpJsonScanner   *scanner);
/* The kind of the value at the scanner, from its first byte. */
CpJsonKind     cp_json_scanner_peek         (CpJsonScanner   *scanner);
/* Past the '{' or '[' of the value at the scanner. */
gboolean       cp_json_scanner_enter        (CpJsonScanner   *scanner);
/* *OUT_NAME is valid until the next call of next_member. */
CpJsonScanStep cp_json_scanner_next_member  (CpJsonScanner   *scanner,
                                             const char     **out_name);
CpJsonScanStep cp_json_scanner_next_element (CpJsonScanner   *scanner);
/* *OUT_TEXT (valid UTF-8, no NUL inside) is valid until the next string
 * value is read. */
gboolean       cp_json_scanner_read_string  (CpJsonScanner   *scanner,
                                             const char     **out_text);
/* An integer (*OUT_IS_INT, *OUT_INT) or a double, as json-glib's node
 * would hold it. */
gboolean       cp_json_scanner_read_number  (CpJsonScanner   *scanner,
                                             gboolean        *out_is_int,
                                             gint64          *out_int,
                                             double          *out_double);
/* true, false or null. */
gboolean       cp_json_scanner_read_literal (CpJsonScanner   *scanner);
/* Any value, checked as strictly as one that is read. */
gboolean       cp_json_scanner_skip         (CpJsonScanner   *scanner);
/* TRUE when the top value was read whole and only whitespace followed. */
gboolean       cp_json_scanner_at_end       (CpJsonScanner   *scanner);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpJsonScanner, cp_json_scanner_free)

G_END_DECLS
