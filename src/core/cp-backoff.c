/* cp-backoff.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cp-backoff"

#include "config.h"

#include "cp-backoff.h"

gint64
cp_backoff_ceiling_us (gint64 base_us,
                       gint64 cap_us,
                       guint  attempt)
{
  g_return_val_if_fail (base_us >= 0, 0);
  g_return_val_if_fail (cap_us >= 0, 0);

  if (base_us == 0)
    return 0;

  /* base × 2^attempt ≥ cap is decided by shifting the cap down instead of
   * the base up, so neither the shift count nor the product can overflow,
   * however many attempts a job has piled up. */
  if (attempt >= 62 || base_us > (cap_us >> attempt))
    return cap_us;

  return base_us << attempt;
}

/* Uniform in [0, bound] over 64 bits: GRand gives 32 at a time. The modulo
 * bias is at most bound / 2^64, far below anything a schedule can show. */
static guint64
random_up_to (guint64  bound,
              GRand   *rand)
{
  guint64 value;

  if (rand != NULL)
    value = ((guint64) g_rand_int (rand) << 32) | g_rand_int (rand);
  else
    value = ((guint64) g_random_int () << 32) | g_random_int ();

  if (bound == G_MAXUINT64)
    return value;
  return value % (bound + 1);
}

gint64
cp_backoff_delay_us (gint64  base_us,
                     gint64  cap_us,
                     guint   attempt,
                     GRand  *rand)
{
  gint64 ceiling = cp_backoff_ceiling_us (base_us, cap_us, attempt);

  return (gint64) random_up_to ((guint64) ceiling, rand);
}
