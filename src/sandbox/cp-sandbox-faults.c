/* cp-sandbox-faults.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Parsing of fault specs and the seeded decision for each request. The
 * decisions are drawn in request order from one GRand, so a failing sync
 * test can be replayed with the seed it printed.
 */

#define G_LOG_DOMAIN "cp-sandbox-faults"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "cp-sandbox-faults.h"

#define PPM 1000000u

struct _CpSandboxFaults
{
  GMutex             mutex;
  CpSandboxFaultSpec spec;
  GRand             *rand;
  CpSandboxFault     forced;
  guint              n_forced;
};

G_DEFINE_QUARK (cp-sandbox-faults-error-quark, cp_sandbox_faults_error)

static gboolean
set_error (GError     **error,
           const char  *part,
           const char  *why)
{
  g_set_error (error, CP_SANDBOX_FAULTS_ERROR, CP_SANDBOX_FAULTS_ERROR_SPEC,
               _("Invalid fault spec “%s”: %s. Use for example "
                 "5xx=0.1,429=0.05,reset=0.02,truncate=0.01,malformed=0.01,"
                 "latency=50ms,spike=0.01:2s,seed=42"),
               part, why);
  return FALSE;
}

/* "0.25", "1", "0", "5%": exact decimal to parts per million, so the spec a
 * person typed is the probability used, with no float rounding. */
static gboolean
parse_probability (const char *text,
                   guint32    *out_ppm)
{
  gsize len = strlen (text);
  guint64 whole = 0, frac = 0, scale = PPM;
  gboolean percent = FALSE, seen_digit = FALSE;
  const char *p = text;

  if (len > 0 && text[len - 1] == '%')
    {
      percent = TRUE;
      len--;
    }
  if (len == 0)
    return FALSE;

  while (p < text + len && g_ascii_isdigit (*p))
    {
      whole = whole * 10 + (guint64) (*p - '0');
      if (whole > 100)
        return FALSE;
      seen_digit = TRUE;
      p++;
    }
  if (p < text + len && *p == '.')
    {
      p++;
      while (p < text + len && g_ascii_isdigit (*p))
        {
          scale /= 10;
          if (scale == 0)
            return FALSE;
          frac += (guint64) (*p - '0') * scale;
          seen_digit = TRUE;
          p++;
        }
    }
  if (p != text + len || !seen_digit)
    return FALSE;

  {
    guint64 ppm = whole * PPM + frac;

    if (percent)
      ppm /= 100;
    if (ppm > PPM)
      return FALSE;
    *out_ppm = (guint32) ppm;
  }
  return TRUE;
}

/* "50ms", "2s", "250" (milliseconds). */
static gboolean
parse_duration_ms (const char *text,
                   guint      *out_ms)
{
  char *end = NULL;
  guint64 value;

  if (!g_ascii_isdigit (text[0]))
    return FALSE;
  value = g_ascii_strtoull (text, &end, 10);
  if (g_str_equal (end, "s"))
    value *= 1000;
  else if (!g_str_equal (end, "ms") && !g_str_equal (end, ""))
    return FALSE;
  if (value > 10 * 60 * 1000)  /* ten minutes: more is a typo, not a test */
    return FALSE;
  *out_ms = (guint) value;
  return TRUE;
}

