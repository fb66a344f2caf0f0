/* cp-connectors.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Registers every connector this build has with the core's platform
 * registry (cp_connector_register_platform). The CLI, the window and the
 * tests call it once at start-up.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void cp_connectors_register_all (void);

G_END_DECLS
