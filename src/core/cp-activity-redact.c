/* cp-activity-redact.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What may be kept of an HTTP exchange in the activity log. The log is
 * for troubleshooting, so it keeps as much as it safely can, but a
 * credential that reaches the ledger is there for good (backups, support
 * bundles), so redaction errs towards removing:
 *
 * - headers, JSON members, query and form parameters whose names look
 *   secret (Authorization, Cookie, X-*-Key, *token*, *secret*,
 *   *password*, *signature*, …) lose their values;
 * - valid JSON goes through json-glib (after the size and depth
 *   pre-scan); anything else, truncated JSON included, through a lexical
 *   pass that finds `name": value`, `name=value` and `Name: value` lines;
 * - every value removed anywhere is also scrubbed from everything else
 *   kept (a token echoed back in an error page);
 * - bodies that are not printable text are not kept, and bodies are cut
 *   to max_body bytes after redaction.
 */

#define G_LOG_DOMAIN "cp-activity"

#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "cp-activity.h"
#include "cp-json-limits.h"

#define REDACTED "[redacted]"
#define DEFAULT_MAX_BODY 4096
/* Shorter values are not scrubbed from the rest of the text: "1" or
 * "abc" would blank unrelated words. */
#define MIN_SCRUB_LENGTH 6
#define MAX_NAME_LENGTH 128

typedef struct
{
  GPtrArray *secrets;  /* char*: values removed so far */
} Redactor;

static void
redactor_add_secret (Redactor   *r,
                     const char *value,
                     gssize      length)
{
  g_autofree char *copy = NULL;
  const char *space;

  if (r == NULL || value == NULL)
    return;
  if (length < 0)
    length = strlen (value);

  copy = g_strstrip (g_strndup (value, length));
  if (strlen (copy) < MIN_SCRUB_LENGTH || g_str_equal (copy, REDACTED))
    return;

  /* "Bearer abc…", "Basic …": the credential alone may appear too. */
  space = strrchr (copy, ' ');
  if (space != NULL && strlen (space + 1) >= MIN_SCRUB_LENGTH)
    g_ptr_array_add (r->secrets, g_strdup (space + 1));
  g_ptr_array_add (r->secrets, g_steal_pointer (&copy));
}

static gboolean
name_is_sensitive (const char *name,
                   gssize      length)
{
  static const char * const exact[] = {
    "authorization", "proxy_authorization", "cookie", "set_cookie", "x_api_key",
    "api_key", "apikey", "auth", "pin", NULL
  };
  static const char * const parts[] = {
    "token", "secret", "password", "passwd", "signature", "credential", "apikey",
    "api_key", "private_key", "session_id", "sessionid", NULL
  };
  char lower[MAX_NAME_LENGTH + 1];
  gsize n;

  if (name == NULL)
    return FALSE;
  if (length < 0)
    length = strlen (name);
  if (length == 0)
    return FALSE;

  /* A longer "name" is text, not a name; look at its start only. */
  n = MIN ((gsize) length, MAX_NAME_LENGTH);
  for (gsize i = 0; i < n; i++)
    {
      char c = g_ascii_tolower (name[i]);

      lower[i] = (c == '-' || c == ' ' || c == '.') ? '_' : c;
    }
  lower[n] = '\0';

  for (guint i = 0; exact[i] != NULL; i++)
    if (g_str_equal (lower, exact[i]))
      return TRUE;
  for (guint i = 0; parts[i] != NULL; i++)
    if (strstr (lower, parts[i]) != NULL)
      return TRUE;

  /* X-*-Key, and any *_key but the two the outbox shows on purpose. */
  if (g_str_has_suffix (lower, "_key") &&
      !g_str_equal (lower, "idempotency_key") && !g_str_equal (lower, "coalesce_key"))
    return TRUE;

  return FALSE;
}

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '-' || c == '.';
}

/* The end of a quoted value starting at P (after its opening quote), or
 * END when it never closes. ESCAPED_QUOTE: the quotes are \" (JSON in a
 * JSON string). */
static const char *
skip_quoted (const char *p,
             const char *end,
             char        quote,
             gboolean    escaped_quote)
{
  while (p < end)
    {
      if (escaped_quote && p[0] == '\\' && p + 1 < end && p[1] == quote)
        return p;
      if (!escaped_quote && *p == '\\' && p + 1 < end)
        {
          p += 2;
          continue;
        }
      if (!escaped_quote && *p == quote)
        return p;
      p++;
    }
  return end;
}