gboolean
cp_sandbox_fault_spec_parse (const char          *text,
                             CpSandboxFaultSpec  *out_spec,
                             GError             **error)
{
  CpSandboxFaultSpec spec = { 0 };
  g_auto(GStrv) parts = NULL;

  g_return_val_if_fail (out_spec != NULL, FALSE);

  spec.retry_after_s = 1;

  if (text == NULL || *text == '\0' || g_str_equal (text, "none"))
    {
      *out_spec = spec;
      return TRUE;
    }

  parts = g_strsplit (text, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *part = g_strstrip (g_strdup (parts[i]));
      char *eq = strchr (part, '=');
      const char *key, *value;
      guint32 *prob = NULL;

      if (*part == '\0')
        continue;
      if (eq == NULL)
        return set_error (error, part, _("expected KEY=VALUE"));
      *eq = '\0';
      key = part;
      value = eq + 1;

      if (g_str_equal (key, "5xx"))
        prob = &spec.p_5xx;
      else if (g_str_equal (key, "429"))
        prob = &spec.p_429;
      else if (g_str_equal (key, "reset"))
        prob = &spec.p_reset;
      else if (g_str_equal (key, "truncate"))
        prob = &spec.p_truncate;
      else if (g_str_equal (key, "malformed"))
        prob = &spec.p_malformed;

      if (prob != NULL)
        {
          if (!parse_probability (value, prob))
            {
              *eq = '=';
              return set_error (error, part, _("a probability is a number from 0 to 1, such as 0.05, or a percentage such as 5%"));
            }
        }
      else if (g_str_equal (key, "latency"))
        {
          if (!parse_duration_ms (value, &spec.latency_ms))
            {
              *eq = '=';
              return set_error (error, part, _("a duration is a whole number of ms or s, such as 50ms or 2s"));
            }
        }
      else if (g_str_equal (key, "spike"))
        {
          g_autofree char *copy = g_strdup (value);
          char *colon = strchr (copy, ':');

          if (colon == NULL)
            {
              *eq = '=';
              return set_error (error, part, _("a spike is PROBABILITY:DURATION, such as 0.01:2s"));
            }
          *colon = '\0';
          if (!parse_probability (copy, &spec.p_spike) ||
              !parse_duration_ms (colon + 1, &spec.spike_ms))
            {
              *eq = '=';
              return set_error (error, part, _("a spike is PROBABILITY:DURATION, such as 0.01:2s"));
            }
        }
      else if (g_str_equal (key, "retry_after") || g_str_equal (key, "seed"))
        {
          guint64 n = 0;

          if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT32, &n, NULL))
            {
              *eq = '=';
              return set_error (error, part, _("expected a whole number"));
            }
          if (g_str_equal (key, "seed"))
            {
              spec.seed = (guint32) n;
              spec.has_seed = TRUE;
            }
          else
            spec.retry_after_s = (guint) n;
        }
      else
        {
          *eq = '=';
          return set_error (error, part, _("unknown fault; the faults are 5xx, 429, reset, truncate, malformed, latency, spike, retry_after and seed"));
        }
    }

  if ((guint64) spec.p_5xx + spec.p_429 + spec.p_reset + spec.p_truncate + spec.p_malformed > PPM)
    return set_error (error, text, _("the fault probabilities add up to more than 1"));

  *out_spec = spec;
  return TRUE;
}

static void
append_probability (GString    *out,
                    const char *key,
                    guint32     ppm)
{
  char frac[8];
  int n;

  if (ppm == 0)
    return;
  if (out->len > 0)
    g_string_append_c (out, ',');
  g_snprintf (frac, sizeof frac, "%06u", ppm % PPM);
  for (n = 5; n >= 0 && frac[n] == '0'; n--)
    frac[n] = '\0';
  if (frac[0] == '\0')
    g_string_append_printf (out, "%s=%u", key, ppm / PPM);
  else
    g_string_append_printf (out, "%s=%u.%s", key, ppm / PPM, frac);
}

char *
cp_sandbox_fault_spec_to_string (const CpSandboxFaultSpec *spec)
{
  GString *out = g_string_new (NULL);

  append_probability (out, "5xx", spec->p_5xx);
  append_probability (out, "429", spec->p_429);
  append_probability (out, "reset", spec->p_reset);
  append_probability (out, "truncate", spec->p_truncate);
  append_probability (out, "malformed", spec->p_malformed);
  if (spec->latency_ms > 0)
    g_string_append_printf (out, "%slatency=%ums", out->len ? "," : "", spec->latency_ms);
  if (spec->p_spike > 0)
    {
      append_probability (out, "spike", spec->p_spike);
      g_string_append_printf (out, ":%ums", spec->spike_ms);
    }
  if (spec->retry_after_s != 1)
    g_string_append_printf (out, "%sretry_after=%u", out->len ? "," : "", spec->retry_after_s);
  if (spec->has_seed)
    g_string_append_printf (out, "%sseed=%u", out->len ? "," : "", spec->seed);
  if (out->len == 0)
    g_string_append (out, "none");
  return g_string_free (out, FALSE);
}

