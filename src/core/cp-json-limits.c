/* cp-json-limits.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One implementation of the JSON size and depth pre-scan; the one-shot
 * check is the streaming scanner fed once, so both behave the same.
 */

#define G_LOG_DOMAIN "cp-json-limits"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-json-limits.h"

G_DEFINE_QUARK (cp-json-limits-error-quark, cp_json_limits_error)

struct _CpJsonLimitsScanner
{
  gsize    max_bytes;
  guint    max_depth;

  gsize    n_bytes;
  guint    depth;
  guint    max_depth_seen;
  gboolean in_string;
  gboolean escaped;    /* the previous byte, inside a string, was a backslash */

  /* Set at the first refusal; later feeds repeat it, so a caller that
   * ignores one FALSE still cannot pass the rest of a hostile body. */
  GQuark   failed_domain;
  int      failed_code;
  char    *failed_message;
};

static void
scanner_init (CpJsonLimitsScanner *scanner,
              gsize                max_bytes,
              guint                max_depth)
{
  *scanner = (CpJsonLimitsScanner) {
    .max_bytes = max_bytes,
    .max_depth = max_depth,
  };
}

static gboolean
scanner_fail (CpJsonLimitsScanner *scanner,
              int                  code,
              char                *message,
              GError             **error)
{
  scanner->failed_domain = CP_JSON_LIMITS_ERROR;
  scanner->failed_code = code;
  scanner->failed_message = message;
  g_set_error_literal (error, CP_JSON_LIMITS_ERROR, code, message);
  return FALSE;
}

static gboolean
scanner_feed (CpJsonLimitsScanner *scanner,
              const char          *data,
              gsize                length,
              GError             **error)
{
  gboolean in_string = scanner->in_string;
  gboolean escaped = scanner->escaped;
  guint depth = scanner->depth;

  if (scanner->failed_message != NULL)
    {
      g_set_error_literal (error, scanner->failed_domain, scanner->failed_code,
                           scanner->failed_message);
      return FALSE;
    }

  /* Size first: a body past the limit is refused before its bytes are
   * looked at, whatever they hold. */
  if (length > scanner->max_bytes - scanner->n_bytes)
    {
      g_autofree char *limit = g_format_size_full (scanner->max_bytes, G_FORMAT_SIZE_IEC_UNITS);

      return scanner_fail (scanner, CP_JSON_LIMITS_ERROR_TOO_LARGE,
                           g_strdup_printf (_("The JSON document is larger than the limit of "
                                              "%s. Send it in smaller parts."), limit),
                           error);
    }

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (escaped)
            escaped = FALSE;  /* whatever is escaped, it cannot end the string */
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;

        case '[':
        case '{':
          if (++depth > scanner->max_depth)
            {
              scanner->n_bytes += i + 1;
              return scanner_fail (scanner, CP_JSON_LIMITS_ERROR_TOO_DEEP,
                                   g_strdup_printf (_("The JSON document nests lists or objects "
                                                      "more than %u levels deep (at byte "
                                                      "%zu). Such documents "
                                                      "are refused; check what produced it."),
                                                    scanner->max_depth, scanner->n_bytes),
                                   error);
            }
          if (depth > scanner->max_depth_seen)
            scanner->max_depth_seen = depth;
          break;

        case ']':
        case '}':
          /* Unbalanced closers are json-glib's to report, not ours. */
          if (depth > 0)
            depth--;
          break;

        default:
          break;
        }
    }

  scanner->n_bytes += length;
  scanner->depth = depth;
  scanner->in_string = in_string;
  scanner->escaped = escaped;
  return TRUE;
}

gboolean
cp_json_check_limits (const char  *data,
                      gsize        length,
                      gsize        max_bytes,
                      guint        max_depth,
                      GError     **error)
{
  CpJsonLimitsScanner scanner;
  gboolean ok;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (max_depth >= 1, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  scanner_init (&scanner, max_bytes, max_depth);
  ok = scanner_feed (&scanner, data, length, error);
  g_free (scanner.failed_message);
  return ok;
}

CpJsonLimitsScanner *
cp_json_limits_scanner_new (gsize max_bytes,
                            guint max_depth)
{
  CpJsonLimitsScanner *scanner;

  g_return_val_if_fail (max_depth >= 1, NULL);

  scanner = g_new0 (CpJsonLimitsScanner, 1);
  scanner_init (scanner, max_bytes, max_depth);
  return scanner;
}

void
cp_json_limits_scanner_free (CpJsonLimitsScanner *scanner)
{
  if (scanner == NULL)
    return;

  g_free (scanner->failed_message);
  g_free (scanner);
}

gboolean
cp_json_limits_scanner_feed (CpJsonLimitsScanner *scanner,
                             const char          *data,
                             gsize                length,
                             GError             **error)
{
  g_return_val_if_fail (scanner != NULL, FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return scanner_feed (scanner, data, length, error);
}

gsize
cp_json_limits_scanner_get_bytes (CpJsonLimitsScanner *scanner)
{
  g_return_val_if_fail (scanner != NULL, 0);

  return scanner->n_bytes;
}

guint
cp_json_limits_scanner_get_max_depth_seen (CpJsonLimitsScanner *scanner)
{
  g_return_val_if_fail (scanner != NULL, 0);

  return scanner->max_depth_seen;
}
