/* cp-sandbox-platform.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cp-sandbox-platform"

#include "config.h"

#include "cp-sandbox-platform.h"

G_DEFINE_INTERFACE (CpSandboxPlatform, cp_sandbox_platform, G_TYPE_OBJECT)

static void
cp_sandbox_platform_default_init (CpSandboxPlatformInterface *iface)
{
}

const char *
cp_sandbox_platform_get_name (CpSandboxPlatform *self)
{
  g_return_val_if_fail (CP_IS_SANDBOX_PLATFORM (self), NULL);
  return CP_SANDBOX_PLATFORM_GET_IFACE (self)->get_name (self);
}

const char *
cp_sandbox_platform_get_api_path (CpSandboxPlatform *self)
{
  CpSandboxPlatformInterface *iface;

  g_return_val_if_fail (CP_IS_SANDBOX_PLATFORM (self), NULL);
  iface = CP_SANDBOX_PLATFORM_GET_IFACE (self);
  return iface->get_api_path ? iface->get_api_path (self) : "";
}

const char *
cp_sandbox_platform_classify (CpSandboxPlatform *self,
                              const char        *method,
                              const char        *path)
{
  g_return_val_if_fail (CP_IS_SANDBOX_PLATFORM (self), NULL);
  return CP_SANDBOX_PLATFORM_GET_IFACE (self)->classify (self, method, path);
}

void
cp_sandbox_platform_handle (CpSandboxPlatform *self,
                            CpSandboxServer   *server,
                            SoupServerMessage *msg,
                            const char        *path)
{
  g_return_if_fail (CP_IS_SANDBOX_PLATFORM (self));
  CP_SANDBOX_PLATFORM_GET_IFACE (self)->handle (self, server, msg, path);
}

void
cp_sandbox_platform_write_error (CpSandboxPlatform *self,
                                 SoupServerMessage *msg,
                                 guint              status,
                                 const char        *code,
                                 const char        *message)
{
  g_return_if_fail (CP_IS_SANDBOX_PLATFORM (self));
  CP_SANDBOX_PLATFORM_GET_IFACE (self)->write_error (self, msg, status, code, message);
}
