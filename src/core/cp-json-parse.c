/* cp-json-parse.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Recursive descent over the bytes, building json-glib nodes directly.
 * Every rule below is the strict RFC 8259 grammar; each place where
 * json-glib 1.6 reads something differently or where we did not check
 * that it reads it the same (tests/core/test-json-parse.c does, against
 * the installed json-glib) answers "not handled" instead, and the
 * caller's json-glib parse decides. What json-glib 1.6 was seen to do:
 *
 *  - skips " \t\n\r" between tokens (not \f or \v); also skips C
 *    comments, accepts single quotes, "01", ".5", "1.", "- 1", hex,
 *    unknown escapes ("\x" is "x"), raw control characters and a BOM:
 *    all declined here;
 *  - integers go through strtoull and wrap into gint64: we take at most
 *    18 digits, which cannot wrap, and decline longer ones;
 *  - a number with '.' or an exponent is g_strtod of its digits, negated
 *    after for '-': we do exactly that on the same text;
 *  - "\u0000" cuts the string short and a lone surrogate is an error:
 *    declined; paired surrogates combine;
 *  - invalid UTF-8 anywhere fails the whole document: declined;
 *  - duplicate members: json_object_set_member's own rule (the last value
 *    in the first one's place), so the same call gives the same result;
 *  - empty or blank input is success with no root: declined, so the
 *    fallback gives that answer.
 *
 * The pull scanner (cp_json_scanner_*) is the same Reader driven by the
 * caller instead of by the tree builder: one set of rules, so what it
 * declines is what the fast parser declines.
 */

#define G_LOG_DOMAIN "cp-json-parse"

#include "config.h"

#include <string.h>

#include "cp-json-parse.h"

/* Deeper documents go to json-glib; callers that read outside input run
 * cp_json_check_limits first, which allows far less. */
#define MAX_DEPTH 512
/* Longer numbers go to json-glib (no platform sends them). */
#define MAX_NUMBER_LENGTH 64
#define MAX_INT_DIGITS 18

typedef struct
{
  const guchar *p;
  const guchar *end;
  GString      *buf;     /* scratch for string values */
  /* The names of the members being read, one per open object, each
   * NUL-terminated: a stack, so a name waits for its value without a
   * copy of its own. */
  GString      *names;
  guint         depth;
  guint         max_depth;
  /* The scanner's: the container just entered has not read its first
   * member or element yet. One flag is enough, because a nested value
   * is read to its end before its parent goes on. */
  gboolean      first;
} Reader;

static JsonNode *read_value (Reader *r);

static inline void
skip_space (Reader *r)
{
  while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t'))
    r->p++;
}