CpSandboxFaults *
cp_sandbox_faults_new (void)
{
  CpSandboxFaults *faults = g_new0 (CpSandboxFaults, 1);

  g_mutex_init (&faults->mutex);
  faults->spec.retry_after_s = 1;
  faults->rand = g_rand_new_with_seed (0);
  return faults;
}

void
cp_sandbox_faults_free (CpSandboxFaults *faults)
{
  if (faults == NULL)
    return;
  g_rand_free (faults->rand);
  g_mutex_clear (&faults->mutex);
  g_free (faults);
}

void
cp_sandbox_faults_set_spec (CpSandboxFaults          *faults,
                            const CpSandboxFaultSpec *spec)
{
  g_mutex_lock (&faults->mutex);
  faults->spec = *spec;
  /* Reseeding on every change makes "set spec, run" reproducible; without
   * a seed a fresh random one keeps separate runs independent. */
  g_rand_set_seed (faults->rand, spec->has_seed ? spec->seed : g_random_int ());
  g_mutex_unlock (&faults->mutex);
}

void
cp_sandbox_faults_get_spec (CpSandboxFaults    *faults,
                            CpSandboxFaultSpec *out_spec)
{
  g_mutex_lock (&faults->mutex);
  *out_spec = faults->spec;
  g_mutex_unlock (&faults->mutex);
}

gboolean
cp_sandbox_faults_set_from_string (CpSandboxFaults  *faults,
                                   const char       *text,
                                   GError          **error)
{
  CpSandboxFaultSpec spec;

  if (!cp_sandbox_fault_spec_parse (text, &spec, error))
    return FALSE;
  cp_sandbox_faults_set_spec (faults, &spec);
  return TRUE;
}

void
cp_sandbox_faults_force (CpSandboxFaults *faults,
                         CpSandboxFault   fault,
                         guint            n_requests)
{
  g_mutex_lock (&faults->mutex);
  faults->forced = fault;
  faults->n_forced = n_requests;
  g_mutex_unlock (&faults->mutex);
}

CpSandboxFaultDecision
cp_sandbox_faults_decide (CpSandboxFaults *faults)
{
  CpSandboxFaultDecision d = { CP_SANDBOX_FAULT_NONE, 0 };
  const CpSandboxFaultSpec *s;
  guint32 roll;

  g_mutex_lock (&faults->mutex);
  s = &faults->spec;

  /* Two draws per request whatever the spec, so switching one fault on
   * does not shift the sequence of the others. */
  roll = g_rand_int_range (faults->rand, 0, PPM);
  d.delay_ms = s->latency_ms;
  if (g_rand_int_range (faults->rand, 0, PPM) < (gint32) s->p_spike)
    d.delay_ms += s->spike_ms;

  if (faults->n_forced > 0)
    {
      d.fault = faults->forced;
      faults->n_forced--;
    }
  else
    {
      guint32 edge = s->p_5xx;

      if (roll < edge)
        d.fault = CP_SANDBOX_FAULT_5XX;
      else if (roll < (edge += s->p_429))
        d.fault = CP_SANDBOX_FAULT_429;
      else if (roll < (edge += s->p_reset))
        d.fault = CP_SANDBOX_FAULT_RESET;
      else if (roll < (edge += s->p_truncate))
        d.fault = CP_SANDBOX_FAULT_TRUNCATE;
      else if (roll < (edge += s->p_malformed))
        d.fault = CP_SANDBOX_FAULT_MALFORMED;
    }
  g_mutex_unlock (&faults->mutex);

  return d;
}

const char *
cp_sandbox_fault_to_string (CpSandboxFault fault)
{
  switch (fault)
    {
    case CP_SANDBOX_FAULT_NONE: return "none";
    case CP_SANDBOX_FAULT_5XX: return "5xx";
    case CP_SANDBOX_FAULT_429: return "429";
    case CP_SANDBOX_FAULT_RESET: return "reset";
    case CP_SANDBOX_FAULT_TRUNCATE: return "truncate";
    case CP_SANDBOX_FAULT_MALFORMED: return "malformed";
    default: return "unknown";
    }
}
