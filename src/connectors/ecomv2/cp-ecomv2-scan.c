/* cp-ecomv2-scan.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PATCH /batch/update's answer read straight from the bytes into
 * Ecomv2ItemResults, with cp-json-parse's pull scanner: a push of a
 * hundred items spent more on building and freeing the answer's JsonNode
 * tree than on anything else of its own. ecomv2_parse_batch_results
 * stays the reference: each rule here is one of its rules, with
 * json-glib's for duplicate members (the last value wins), and whatever
 * it would refuse, or the scanner is not sure of, is declined so that
 * the tree path reads it and gives its errors.
 */

#define G_LOG_DOMAIN "cp-ecomv2"

#include "config.h"

#include "cp-json-limits.h"
#include "cp-json-parse.h"

#include "cp-ecomv2-private.h"

/* One member's last value, as json-glib keeps it for duplicates. */
typedef enum
{
  SEEN_ABSENT,
  SEEN_NULL,
  SEEN_STRING,
  SEEN_OTHER,   /* any other type */
} Seen;

/* A string-or-null member's value: *SEEN and, for a string, *OUT
 * replaced by a copy. */
static gboolean
scan_string_member (CpJsonScanner  *scanner,
                    Seen           *seen,
                    char          **out)
{
  const char *text;

  g_clear_pointer (out, g_free);
  switch (cp_json_scanner_peek (scanner))
    {
    case CP_JSON_KIND_STRING:
      if (!cp_json_scanner_read_string (scanner, &text))
        return FALSE;
      *seen = SEEN_STRING;
      *out = g_strdup (text);
      return TRUE;
    case CP_JSON_KIND_NULL:
      *seen = SEEN_NULL;
      return cp_json_scanner_read_literal (scanner);
    case CP_JSON_KIND_OBJECT:
    case CP_JSON_KIND_ARRAY:
    case CP_JSON_KIND_NUMBER:
    case CP_JSON_KIND_TRUE:
    case CP_JSON_KIND_FALSE:
    case CP_JSON_KIND_NONE:
    default:
      *seen = SEEN_OTHER;
      return cp_json_scanner_skip (scanner);
    }
}

/* get_id's rule: a non-empty string, or an integer's decimal text. */
static gboolean
scan_id_member (CpJsonScanner  *scanner,
                char          **out)
{
  const char *text;
  gboolean is_int = FALSE;
  gint64 int_value = 0;
  double double_value = 0;

  g_clear_pointer (out, g_free);
  switch (cp_json_scanner_peek (scanner))
    {
    case CP_JSON_KIND_STRING:
      if (!cp_json_scanner_read_string (scanner, &text))
        return FALSE;
      if (*text != '\0')
        *out = g_strdup (text);
      return TRUE;
    case CP_JSON_KIND_NUMBER:
      if (!cp_json_scanner_read_number (scanner, &is_int, &int_value, &double_value))
        return FALSE;
      if (is_int)
        *out = g_strdup_printf ("%" G_GINT64_FORMAT, int_value);
      return TRUE;
    case CP_JSON_KIND_OBJECT:
    case CP_JSON_KIND_ARRAY:
    case CP_JSON_KIND_TRUE:
    case CP_JSON_KIND_FALSE:
    case CP_JSON_KIND_NULL:
    case CP_JSON_KIND_NONE:
    default:
      return cp_json_scanner_skip (scanner);
    }
}

/* The "error" object's code and message (get_string's rule: anything but
 * a string reads as absent). */
static gboolean
scan_error_member (CpJsonScanner  *scanner,
                   char          **out_code,
                   char          **out_message)
{
  const char *name;
  CpJsonScanStep step;

  if (!cp_json_scanner_enter (scanner))
    return FALSE;
  while ((step = cp_json_scanner_next_member (scanner, &name)) == CP_JSON_SCAN_NEXT)
    {
      Seen seen = SEEN_ABSENT;
      char **out = g_str_equal (name, "code") ? out_code
                 : g_str_equal (name, "message") ? out_message : NULL;

      if (out == NULL ? !cp_json_scanner_skip (scanner)
                      : !scan_string_member (scanner, &seen, out))
        return FALSE;
    }
  return step == CP_JSON_SCAN_END;
}