static inline int
hex_value (guchar c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Four hex digits at r->p, or -1. */
static int
read_hex4 (Reader *r)
{
  int value = 0;

  if (r->end - r->p < 4)
    return -1;
  for (int i = 0; i < 4; i++)
    {
      int h = hex_value (r->p[i]);

      if (h < 0)
        return -1;
      value = (value << 4) | h;
    }
  r->p += 4;
  return value;
}

/* The string starting after its opening quote, decoded and appended to
 * OUT. FALSE when it is anything json-glib might read differently. */
static gboolean
read_string (Reader  *r,
             GString *out)
{
  gsize from = out->len;
  gboolean non_ascii = FALSE;

  for (;;)
    {
      const guchar *start = r->p;
      guchar c = 0;

      /* The plain run, appended in one go. */
      while (r->p < r->end)
        {
          c = *r->p;
          if (c == '"' || c == '\\' || c < 0x20)
            break;
          if (c >= 0x80)
            non_ascii = TRUE;
          r->p++;
        }
      if (r->p > start)
        g_string_append_len (out, (const char *) start, r->p - start);
      if (r->p >= r->end || c < 0x20)
        return FALSE;
      r->p++;
      if (c == '"')
        break;

      /* An escape. */
      if (r->p >= r->end)
        return FALSE;
      c = *r->p++;
      switch (c)
        {
        case '"': g_string_append_c (out, '"'); break;
        case '\\': g_string_append_c (out, '\\'); break;
        case '/': g_string_append_c (out, '/'); break;
        case 'b': g_string_append_c (out, '\b'); break;
        case 'f': g_string_append_c (out, '\f'); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'u':
          {
            int unit = read_hex4 (r);
            gunichar ch;

            if (unit <= 0 || (unit >= 0xDC00 && unit <= 0xDFFF))
              return FALSE;
            if (unit >= 0xD800 && unit <= 0xDBFF)
              {
                int low;

                if (r->end - r->p < 2 || r->p[0] != '\\' || r->p[1] != 'u')
                  return FALSE;
                r->p += 2;
                low = read_hex4 (r);
                if (low < 0xDC00 || low > 0xDFFF)
                  return FALSE;
                ch = 0x10000 + (((gunichar) unit - 0xD800) << 10) + ((gunichar) low - 0xDC00);
              }
            else
              ch = (gunichar) unit;
            g_string_append_unichar (out, ch);
          }
          break;
        default:
          return FALSE;
        }
    }

  /* Escapes only ever add whole, valid characters, so checking the
   * decoded text checks the raw bytes. */
  return !non_ascii || g_utf8_validate_len (out->str + from, out->len - from, NULL);
}

/* A number at r->p: *OUT_IS_INT and *OUT_INT for an integer, else
 * *OUT_DOUBLE, each as json-glib reads the same text. FALSE for anything
 * json-glib might read differently. */
static gboolean
scan_number (Reader   *r,
             gboolean *out_is_int,
             gint64   *out_int,
             double   *out_double)
{
  const guchar *start = r->p;
  const guchar *digits;
  gboolean negative = FALSE;
  gboolean is_float = FALSE;

  if (*r->p == '-')
    {
      negative = TRUE;
      r->p++;
    }
  digits = r->p;
  if (r->p >= r->end || !g_ascii_isdigit (*r->p))
    return FALSE;
  if (*r->p == '0')
    r->p++;
  else
    while (r->p < r->end && g_ascii_isdigit (*r->p))
      r->p++;
  if (r->p < r->end && *r->p == '.')
    {
      is_float = TRUE;
      r->p++;
      if (r->p >= r->end || !g_ascii_isdigit (*r->p))
        return FALSE;
      while (r->p < r->end && g_ascii_isdigit (*r->p))
        r->p++;
    }
  if (r->p < r->end && (*r->p == 'e' || *r->p == 'E'))
    {
      is_float = TRUE;
      r->p++;
      if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
        r->p++;
      if (r->p >= r->end || !g_ascii_isdigit (*r->p))
        return FALSE;
      while (r->p < r->end && g_ascii_isdigit (*r->p))
        r->p++;
    }
  if (r->p - start > MAX_NUMBER_LENGTH)
    return FALSE;

  if (is_float)
    {
      char text[MAX_NUMBER_LENGTH + 1];
      gsize len = r->p - digits;
      char *endptr = NULL;
      double value;

      /* json-glib's scanner reads the unsigned digits with g_strtod and
       * its parser negates them: g_ascii_strtod is what g_strtod returns
       * for text with a '.', in any locale. */
      memcpy (text, digits, len);
      text[len] = '\0';
      value = g_ascii_strtod (text, &endptr);
      if (endptr != text + len)
        return FALSE;
      *out_is_int = FALSE;
      *out_double = negative ? -value : value;
    }
  else
    {
      gint64 value = 0;

      if (r->p - digits > MAX_INT_DIGITS)
        return FALSE;
      for (const guchar *d = digits; d < r->p; d++)
        value = value * 10 + (*d - '0');
      *out_is_int = TRUE;
      *out_int = negative ? -value : value;
    }
  return TRUE;
}

static JsonNode *
read_number (Reader *r)
{
  gboolean is_int = FALSE;
  gint64 int_value = 0;
  double double_value = 0;

  if (!scan_number (r, &is_int, &int_value, &double_value))
    return NULL;
  if (is_int)
    return json_node_init_int (json_node_alloc (), int_value);
  return json_node_init_double (json_node_alloc (), double_value);
}

static gboolean
read_literal (Reader     *r,
              const char *word,
              gsize       len)
{
  if ((gsize) (r->end - r->p) < len || memcmp (r->p, word, len) != 0)
    return FALSE;
  r->p += len;
  return TRUE;
}

/* Where an object or array goes on, after its opening bracket or one of
 * its members or elements: READ_NEXT past a comma (or at the first item),
 * READ_CLOSED past CLOSE, READ_DECLINED at anything else. */
typedef enum
{
  READ_NEXT,
  READ_CLOSED,
  READ_DECLINED,
} ReadStep;

static ReadStep
read_step (Reader  *r,
           guchar   close,
           gboolean first)
{
  skip_space (r);
  if (r->p >= r->end)
    return READ_DECLINED;
  if (*r->p == close)
    {
      r->p++;
      return READ_CLOSED;
    }
  if (first)
    return READ_NEXT;
  if (*r->p != ',')
    return READ_DECLINED;
  r->p++;
  skip_space (r);
  return READ_NEXT;
}

/* NODE when its closing bracket was read, else NULL (and NODE freed). */
static JsonNode *
finish (JsonNode *node,
        ReadStep  step)
{
  if (step == READ_CLOSED)
    return node;
  json_node_unref (node);
  return NULL;
}

/* A member's name, appended NUL-terminated to r->names, and its colon;
 * r->p is left at its value. */
static gboolean
read_member_name (Reader *r)
{
  if (r->p >= r->end || *r->p != '"')
    return FALSE;
  r->p++;
  if (!read_string (r, r->names))
    return FALSE;
  g_string_append_c (r->names, '\0');
  skip_space (r);
  if (r->p >= r->end || *r->p != ':')
    return FALSE;
  r->p++;
  skip_space (r);
  return TRUE;
}

static JsonNode *
read_object (Reader *r)
{
  g_autoptr(JsonObject) object = json_object_new ();
  JsonNode *node = json_node_init_object (json_node_alloc (), object);
  ReadStep step;

  for (step = read_step (r, '}', TRUE); step == READ_NEXT; step = read_step (r, '}', FALSE))
    {
      gsize name_at = r->names->len;
      JsonNode *member;

      if (!read_member_name (r))
        break;
      member = read_value (r);
      if (member == NULL)
        break;
      json_node_set_parent (member, node);
      /* names may have moved while the value was read: index it now. */
      json_object_set_member (object, r->names->str + name_at, member);
      g_string_truncate (r->names, name_at);
    }
  return finish (node, step);
}

static JsonNode *
read_array (Reader *r)
{
  g_autoptr(JsonArray) array = json_array_new ();
  JsonNode *node = json_node_init_array (json_node_alloc (), array);
  ReadStep step;

  for (step = read_step (r, ']', TRUE); step == READ_NEXT; step = read_step (r, ']', FALSE))
    {
      JsonNode *element = read_value (r);

      if (element == NULL)
        break;
      json_node_set_parent (element, node);
      json_array_add_element (array, element);
    }
  return finish (node, step);
}

/* A value at r->p (space already skipped), or NULL. */
static JsonNode *
read_value (Reader *r)
{
  JsonNode *node = NULL;

  if (r->p >= r->end)
    return NULL;
  switch (*r->p)
    {
    case '{':
    case '[':
      if (++r->depth > r->max_depth)
        return NULL;
      r->p++;
      node = r->p[-1] == '{' ? read_object (r) : read_array (r);
      r->depth--;
      return node;
    case '"':
      r->p++;
      g_string_truncate (r->buf, 0);
      if (!read_string (r, r->buf))
        return NULL;
      node = json_node_alloc ();
      json_node_init_string (node, r->buf->str);
      return node;
    case 't':
      if (!read_literal (r, "true", 4))
        return NULL;
      return json_node_init_boolean (json_node_alloc (), TRUE);
    case 'f':
      if (!read_literal (r, "false", 5))
        return NULL;
      return json_node_init_boolean (json_node_alloc (), FALSE);
    case 'n':
      if (!read_literal (r, "null", 4))
        return NULL;
      return json_node_init_null (json_node_alloc ());
    default:
      if (*r->p == '-' || g_ascii_isdigit (*r->p))
        return read_number (r);
      return NULL;
    }
}

JsonNode *
cp_json_parse_fast (const char       *data,
                    gsize             length,
                    CpJsonParseFlags  flags)
{
  Reader r;
  JsonNode *root;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  r.p = (const guchar *) data;
  r.end = r.p + length;
  /* Sized for the usual answer's strings, so it rarely grows. */
  r.buf = g_string_sized_new (256);
  r.names = g_string_sized_new (256);
  r.depth = 0;
  r.max_depth = MAX_DEPTH;
  r.first = FALSE;

  skip_space (&r);
  root = read_value (&r);
  g_string_free (r.buf, TRUE);
  g_string_free (r.names, TRUE);
  if (root == NULL)
    return NULL;
  skip_space (&r);
  if (r.p != r.end)
    {
      json_node_unref (root);
      return NULL;
    }
  if (flags & CP_JSON_PARSE_IMMUTABLE)
    json_node_seal (root);
  return root;
}

gboolean
cp_json_parse (const char       *data,
               gsize             length,
               CpJsonParseFlags  flags,
               JsonNode        **out_root,
               GError          **error)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  g_return_val_if_fail (out_root != NULL, FALSE);

  *out_root = NULL;
  root = cp_json_parse_fast (data, length, flags);
  if (root != NULL)
    {
      *out_root = root;
      return TRUE;
    }

  parser = (flags & CP_JSON_PARSE_IMMUTABLE) ? json_parser_new_immutable () : json_parser_new ();
  if (!json_parser_load_from_data (parser, data, (gssize) MIN (length, G_MAXSSIZE), error))
    return FALSE;
  *out_root = json_parser_steal_root (parser);
  return TRUE;
}

