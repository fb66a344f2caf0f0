/* cli-fixture.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-cli"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "cli-fixture.h"

static const char *cli_path;

void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  GError *error = NULL;

  f->dir = g_dir_make_tmp ("test-cli-XXXXXX", &error);
  g_assert_no_error (error);
  f->data_dir = g_build_filename (f->dir, "data", NULL);
  f->ledger = g_build_filename (f->data_dir, "ledger.sqlite3", NULL);
}

static void
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children = NULL;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  if (children != NULL)
    {
      GFileInfo *info;

      while ((info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
        {
          g_autoptr(GFile) child = g_file_get_child (file, g_file_info_get_name (info));

          remove_tree (child);
          g_object_unref (info);
        }
    }
  g_file_delete (file, NULL, NULL);
}

void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GFile) dir = g_file_new_for_path (f->dir);

  remove_tree (dir);
  g_free (f->dir);
  g_free (f->data_dir);
  g_free (f->ledger);
  g_free (f->out);
  g_free (f->err);
}

/* Runs counterpart-cli with ARGS (NULL-terminated), with --data-dir first
 * when WITH_DATA_DIR, feeding STDIN_TEXT. XDG_DATA_HOME points into the
 * temporary folder, so neither the default nor the sandbox data
 * directory is ever the developer's own. Returns the exit status. */
int
run_argv (Fixture     *f,
          gboolean     with_data_dir,
          const char  *stdin_text,
          const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) in = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autofree char *xdg = g_build_filename (f->dir, "xdg", NULL);
  g_autofree char *command = NULL;
  GError *error = NULL;

  g_ptr_array_add (argv, g_strdup (cli_path));
  if (with_data_dir)
    {
      g_ptr_array_add (argv, g_strdup ("--data-dir"));
      g_ptr_array_add (argv, g_strdup (f->data_dir));
    }
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", xdg, TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  /* Always a stdin, empty unless given: the CLI never waits on a terminal. */
  in = g_bytes_new (stdin_text, stdin_text != NULL ? strlen (stdin_text) : 0);
  g_subprocess_communicate (process, in, NULL, &out, &err, &error);
  g_assert_no_error (error);

  g_free (f->out);
  g_free (f->err);
  f->out = g_strndup (g_bytes_get_size (out) > 0 ? g_bytes_get_data (out, NULL) : "",
                      g_bytes_get_size (out));
  f->err = g_strndup (g_bytes_get_size (err) > 0 ? g_bytes_get_data (err, NULL) : "",
                      g_bytes_get_size (err));

  command = g_strjoinv (" ", (char **) argv->pdata);
  if (g_test_verbose ())
    g_printerr ("$ %s\n[stdout]\n%s[stderr]\n%s[exit %d]\n", command, f->out, f->err,
                g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1);

  /* A crash (or a sanitizer's abort) is never an answer. */
  if (!g_subprocess_get_if_exited (process))
    g_error ("“%s” did not exit normally. Its stderr:\n%s", command, f->err);

  return g_subprocess_get_exit_status (process);
}

/* stdout of the last run as JSON; fails the test unless it is one valid
 * document. */
JsonNode *
parse_out (Fixture *f)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  GError *error = NULL;

  json_parser_load_from_data (parser, f->out, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (json_parser_get_root (parser));
  return json_node_copy (json_parser_get_root (parser));
}

JsonObject *
root_object (JsonNode *node)
{
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_get_object (node);
}

JsonArray *
data_array (JsonNode *node)
{
  JsonObject *root = root_object (node);

  g_assert_true (json_object_has_member (root, "data"));
  return json_object_get_array_member (root, "data");
}

void
write_file (const char *path,
            const char *contents,
            gssize      length)
{
  GError *error = NULL;

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
}