/* The end of a balanced {…} or […] starting at P, strings respected. */
static const char *
skip_balanced (const char *p,
               const char *end)
{
  guint depth = 0;

  while (p < end)
    {
      if (*p == '"')
        {
          p = skip_quoted (p + 1, end, '"', FALSE);
          if (p < end)
            p++;
          continue;
        }
      if (*p == '{' || *p == '[')
        depth++;
      else if ((*p == '}' || *p == ']') && depth > 0 && --depth == 0)
        return p + 1;
      p++;
    }
  return end;
}

/* The lexical pass, for text that is not valid JSON: one linear walk. */
static char *
redact_text (Redactor   *r,
             const char *text,
             gsize       length)
{
  GString *out = g_string_sized_new (length + 16);
  const char *p = text;
  const char *end = text + length;
  gboolean line_start = TRUE;

  while (p < end)
    {
      const char *name = p;
      const char *q;
      gboolean quoted;
      gboolean at_line_start = line_start;
      char sep;

      if (!is_name_char (*p))
        {
          if (*p == '\n' || *p == '\r')
            line_start = TRUE;
          else if (*p != ' ' && *p != '\t')
            line_start = FALSE;
          g_string_append_c (out, *p++);
          continue;
        }

      while (p < end && is_name_char (*p))
        p++;
      line_start = FALSE;
      g_string_append_len (out, name, p - name);

      /* name"  :  /  name'  :  /  name\"  :  /  name  =  /  Name: (a line) */
      q = p;
      quoted = FALSE;
      if (q < end && *q == '\\' && q + 1 < end && q[1] == '"')
        q += 2, quoted = TRUE;
      else if (q < end && (*q == '"' || *q == '\''))
        q++, quoted = TRUE;
      while (q < end && (*q == ' ' || *q == '\t'))
        q++;
      if (q >= end || (*q != '=' && *q != ':'))
        continue;
      sep = *q;
      if (sep == ':' && !quoted && !at_line_start)
        continue;
      if (!name_is_sensitive (name, p - name))
        continue;

      /* Keep the separator and the blanks after it, then the value goes. */
      q++;
      while (q < end && (*q == ' ' || *q == '\t'))
        q++;
      g_string_append_len (out, p, q - p);
      p = q;

      if (p < end && p[0] == '\\' && p + 1 < end && p[1] == '"')
        {
          const char *close = skip_quoted (p + 2, end, '"', TRUE);

          redactor_add_secret (r, p + 2, close - (p + 2));
          g_string_append (out, "\\\"" REDACTED "\\\"");
          p = close < end ? close + 2 : end;
        }
      else if (p < end && (*p == '"' || *p == '\''))
        {
          const char *close = skip_quoted (p + 1, end, *p, FALSE);

          redactor_add_secret (r, p + 1, close - (p + 1));
          g_string_append_c (out, *p);
          g_string_append (out, REDACTED);
          g_string_append_c (out, *p);
          p = close < end ? close + 1 : end;
        }
      else if (p < end && (*p == '{' || *p == '['))
        {
          p = skip_balanced (p, end);
          g_string_append (out, "\"" REDACTED "\"");
        }
      else
        {
          const char *start = p;

          if (sep == ':' && !quoted)
            /* A header line: the value is the rest of the line. */
            while (p < end && *p != '\n' && *p != '\r')
              p++;
          else if (sep == ':')
            while (p < end && strchr (",}] \t\r\n", *p) == NULL)
              p++;
          else
            while (p < end && strchr ("&;,\"'<> \t\r\n", *p) == NULL)
              p++;
          redactor_add_secret (r, start, p - start);
          g_string_append (out, REDACTED);
        }
    }

  return g_string_free (out, FALSE);
}

static char *
scrub (Redactor   *r,
       const char *text)
{
  GString *out;

  if (text == NULL)
    return NULL;

  out = g_string_new (text);
  for (guint i = 0; i < r->secrets->len; i++)
    g_string_replace (out, g_ptr_array_index (r->secrets, i), REDACTED, 0);
  return g_string_free (out, FALSE);
}