/* ---- The pull scanner: the same Reader, no tree ---- */

struct _CpJsonScanner
{
  Reader r;
};

CpJsonScanner *
cp_json_scanner_new (const char *data,
                     gsize       length,
                     guint       max_depth)
{
  CpJsonScanner *scanner;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  scanner = g_new0 (CpJsonScanner, 1);
  scanner->r.p = (const guchar *) data;
  scanner->r.end = scanner->r.p + length;
  scanner->r.buf = g_string_sized_new (64);
  scanner->r.names = g_string_sized_new (64);
  scanner->r.max_depth = MIN (max_depth, MAX_DEPTH);
  skip_space (&scanner->r);
  return scanner;
}

void
cp_json_scanner_free (CpJsonScanner *scanner)
{
  if (scanner == NULL)
    return;
  g_string_free (scanner->r.buf, TRUE);
  g_string_free (scanner->r.names, TRUE);
  g_free (scanner);
}

CpJsonKind
cp_json_scanner_peek (CpJsonScanner *scanner)
{
  Reader *r = &scanner->r;

  if (r->p >= r->end)
    return CP_JSON_KIND_NONE;
  switch (*r->p)
    {
    case '{': return CP_JSON_KIND_OBJECT;
    case '[': return CP_JSON_KIND_ARRAY;
    case '"': return CP_JSON_KIND_STRING;
    case 't': return CP_JSON_KIND_TRUE;
    case 'f': return CP_JSON_KIND_FALSE;
    case 'n': return CP_JSON_KIND_NULL;
    default:
      return *r->p == '-' || g_ascii_isdigit (*r->p) ? CP_JSON_KIND_NUMBER : CP_JSON_KIND_NONE;
    }
}