char *
path_in (Fixture    *f,
         const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

void
init_ledger (Fixture *f)
{
  g_assert_cmpint (RUN (f, "init"), ==, 0);
}

gint64
status_count (Fixture    *f,
              const char *what)
{
  g_autoptr(JsonNode) node = NULL;

  g_assert_cmpint (RUN (f, "--json", "status"), ==, 0);
  node = parse_out (f);
  return json_object_get_int_member (json_object_get_object_member (root_object (node), "counts"),
                                     what);
}

/* The catalog every stock, sales and orders test starts from. */
const char good_csv[] =
  "sku,name,price,barcode,product,option1,cost,on_hand:MAIN\n"
  "TEE-S,T-shirt,19.99,4006381333931,tee,S,7.50,10\n"
  "TEE-M,T-shirt,19.99,,tee,M,7.50,4\n"
  "MUG,\"Mug, large\",8.00,,,,,0\n";

void
import_good_catalog (Fixture *f)
{
  g_autofree char *csv = path_in (f, "good.csv");

  write_file (csv, good_csv, -1);
  g_assert_cmpint (RUN (f, "catalog", "import", csv), ==, 0);
}

JsonObject *
first_row (JsonNode *node)
{
  JsonArray *rows = data_array (node);

  g_assert_cmpint (json_array_get_length (rows), >=, 1);
  return json_array_get_object_element (rows, 0);
}

gint64
on_hand (Fixture    *f,
         const char *sku)
{
  g_autoptr(JsonNode) node = NULL;

  g_assert_cmpint (RUN (f, "--json", "stock", "show", sku, "--location", "MAIN"), ==, 0);
  node = parse_out (f);
  g_assert_cmpint (json_array_get_length (data_array (node)), ==, 1);
  return json_object_get_int_member (first_row (node), "on_hand");
}

const char sales_json[] =
  "{\"sales\": ["
  " {\"id\": \"S-1\", \"number\": \"R1-000001\", \"location\": \"MAIN\","
  "  \"placed_at\": \"2026-01-05T10:00:00Z\", \"currency\": \"USD\","
  "  \"lines\": [{\"sku\": \"TEE-S\", \"name\": \"T-shirt S\", \"quantity\": 2,"
  "              \"unit_price\": \"19.99\", \"tax\": \"1.00\"}],"
  "  \"payments\": [{\"method\": \"card\", \"amount\": \"40.98\"}]},"
  " {\"id\": \"S-2\", \"number\": \"R1-000002\", \"location\": \"MAIN\","
  "  \"placed_at\": \"2026-03-01T16:30:00Z\", \"currency\": \"USD\","
  "  \"lines\": [{\"sku\": \"MUG\", \"name\": \"Mug\", \"quantity\": 1, \"unit_price\": \"8.00\"}],"
  "  \"payments\": [{\"method\": \"cash\", \"amount\": \"8.00\"}]}"
  "]}";

const char partial_json[] =
  "{\"sales\": ["
  " {\"id\": \"S-3\", \"location\": \"MAIN\", \"placed_at\": \"2026-04-01T09:00:00Z\","
  "  \"currency\": \"USD\","
  "  \"lines\": [{\"sku\": \"TEE-M\", \"quantity\": 1, \"unit_price\": \"19.99\"}]},"
  " {\"id\": \"S-BAD\", \"location\": \"MAIN\", \"currency\": \"USD\","
  "  \"lines\": [{\"sku\": \"TEE-M\", \"quantity\": -4, \"unit_price\": \"19.99\"}]}"
  "]}";

const char all_bad_json[] =
  "{\"sales\": ["
  " {\"id\": \"S-BAD-2\", \"location\": \"NOWHERE\", \"currency\": \"USD\","
  "  \"lines\": [{\"sku\": \"TEE-M\", \"quantity\": 1, \"unit_price\": \"19.99\"}]}"
  "]}";

void
record_sales (Fixture *f)
{
  g_autofree char *file = path_in (f, "sales.json");

  write_file (file, sales_json, -1);
  g_assert_cmpint (RUN (f, "sales", "record", file), ==, 0);
}

void
cli_fixture_init (int    argc,
                  char **argv)
{
  cli_path = g_getenv ("CP_CLI");
  if (argc > 1)
    cli_path = argv[1];
  if (cli_path == NULL)
    g_error ("Pass the path of counterpart-cli as the first argument or in CP_CLI.");
}