static void
collect_secrets (Redactor *r,
                 JsonNode *node)
{
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    redactor_add_secret (r, json_node_get_string (node), -1);
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autoptr(GList) values = json_object_get_values (json_node_get_object (node));

      for (GList *l = values; l != NULL; l = l->next)
        collect_secrets (r, l->data);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        collect_secrets (r, json_array_get_element (array, i));
    }
}

/* Depth is bounded by the pre-scan (CP_JSON_LIMITS_DEFAULT_MAX_DEPTH). */
static void
redact_node (Redactor *r,
             JsonNode *node)
{
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);
      g_autofree char *redacted = redact_text (r, text, strlen (text));

      /* A URL with ?access_token=…, a form body kept as a string. */
      if (!g_str_equal (text, redacted))
        json_node_set_string (node, redacted);
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) names = json_object_get_members (object);

      for (GList *l = names; l != NULL; l = l->next)
        {
          const char *name = l->data;
          JsonNode *member = json_object_get_member (object, name);

          if (name_is_sensitive (name, -1))
            {
              collect_secrets (r, member);
              json_object_set_string_member (object, name, REDACTED);
            }
          else
            redact_node (r, member);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        redact_node (r, json_array_get_element (array, i));
    }
}

/* Redacted JSON text, or NULL when TEXT is not JSON json-glib may read. */
static char *
redact_json_text (Redactor   *r,
                  const char *text,
                  gsize       length)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  JsonNode *root;

  if (!cp_json_check_limits (text, length, CP_JSON_LIMITS_DEFAULT_MAX_BYTES,
                             CP_JSON_LIMITS_DEFAULT_MAX_DEPTH, NULL))
    return NULL;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, text, length, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || (!JSON_NODE_HOLDS_OBJECT (root) && !JSON_NODE_HOLDS_ARRAY (root)))
    return NULL;

  /* The parser's tree is mutable and ours until the parser goes. */
  redact_node (r, root);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static gboolean
is_printable (const char *text,
              gsize       length)
{
  if (!g_utf8_validate (text, length, NULL))
    return FALSE;
  for (gsize i = 0; i < length; i++)
    {
      guchar c = (guchar) text[i];

      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
        return FALSE;
    }
  return TRUE;
}

/* What is kept of a body, before scrubbing and cutting. */
static char *
redact_body (Redactor   *r,
             const char *body)
{
  gsize length;
  const char *start;
  char *json;

  if (body == NULL)
    return NULL;

  length = strlen (body);
  start = body;
  while (*start == ' ' || *start == '\t' || *start == '\r' || *start == '\n')
    start++;
  if ((*start == '{' || *start == '[') && (json = redact_json_text (r, body, length)) != NULL)
    return json;

  if (!is_printable (body, length))
    return g_strdup_printf ("[%" G_GSIZE_FORMAT " bytes that are not text]", length);

  return redact_text (r, body, length);
}

static char *
cut (const char *text,
     gsize       max_body)
{
  const char *limit;
  g_autofree char *head = NULL;

  if (text == NULL || strlen (text) <= max_body)
    return g_strdup (text);

  /* On a character boundary, so the result stays valid UTF-8. */
  limit = text + max_body;
  while (limit > text && ((guchar) *limit & 0xc0) == 0x80)
    limit--;
  head = g_strndup (text, limit - text);
  return g_strconcat (head, "…", NULL);
}

/* user:password@ goes whole; then the query and fragment parameters. */
static char *
redact_url (Redactor   *r,
            const char *url)
{
  g_autoptr(GString) text = NULL;
  const char *scheme_end;

  if (url == NULL)
    return NULL;

  text = g_string_new (url);
  scheme_end = strstr (text->str, "://");
  if (scheme_end != NULL)
    {
      gsize authority = scheme_end - text->str + 3;
      gsize authority_end = authority + strcspn (text->str + authority, "/?#");
      const char *at = memchr (text->str + authority, '@', authority_end - authority);

      if (at != NULL)
        {
          gsize at_pos = at - text->str;

          redactor_add_secret (r, text->str + authority, at_pos - authority);
          g_string_erase (text, authority, at_pos - authority);
          g_string_insert (text, authority, REDACTED);
        }
    }

  return redact_text (r, text->str, text->len);
}