gboolean
cp_json_scanner_enter (CpJsonScanner *scanner)
{
  Reader *r = &scanner->r;

  if (r->p >= r->end || (*r->p != '{' && *r->p != '[') || r->depth + 1 > r->max_depth)
    return FALSE;
  r->depth++;
  r->p++;
  r->first = TRUE;
  return TRUE;
}

static CpJsonScanStep
scanner_step (Reader *r,
              guchar  close)
{
  ReadStep step = read_step (r, close, r->first);

  r->first = FALSE;
  if (step == READ_CLOSED)
    {
      r->depth--;
      skip_space (r);
      return CP_JSON_SCAN_END;
    }
  return step == READ_NEXT ? CP_JSON_SCAN_NEXT : CP_JSON_SCAN_DECLINED;
}

CpJsonScanStep
cp_json_scanner_next_member (CpJsonScanner  *scanner,
                             const char    **out_name)
{
  Reader *r = &scanner->r;
  CpJsonScanStep step = scanner_step (r, '}');

  if (step != CP_JSON_SCAN_NEXT)
    return step;
  g_string_truncate (r->names, 0);
  if (!read_member_name (r))
    return CP_JSON_SCAN_DECLINED;
  *out_name = r->names->str;
  return CP_JSON_SCAN_NEXT;
}

