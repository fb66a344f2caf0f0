/* cp-fts.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Turning what a person typed into a search box into an FTS5 query that
 * can never be a syntax error. Internal to src/core.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Every whitespace-separated word of TEXT becomes an FTS5 string ("…",
 * with '"' doubled) followed by '*' (a prefix match); words are ANDed.
 * Quotes, asterisks, parentheses, AND/OR/NOT, column filters: all of it
 * is searched for as text, never read as FTS5 syntax. NULL when TEXT has
 * no word (NULL, empty or only spaces): then there is nothing to match. */
char *cp_fts_prefix_query (const char *text);

G_END_DECLS
