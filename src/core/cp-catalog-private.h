/* cp-catalog-private.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cp-catalog.h"

G_BEGIN_DECLS

/* Whether TEXT can be a code, SKU or barcode: 1 to MAX_CHARS characters
 * of valid UTF-8, no control characters, no spaces at either end. */
gboolean cp_catalog_is_clean_key (const char *text,
                                  gsize       max_chars);

G_END_DECLS