CpJsonScanStep
cp_json_scanner_next_element (CpJsonScanner *scanner)
{
  return scanner_step (&scanner->r, ']');
}

gboolean
cp_json_scanner_read_string (CpJsonScanner  *scanner,
                             const char    **out_text)
{
  Reader *r = &scanner->r;

  if (r->p >= r->end || *r->p != '"')
    return FALSE;
  r->p++;
  g_string_truncate (r->buf, 0);
  if (!read_string (r, r->buf))
    return FALSE;
  skip_space (r);
  *out_text = r->buf->str;
  return TRUE;
}

gboolean
cp_json_scanner_read_number (CpJsonScanner *scanner,
                             gboolean      *out_is_int,
                             gint64        *out_int,
                             double        *out_double)
{
  Reader *r = &scanner->r;

  if (cp_json_scanner_peek (scanner) != CP_JSON_KIND_NUMBER ||
      !scan_number (r, out_is_int, out_int, out_double))
    return FALSE;
  skip_space (r);
  return TRUE;
}

gboolean
cp_json_scanner_skip (CpJsonScanner *scanner)
{
  Reader *r = &scanner->r;
  const char *ignored;
  gboolean is_int;
  gint64 int_value;
  double double_value;
  CpJsonScanStep step;

  switch (cp_json_scanner_peek (scanner))
    {
    case CP_JSON_KIND_OBJECT:
      if (!cp_json_scanner_enter (scanner))
        return FALSE;
      while ((step = cp_json_scanner_next_member (scanner, &ignored)) == CP_JSON_SCAN_NEXT)
        if (!cp_json_scanner_skip (scanner))
          return FALSE;
      return step == CP_JSON_SCAN_END;
    case CP_JSON_KIND_ARRAY:
      if (!cp_json_scanner_enter (scanner))
        return FALSE;
      while ((step = cp_json_scanner_next_element (scanner)) == CP_JSON_SCAN_NEXT)
        if (!cp_json_scanner_skip (scanner))
          return FALSE;
      return step == CP_JSON_SCAN_END;
    case CP_JSON_KIND_STRING:
      return cp_json_scanner_read_string (scanner, &ignored);
    case CP_JSON_KIND_NUMBER:
      return cp_json_scanner_read_number (scanner, &is_int, &int_value, &double_value);
    case CP_JSON_KIND_TRUE:
    case CP_JSON_KIND_FALSE:
    case CP_JSON_KIND_NULL:
      {
        CpJsonKind kind = cp_json_scanner_peek (scanner);
        gboolean ok = kind == CP_JSON_KIND_TRUE ? read_literal (r, "true", 4)
                    : kind == CP_JSON_KIND_FALSE ? read_literal (r, "false", 5)
                    : read_literal (r, "null", 4);

        skip_space (r);
        return ok;
      }
    case CP_JSON_KIND_NONE:
    default:
      return FALSE;
    }
}

gboolean
cp_json_scanner_read_literal (CpJsonScanner *scanner)
{
  CpJsonKind kind = cp_json_scanner_peek (scanner);

  if (kind != CP_JSON_KIND_TRUE && kind != CP_JSON_KIND_FALSE && kind != CP_JSON_KIND_NULL)
    return FALSE;
  return cp_json_scanner_skip (scanner);
}

gboolean
cp_json_scanner_at_end (CpJsonScanner *scanner)
{
  return scanner->r.depth == 0 && scanner->r.p == scanner->r.end;
}
