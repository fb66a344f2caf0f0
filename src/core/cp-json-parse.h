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

G_END_DECLS