/* One data[] element; NULL when the tree path would not read it as a
 * result (it then fails) or the scanner declines. */
static Ecomv2ItemResult *
scan_item (CpJsonScanner *scanner)
{
  g_autoptr(Ecomv2ItemResult) result = g_new0 (Ecomv2ItemResult, 1);
  g_autofree char *status = NULL, *code = NULL, *message = NULL;
  Seen status_seen = SEEN_ABSENT;
  gboolean has_error = FALSE;
  const char *name;
  CpJsonScanStep step;

  if (cp_json_scanner_peek (scanner) != CP_JSON_KIND_OBJECT || !cp_json_scanner_enter (scanner))
    return NULL;
  while ((step = cp_json_scanner_next_member (scanner, &name)) == CP_JSON_SCAN_NEXT)
    {
      gboolean ok;

      if (g_str_equal (name, "id"))
        ok = scan_id_member (scanner, &result->id);
      else if (g_str_equal (name, "status"))
        ok = scan_string_member (scanner, &status_seen, &status);
      else if (g_str_equal (name, "error"))
        {
          /* The last "error" decides, and only an object's members count. */
          g_clear_pointer (&code, g_free);
          g_clear_pointer (&message, g_free);
          has_error = cp_json_scanner_peek (scanner) == CP_JSON_KIND_OBJECT;
          ok = has_error ? scan_error_member (scanner, &code, &message)
                         : cp_json_scanner_skip (scanner);
        }
      else
        ok = cp_json_scanner_skip (scanner);
      if (!ok)
        return NULL;
    }
  if (step != CP_JSON_SCAN_END)
    return NULL;
  /* ecomv2_parse_batch_results' shape errors: left to it. */
  if (status_seen == SEEN_OTHER || (status == NULL && !has_error))
    return NULL;

  result->ok = !has_error && status != NULL &&
               (g_str_equal (status, "updated") || g_str_equal (status, "success") ||
                g_str_equal (status, "ok"));
  if (!result->ok)
    {
      result->code = code != NULL ? g_steal_pointer (&code) : g_steal_pointer (&status);
      result->message = g_steal_pointer (&message);
    }
  return g_steal_pointer (&result);
}

gboolean
ecomv2_scan_batch_results (const char *data,
                           gsize       length,
                           GPtrArray  *out)
{
  g_autoptr(CpJsonScanner) scanner = NULL;
  guint from = out->len;
  gboolean has_data = FALSE;
  const char *name;
  CpJsonScanStep step;

  /* ecomv2_parse_json's limits: past them it fails, so it decides. */
  if (length == 0 || length > ECOMV2_MAX_RESPONSE_BYTES)
    return FALSE;
  scanner = cp_json_scanner_new (data, length, CP_JSON_LIMITS_DEFAULT_MAX_DEPTH);
  if (cp_json_scanner_peek (scanner) != CP_JSON_KIND_OBJECT || !cp_json_scanner_enter (scanner))
    return FALSE;
  while ((step = cp_json_scanner_next_member (scanner, &name)) == CP_JSON_SCAN_NEXT)
    {
      if (!g_str_equal (name, "data"))
        {
          if (!cp_json_scanner_skip (scanner))
            goto declined;
          continue;
        }
      /* A later "data" replaces an earlier one, as in the tree. */
      g_ptr_array_set_size (out, from);
      has_data = cp_json_scanner_peek (scanner) == CP_JSON_KIND_ARRAY;
      if (!has_data)
        {
          if (!cp_json_scanner_skip (scanner))
            goto declined;
          continue;
        }
      if (!cp_json_scanner_enter (scanner))
        goto declined;
      while ((step = cp_json_scanner_next_element (scanner)) == CP_JSON_SCAN_NEXT)
        {
          Ecomv2ItemResult *result = scan_item (scanner);

          if (result == NULL)
            goto declined;
          g_ptr_array_add (out, result);
        }
      if (step != CP_JSON_SCAN_END)
        goto declined;
    }
  if (step == CP_JSON_SCAN_END && has_data && cp_json_scanner_at_end (scanner))
    return TRUE;

declined:
  g_ptr_array_set_size (out, from);
  return FALSE;
}