static void
add_headers (Redactor            *r,
             JsonBuilder         *builder,
             const char * const  *headers)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);

  json_builder_set_member_name (builder, "headers");
  json_builder_begin_object (builder);

  for (guint i = 0; headers != NULL && headers[i] != NULL && headers[i + 1] != NULL; i += 2)
    {
      const char *name = headers[i];
      const char *value = headers[i + 1];
      char *kept;
      guint j;

      if (name_is_sensitive (name, -1))
        {
          redactor_add_secret (r, value, -1);
          kept = g_strdup (REDACTED);
        }
      else if (strstr (value, "://") != NULL)
        kept = redact_url (r, value);   /* Location, Link, Referer */
      else
        kept = redact_text (r, value, strlen (value));

      /* A name given twice (Set-Cookie) is one member, values joined. */
      for (j = 0; j < names->len; j++)
        if (g_ascii_strcasecmp (g_ptr_array_index (names, j), name) == 0)
          break;
      if (j < names->len)
        {
          char *joined = g_strconcat (g_ptr_array_index (values, j), ", ", kept, NULL);

          g_free (kept);
          g_free (g_ptr_array_index (values, j));
          g_ptr_array_index (values, j) = joined;
        }
      else
        {
          g_ptr_array_add (names, g_strdup (name));
          g_ptr_array_add (values, kept);
        }
    }

  /* Values are scrubbed once every secret of the exchange is known. */
  for (guint j = 0; j < names->len; j++)
    {
      json_builder_set_member_name (builder, g_ptr_array_index (names, j));
      json_builder_add_string_value (builder, g_ptr_array_index (values, j));
    }
  json_builder_end_object (builder);
}

static void
set_body (Redactor    *r,
          JsonObject  *object,
          const char  *body_kept,
          const char  *body,
          gsize        max_body)
{
  g_autofree char *scrubbed = scrub (r, body_kept);
  g_autofree char *short_body = cut (scrubbed, max_body);

  if (short_body != NULL)
    json_object_set_string_member (object, "body", short_body);
  else
    json_object_set_null_member (object, "body");
  json_object_set_int_member (object, "body_bytes", body != NULL ? (gint64) strlen (body) : 0);
}

static void
scrub_strings (Redactor *r,
               JsonNode *node)
{
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_autofree char *scrubbed = scrub (r, json_node_get_string (node));

      json_node_set_string (node, scrubbed);
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autoptr(GList) values = json_object_get_values (json_node_get_object (node));

      for (GList *l = values; l != NULL; l = l->next)
        scrub_strings (r, l->data);
    }
}

char *
cp_activity_redact_exchange (const char         *method,
                             const char         *url,
                             const char * const *request_headers,
                             const char         *request_body,
                             guint               status,
                             const char * const *response_headers,
                             const char         *response_body,
                             gsize               max_body)
{
  g_autoptr(GPtrArray) secrets = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *kept_url = NULL;
  g_autofree char *request_kept = NULL;
  g_autofree char *response_kept = NULL;
  Redactor r = { secrets };

  if (max_body == 0)
    max_body = DEFAULT_MAX_BODY;

  /* Headers and URL first: what they hide is then scrubbed from the
   * bodies too. */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "request");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, method != NULL ? method : "");
  kept_url = redact_url (&r, url);
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, kept_url != NULL ? kept_url : "");
  add_headers (&r, builder, request_headers);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "response");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, status);
  add_headers (&r, builder, response_headers);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  request_kept = redact_body (&r, request_body);
  response_kept = redact_body (&r, response_body);

  /* Now every secret is known: scrub the headers and URL again (a token
   * from the body echoed in a header) and add the bodies. */
  root = json_builder_get_root (builder);
  scrub_strings (&r, root);
  set_body (&r, json_object_get_object_member (json_node_get_object (root), "request"),
            request_kept, request_body, max_body);
  set_body (&r, json_object_get_object_member (json_node_get_object (root), "response"),
            response_kept, response_body, max_body);

  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

char *
cp_activity_redact_json (const char *json_text)
{
  g_autoptr(GPtrArray) secrets = g_ptr_array_new_with_free_func (g_free);
  Redactor r = { secrets };
  g_autofree char *redacted = NULL;
  gsize length;

  if (json_text == NULL)
    return NULL;

  length = strlen (json_text);
  redacted = redact_json_text (&r, json_text, length);
  if (redacted == NULL)
    redacted = is_printable (json_text, length)
                 ? redact_text (&r, json_text, length)
                 : g_strdup_printf ("[%" G_GSIZE_FORMAT " bytes that are not text]", length);
  return scrub (&r, redacted);
}
