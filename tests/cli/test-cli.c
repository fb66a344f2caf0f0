/* test-cli.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs the built counterpart-cli as scripts do, against a real ledger in
 * a temporary folder, and checks the contract of shared/CLI.md: exit
 * codes, messages and --json shapes.
 */

#define G_LOG_DOMAIN "test-cli"

#include "config.h"

#include <string.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

static const char *cli_path;

typedef struct
{
  char *dir;        /* the temporary folder, removed in teardown */
  char *data_dir;   /* dir/data: what --data-dir points at */
  char *ledger;     /* data_dir/ledger.sqlite3 */
  char *out;        /* stdout of the last run */
  char *err;        /* stderr of the last run */
} Fixture;

static void
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

static void
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
static int
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

  if (g_test_verbose ())
    g_printerr ("$ %s\n[stdout]\n%s[stderr]\n%s[exit %d]\n",
                g_strjoinv (" ", (char **) argv->pdata), f->out, f->err,
                g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1);

  /* A crash is never an answer. */
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

#define RUN(f, ...) run_argv ((f), TRUE, NULL, (const char *[]) { __VA_ARGS__, NULL })
#define RUN_STDIN(f, text, ...) run_argv ((f), TRUE, (text), (const char *[]) { __VA_ARGS__, NULL })

/* stdout of the last run as JSON; fails the test unless it is one valid
 * document. */
static JsonNode *
parse_out (Fixture *f)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  GError *error = NULL;

  json_parser_load_from_data (parser, f->out, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (json_parser_get_root (parser));
  return json_node_copy (json_parser_get_root (parser));
}

static JsonObject *
root_object (JsonNode *node)
{
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_get_object (node);
}

static JsonArray *
data_array (JsonNode *node)
{
  JsonObject *root = root_object (node);

  g_assert_true (json_object_has_member (root, "data"));
  return json_object_get_array_member (root, "data");
}

static void
write_file (const char *path,
            const char *contents,
            gssize      length)
{
  GError *error = NULL;

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
}

static char *
path_in (Fixture    *f,
         const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

static void
init_ledger (Fixture *f)
{
  g_assert_cmpint (RUN (f, "init"), ==, 0);
}

static gint64
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
static const char good_csv[] =
  "sku,name,price,barcode,product,option1,cost,on_hand:MAIN\n"
  "TEE-S,T-shirt,19.99,4006381333931,tee,S,7.50,10\n"
  "TEE-M,T-shirt,19.99,,tee,M,7.50,4\n"
  "MUG,\"Mug, large\",8.00,,,,,0\n";

static void
import_good_catalog (Fixture *f)
{
  g_autofree char *csv = path_in (f, "good.csv");

  write_file (csv, good_csv, -1);
  g_assert_cmpint (RUN (f, "catalog", "import", csv), ==, 0);
}

/* --version, --help */

static void
test_version (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(JsonNode) node = NULL;

  g_assert_cmpint (RUN (f, "--version"), ==, 0);
  g_assert_cmpstr (f->out, ==, "counterpart-cli " PACKAGE_VERSION "\n");

  g_assert_cmpint (RUN (f, "--json", "--version"), ==, 0);
  node = parse_out (f);
  g_assert_cmpstr (json_object_get_string_member (root_object (node), "version"), ==,
                   PACKAGE_VERSION);

  /* Nothing was created by asking for the version. */
  g_assert_false (g_file_test (f->data_dir, G_FILE_TEST_EXISTS));
}

static void
test_help (Fixture       *f,
           gconstpointer  data)
{
  g_assert_cmpint (RUN (f, "--help"), ==, 0);
  g_assert_nonnull (strstr (f->out, "stock adjust SKU"));
  g_assert_cmpint (RUN (f, "help"), ==, 0);
  g_assert_nonnull (strstr (f->out, "orders list"));
  g_assert_cmpint (RUN (f, "stock", "adjust", "--help"), ==, 0);
  g_assert_nonnull (strstr (f->out, "--reason"));
  g_assert_cmpint (RUN (f, "stock", "--help"), ==, 0);
  g_assert_nonnull (strstr (f->out, "stock set-safety"));
  g_assert_cmpint (RUN (f, "help", "catalog", "import"), ==, 0);
  g_assert_nonnull (strstr (f->out, "catalog import FILE.csv"));
}

static void
test_usage_errors (Fixture       *f,
                   gconstpointer  data)
{
  init_ledger (f);

  g_assert_cmpint (run_argv (f, FALSE, NULL, (const char *[]) { NULL }), ==, 2);
  g_assert_nonnull (strstr (f->err, "Usage"));

  g_assert_cmpint (RUN (f, "frobnicate"), ==, 2);
  g_assert_nonnull (strstr (f->err, "frobnicate"));
  g_assert_cmpstr (f->out, ==, "");

  g_assert_cmpint (RUN (f, "--frobnicate", "status"), ==, 2);
  g_assert_cmpint (RUN (f, "status", "--frobnicate"), ==, 2);
  g_assert_nonnull (strstr (f->err, "--frobnicate"));
  g_assert_cmpint (RUN (f, "stock"), ==, 2);
  g_assert_cmpint (RUN (f, "stock", "frobnicate"), ==, 2);
  g_assert_cmpint (RUN (f, "status", "extra"), ==, 2);
  g_assert_cmpint (RUN (f, "stock", "adjust", "TEE-S", "--delta", "1", "--reason", "received"), ==, 2);
  g_assert_nonnull (strstr (f->err, "--location"));
  g_assert_cmpint (RUN (f, "stock", "adjust", "TEE-S", "--location", "MAIN", "--delta", "1.5",
                        "--reason", "received"), ==, 2);
  g_assert_cmpint (RUN (f, "stock", "adjust", "TEE-S", "--location", "MAIN", "--delta", "1",
                        "--reason", "stolen"), ==, 2);
  g_assert_nonnull (strstr (f->err, "stolen"));
  g_assert_cmpint (RUN (f, "locations", "add", "WH2"), ==, 2);
  g_assert_cmpint (RUN (f, "orders", "list", "--limit", "0"), ==, 2);
  g_assert_cmpint (RUN (f, "orders", "list", "--since", "last tuesday"), ==, 2);
  g_assert_cmpint (RUN (f, "--data-dir"), ==, 2);
}

static void
test_not_available (Fixture       *f,
                    gconstpointer  data)
{
  static const struct
  {
    const char *args[4];
    const char *name;
  } cases[] = {
    { { "integration", "platforms" }, "integration platforms" },
    { { "integration", "add", "shopify" }, "integration add" },
    { { "sync", "--once" }, "sync" },
    { { "jobs", "list" }, "jobs list" },
    { { "activity" }, "activity" },
    { { "external-orders", "list" }, "external-orders list" },
    { { "api-keys", "create", "x" }, "api-keys create" },
    { { "serve" }, "serve" },
    { { "sandbox", "serve" }, "sandbox serve" },
    { { "export", "2026-11" }, "export" },
    { { "report", "end-of-day" }, "report end-of-day" },
    { { "devices", "list" }, "devices list" },
    { { "print", "label", "TEE-S" }, "print label" },
  };

  init_ledger (f);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *expected = g_strdup_printf ("counterpart-cli: “%s” is not available in this "
                                                   "version of Counterpart.\n", cases[i].name);

      g_assert_cmpint (run_argv (f, TRUE, NULL, cases[i].args), ==, 1);
      g_assert_cmpstr (f->err, ==, expected);
      g_assert_cmpstr (f->out, ==, "");

      /* --json changes nothing: no fake success document. */
      {
        const char *args[6] = { "--json" };

        memcpy (args + 1, cases[i].args, sizeof cases[i].args);
        g_assert_cmpint (run_argv (f, TRUE, NULL, args), ==, 1);
        g_assert_cmpstr (f->out, ==, "");
      }
    }
}

/* init, status */

static void
test_init_status (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  JsonObject *root, *ledger, *counts;

  /* Before init there is nothing to show, and nothing gets created. */
  g_assert_cmpint (RUN (f, "status"), ==, 1);
  g_assert_nonnull (strstr (f->err, "init"));
  g_assert_false (g_file_test (f->ledger, G_FILE_TEST_EXISTS));

  g_assert_cmpint (RUN (f, "init"), ==, 0);
  g_assert_true (g_file_test (f->ledger, G_FILE_TEST_IS_REGULAR));
  g_assert_nonnull (strstr (f->out, "MAIN"));

  /* Again: fine, and it says the ledger exists. */
  g_assert_cmpint (RUN (f, "init"), ==, 0);
  g_assert_nonnull (strstr (f->out, "exists"));

  g_assert_cmpint (RUN (f, "--json", "status"), ==, 0);
  node = parse_out (f);
  root = root_object (node);
  ledger = json_object_get_object_member (root, "ledger");
  g_assert_nonnull (ledger);
  g_assert_cmpstr (json_object_get_string_member (ledger, "path"), ==, f->ledger);
  g_assert_cmpint (json_object_get_int_member (ledger, "size_bytes"), >, 0);
  g_assert_cmpint (json_object_get_int_member (ledger, "schema_version"), >=, 1);
  g_assert_cmpstr (json_object_get_string_member (ledger, "currency"), ==, "USD");
  counts = json_object_get_object_member (root, "counts");
  g_assert_nonnull (counts);
  g_assert_cmpint (json_object_get_int_member (counts, "products"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (counts, "variants"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (counts, "locations"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (counts, "orders"), ==, 0);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (root, "integrations")), ==, 0);
  g_assert_cmpint (json_object_get_int_member (root, "queue_depth"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (root, "dead_jobs"), ==, 0);
  g_assert_true (json_object_has_member (root, "last_sync"));
  g_assert_true (json_object_get_null_member (root, "last_sync"));

  /* The human form says the same. */
  g_assert_cmpint (RUN (f, "status"), ==, 0);
  g_assert_nonnull (strstr (f->out, f->ledger));
  g_assert_nonnull (strstr (f->out, "none connected"));

  /* --quiet init on an existing ledger prints nothing. */
  g_assert_cmpint (RUN (f, "--quiet", "init"), ==, 0);
  g_assert_cmpstr (f->out, ==, "");

  /* Global flags may come after the command too, and --data-dir=DIR. */
  before = g_strdup_printf ("--data-dir=%s", f->data_dir);
  g_assert_cmpint (run_argv (f, FALSE, NULL, (const char *[]) { "status", before, "--json", NULL }), ==, 0);
  after = g_strdup (f->out);
  g_assert_nonnull (strstr (after, "\"queue_depth\""));
}

static void
test_init_currency (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *main_location;

  g_assert_cmpint (RUN (f, "init", "--currency", "XYZ"), ==, 2);
  g_assert_false (g_file_test (f->ledger, G_FILE_TEST_EXISTS));

  g_assert_cmpint (RUN (f, "init", "--currency", "EUR"), ==, 0);
  g_assert_cmpint (RUN (f, "--json", "locations", "list"), ==, 0);
  node = parse_out (f);
  g_assert_cmpint (json_array_get_length (data_array (node)), ==, 1);
  main_location = json_array_get_object_element (data_array (node), 0);
  g_assert_cmpstr (json_object_get_string_member (main_location, "code"), ==, "MAIN");
  g_assert_cmpstr (json_object_get_string_member (main_location, "name"), ==, "Main");
  g_assert_cmpstr (json_object_get_string_member (main_location, "currency"), ==, "EUR");

  /* An existing shop's currency is not changed under it. */
  g_assert_cmpint (RUN (f, "init", "--currency", "JPY"), ==, 1);
  g_assert_nonnull (strstr (f->err, "EUR"));
}

/* locations */

static void
test_locations (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(JsonNode) added = NULL;
  g_autoptr(JsonNode) list = NULL;
  JsonArray *rows;
  JsonObject *row;

  g_assert_cmpint (RUN (f, "locations", "add", "WH2", "--name", "Warehouse 2"), ==, 1);
  g_assert_nonnull (strstr (f->err, "init"));
  init_ledger (f);

  g_assert_cmpint (RUN (f, "--json", "locations", "add", "WH2", "--name", "Warehouse 2",
                        "--currency", "EUR"), ==, 0);
  added = parse_out (f);
  g_assert_cmpstr (json_object_get_string_member (root_object (added), "code"), ==, "WH2");
  g_assert_true (JSON_NODE_TYPE (json_object_get_member (root_object (added), "id")) == JSON_NODE_VALUE);
  g_assert_true (json_node_get_value_type (json_object_get_member (root_object (added), "id")) == G_TYPE_STRING);

  g_assert_cmpint (RUN (f, "locations", "add", "SHOP", "--name=Shop floor"), ==, 0);
  g_assert_nonnull (strstr (f->out, "SHOP"));

  /* The same code twice is refused and says so. */
  g_assert_cmpint (RUN (f, "locations", "add", "WH2", "--name", "Again"), ==, 1);
  g_assert_nonnull (strstr (f->err, "WH2"));

  g_assert_cmpint (RUN (f, "--json", "locations", "list"), ==, 0);
  list = parse_out (f);
  rows = data_array (list);
  g_assert_cmpint (json_array_get_length (rows), ==, 3);
  row = json_array_get_object_element (rows, 0);
  g_assert_cmpstr (json_object_get_string_member (row, "code"), ==, "MAIN");
  g_assert_cmpstr (json_object_get_string_member (row, "currency"), ==, "USD");
  row = json_array_get_object_element (rows, 2);
  g_assert_cmpstr (json_object_get_string_member (row, "code"), ==, "WH2");
  g_assert_cmpstr (json_object_get_string_member (row, "name"), ==, "Warehouse 2");
  g_assert_cmpstr (json_object_get_string_member (row, "currency"), ==, "EUR");

  g_assert_cmpint (RUN (f, "locations", "list"), ==, 0);
  g_assert_nonnull (strstr (f->out, "Warehouse 2"));
  g_assert_nonnull (strstr (f->out, "Shop floor"));
  g_assert_cmpint (status_count (f, "locations"), ==, 3);
}

/* catalog */

static gboolean
file_starts_with (const char *path,
                  const char *prefix)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  return length >= strlen (prefix) && memcmp (contents, prefix, strlen (prefix)) == 0;
}

static void
test_catalog_import_export (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *csv = path_in (f, "good.csv");
  g_autofree char *out_csv = path_in (f, "out.csv");
  g_autofree char *out_json = path_in (f, "out.json");
  g_autofree char *out_xlsx = path_in (f, "out.xlsx");
  g_autofree char *out_other = path_in (f, "out.data");
  g_autofree char *contents = NULL;
  g_autoptr(JsonNode) imported = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(JsonNode) roundtrip = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  GError *error = NULL;
  JsonObject *root;

  init_ledger (f);
  write_file (csv, good_csv, -1);

  g_assert_cmpint (RUN (f, "--json", "catalog", "import", csv), ==, 0);
  imported = parse_out (f);
  root = root_object (imported);
  g_assert_true (json_object_get_boolean_member (root, "imported"));
  g_assert_cmpint (json_object_get_int_member (root, "created"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (root, "updated"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (root, "unchanged"), ==, 0);
  g_assert_cmpint (status_count (f, "variants"), ==, 3);
  g_assert_cmpint (status_count (f, "products"), ==, 2);

  /* Exports in every format. */
  g_assert_cmpint (RUN (f, "catalog", "export", out_csv), ==, 0);
  g_assert_true (g_file_get_contents (out_csv, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "sku,") || strstr (contents, "sku") != NULL);
  g_assert_nonnull (strstr (contents, "TEE-M"));
  g_assert_nonnull (strstr (contents, "19.99"));
  g_assert_nonnull (strstr (contents, "on_hand:MAIN"));
  g_clear_pointer (&contents, g_free);

  g_assert_cmpint (RUN (f, "catalog", "export", out_json), ==, 0);
  json_parser_load_from_file (parser, out_json, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (out_json, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "TEE-S"));
  g_clear_pointer (&contents, g_free);

  g_assert_cmpint (RUN (f, "catalog", "export", out_xlsx), ==, 0);
  g_assert_true (file_starts_with (out_xlsx, "PK"));

  /* --format wins over the extension. */
  g_assert_cmpint (RUN (f, "--json", "catalog", "export", out_other, "--format", "xlsx"), ==, 0);
  g_assert_true (file_starts_with (out_other, "PK"));
  g_assert_cmpint (RUN (f, "catalog", "export", out_other, "--format", "pdf"), ==, 2);

  /* Importing the same file again changes nothing. */
  g_assert_cmpint (RUN (f, "--json", "catalog", "import", csv), ==, 0);
  again = parse_out (f);
  root = root_object (again);
  g_assert_cmpint (json_object_get_int_member (root, "created"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (root, "updated"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (root, "unchanged"), ==, 3);

  /* And what the CLI exports, it imports back unchanged. */
  g_assert_cmpint (RUN (f, "--json", "catalog", "import", out_csv), ==, 0);
  roundtrip = parse_out (f);
  g_assert_cmpint (json_object_get_int_member (root_object (roundtrip), "unchanged"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (root_object (roundtrip), "created"), ==, 0);

  /* The human summary. */
  g_assert_cmpint (RUN (f, "catalog", "import", csv), ==, 0);
  g_assert_nonnull (strstr (f->out, "3 unchanged"));

  g_assert_cmpint (RUN (f, "catalog", "import", "/nonexistent/catalog.csv"), ==, 1);
  g_assert_nonnull (strstr (f->err, "/nonexistent/catalog.csv"));
}

static gboolean
problem_listed (JsonArray *problems,
                gint64     line,
                gint64     column)
{
  for (guint i = 0; i < json_array_get_length (problems); i++)
    {
      JsonObject *p = json_array_get_object_element (problems, i);

      if (json_object_get_int_member (p, "line") == line &&
          json_object_get_int_member (p, "column") == column &&
          json_object_get_string_member (p, "message") != NULL &&
          *json_object_get_string_member (p, "message") != '\0')
        return TRUE;
    }
  return FALSE;
}

static void
test_catalog_import_bad (Fixture       *f,
                         gconstpointer  data)
{
  /* Each line has one thing wrong, and one row (NEW-1) is fine: nothing
   * at all may be imported, not even the good row. */
  static const char bad_csv[] =
    "sku,name,price,on_hand:MAIN\n"          /* 1 */
    "NEW-1,Fine row,5.00,3\n"                /* 2 */
    "NEW-2,Bad price,abc,1\n"                /* 3: price, column 3 */
    "NEW-3,Twice,1.00,1\n"                   /* 4 */
    "NEW-3,Twice again,1.00,1\n"             /* 5: duplicate SKU, column 1 */
    "NEW-4,Caf\xe9 latte,2.00,1\n"           /* 6: Latin-1, column 2 */
    "NEW-5,Ragged,1.00\n"                    /* 7: a field short */
    "NEW-6,Bad count,1.00,many\n";           /* 8: on_hand, column 4 */
  static const char unknown_location_csv[] =
    "sku,name,price,on_hand:NOWHERE\n"
    "NEW-7,Somewhere,1.00,1\n";
  g_autofree char *bad = path_in (f, "bad.csv");
  g_autofree char *unknown = path_in (f, "unknown-location.csv");
  g_autofree char *ledger_before = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) node2 = NULL;
  JsonArray *problems;
  const char *expect[] = { ":3:3:", ":5:1:", ":6:2:", ":7:", ":8:4:" };

  init_ledger (f);
  import_good_catalog (f);
  write_file (bad, bad_csv, sizeof bad_csv - 1);
  write_file (unknown, unknown_location_csv, -1);

  g_assert_cmpint (RUN (f, "catalog", "import", bad), ==, 1);
  g_assert_cmpstr (f->out, ==, "");
  for (gsize i = 0; i < G_N_ELEMENTS (expect); i++)
    {
      g_autofree char *needle = g_strconcat (bad, expect[i], NULL);

      if (strstr (f->err, needle) == NULL)
        g_error ("stderr does not name %s:\n%s", needle, f->err);
    }
  g_assert_nonnull (strstr (f->err, "“price”"));
  g_assert_nonnull (strstr (f->err, "Nothing was imported"));
  g_assert_cmpint (status_count (f, "variants"), ==, 3);

  /* --json: the same problems as data, and stdout stays one document. */
  g_assert_cmpint (RUN (f, "--json", "catalog", "import", bad), ==, 1);
  node = parse_out (f);
  g_assert_false (json_object_get_boolean_member (root_object (node), "imported"));
  problems = json_object_get_array_member (root_object (node), "problems");
  g_assert_cmpint (json_array_get_length (problems), >=, 5);
  g_assert_true (problem_listed (problems, 3, 3));
  g_assert_true (problem_listed (problems, 5, 1));
  g_assert_true (problem_listed (problems, 6, 2));
  g_assert_true (problem_listed (problems, 8, 4));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (problems, 0),
                                                  "column_name") != NULL ? "set" : "unset", ==, "set");
  g_assert_nonnull (strstr (f->err, "Nothing was imported"));
  g_assert_cmpint (status_count (f, "variants"), ==, 3);

  /* A stock column for a location the shop does not have. */
  g_assert_cmpint (RUN (f, "catalog", "import", unknown), ==, 1);
  {
    g_autofree char *needle = g_strconcat (unknown, ":1:4:", NULL);

    if (strstr (f->err, needle) == NULL)
      g_error ("stderr does not name %s:\n%s", needle, f->err);
  }
  g_assert_nonnull (strstr (f->err, "NOWHERE"));
  g_assert_cmpint (RUN (f, "--json", "catalog", "import", unknown), ==, 1);
  node2 = parse_out (f);
  g_assert_true (problem_listed (json_object_get_array_member (root_object (node2), "problems"), 1, 4));

  /* The good row was not imported either, and stock did not move. */
  g_assert_cmpint (status_count (f, "variants"), ==, 3);
  g_assert_cmpint (RUN (f, "stock", "show", "NEW-1"), ==, 1);
  g_assert_nonnull (strstr (f->err, "NEW-1"));
}

/* stock */

static JsonObject *
first_row (JsonNode *node)
{
  JsonArray *rows = data_array (node);

  g_assert_cmpint (json_array_get_length (rows), >=, 1);
  return json_array_get_object_element (rows, 0);
}

static gint64
on_hand (Fixture    *f,
         const char *sku)
{
  g_autoptr(JsonNode) node = NULL;

  g_assert_cmpint (RUN (f, "--json", "stock", "show", sku, "--location", "MAIN"), ==, 0);
  node = parse_out (f);
  g_assert_cmpint (json_array_get_length (data_array (node)), ==, 1);
  return json_object_get_int_member (first_row (node), "on_hand");
}

static void
test_stock (Fixture       *f,
            gconstpointer  data)
{
  static const char * const keys[] = {
    "sku", "location", "on_hand", "reserved", "safety_stock", "available"
  };
  g_autoptr(JsonNode) all = NULL;
  g_autoptr(JsonNode) one = NULL;
  g_autoptr(JsonNode) adjusted = NULL;
  g_autoptr(JsonNode) safety = NULL;
  JsonObject *row;

  init_ledger (f);
  import_good_catalog (f);
  g_assert_cmpint (RUN (f, "locations", "add", "WH2", "--name", "Warehouse 2"), ==, 0);

  g_assert_cmpint (RUN (f, "--json", "stock", "show"), ==, 0);
  all = parse_out (f);
  /* Three variants at two locations. */
  g_assert_cmpint (json_array_get_length (data_array (all)), ==, 6);

  g_assert_cmpint (RUN (f, "--json", "stock", "show", "TEE-S", "--location", "MAIN"), ==, 0);
  one = parse_out (f);
  g_assert_cmpint (json_array_get_length (data_array (one)), ==, 1);
  row = first_row (one);
  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_true (json_object_has_member (row, keys[i]));
  g_assert_cmpstr (json_object_get_string_member (row, "sku"), ==, "TEE-S");
  g_assert_cmpstr (json_object_get_string_member (row, "location"), ==, "MAIN");
  g_assert_cmpint (json_object_get_int_member (row, "on_hand"), ==, 10);
  g_assert_cmpint (json_object_get_int_member (row, "reserved"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (row, "safety_stock"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (row, "available"), ==, 10);

  /* In. */
  g_assert_cmpint (RUN (f, "stock", "adjust", "TEE-S", "--location", "MAIN", "--delta", "5",
                        "--reason", "received", "--note", "--json is only a note here"), ==, 0);
  g_assert_nonnull (strstr (f->out, "15"));
  g_assert_cmpint (on_hand (f, "TEE-S"), ==, 15);

  g_assert_cmpint (RUN (f, "--json", "stock", "adjust", "TEE-S", "--location", "MAIN",
                        "--delta=-2", "--reason", "returned"), ==, 0);
  adjusted = parse_out (f);
  g_assert_cmpint (json_object_get_int_member (root_object (adjusted), "on_hand"), ==, 13);
  g_assert_cmpstr (json_object_get_string_member (root_object (adjusted), "sku"), ==, "TEE-S");

  /* Safety stock lowers what is available, not what is on hand. */
  g_assert_cmpint (RUN (f, "--json", "stock", "set-safety", "TEE-S", "--location", "MAIN",
                        "--quantity", "4"), ==, 0);
  safety = parse_out (f);
  g_assert_cmpint (json_object_get_int_member (root_object (safety), "safety_stock"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (root_object (safety), "available"), ==, 9);
  g_assert_cmpint (json_object_get_int_member (root_object (safety), "on_hand"), ==, 13);
  g_assert_cmpint (RUN (f, "stock", "set-safety", "TEE-S", "--location", "MAIN",
                        "--quantity", "-1"), ==, 2);

  /* Damage cannot take stock below zero; a sale can (shops oversell). */
  g_assert_cmpint (RUN (f, "stock", "adjust", "TEE-M", "--location", "MAIN", "--delta", "-10",
                        "--reason", "damaged"), ==, 1);
  g_assert_cmpstr (f->out, ==, "");
  g_assert_nonnull (strstr (f->err, "TEE-M"));
  g_assert_cmpint (on_hand (f, "TEE-M"), ==, 4);
  g_assert_cmpint (RUN (f, "stock", "adjust", "TEE-M", "--location", "MAIN", "--delta", "-10",
                        "--reason", "sold"), ==, 0);
  g_assert_cmpint (on_hand (f, "TEE-M"), ==, -6);

  /* Unknown SKU and location are named. */
  g_assert_cmpint (RUN (f, "stock", "adjust", "NOPE-1", "--location", "MAIN", "--delta", "1",
                        "--reason", "received"), ==, 1);
  g_assert_nonnull (strstr (f->err, "NOPE-1"));
  g_assert_cmpint (RUN (f, "stock", "adjust", "TEE-S", "--location", "ATTIC", "--delta", "1",
                        "--reason", "received"), ==, 1);
  g_assert_nonnull (strstr (f->err, "ATTIC"));
  g_assert_cmpint (RUN (f, "stock", "set-safety", "NOPE-2", "--location", "MAIN",
                        "--quantity", "1"), ==, 1);
  g_assert_nonnull (strstr (f->err, "NOPE-2"));
  g_assert_cmpint (RUN (f, "--json", "stock", "show", "NOPE-3"), ==, 1);
  g_assert_nonnull (strstr (f->err, "NOPE-3"));
  g_assert_cmpstr (f->out, ==, "");
  g_assert_cmpint (RUN (f, "stock", "show", "--location", "ATTIC"), ==, 1);
  g_assert_nonnull (strstr (f->err, "ATTIC"));
  g_assert_cmpint (on_hand (f, "TEE-S"), ==, 13);

  /* The human table. */
  g_assert_cmpint (RUN (f, "stock", "show", "--location", "MAIN"), ==, 0);
  g_assert_nonnull (strstr (f->out, "ON HAND"));
  g_assert_nonnull (strstr (f->out, "AVAILABLE"));
  g_assert_nonnull (strstr (f->out, "TEE-M"));
  g_assert_null (strstr (f->out, "WH2"));
}

/* sales, orders */

static const char sales_json[] =
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

static const char partial_json[] =
  "{\"sales\": ["
  " {\"id\": \"S-3\", \"location\": \"MAIN\", \"placed_at\": \"2026-04-01T09:00:00Z\","
  "  \"currency\": \"USD\","
  "  \"lines\": [{\"sku\": \"TEE-M\", \"quantity\": 1, \"unit_price\": \"19.99\"}]},"
  " {\"id\": \"S-BAD\", \"location\": \"MAIN\", \"currency\": \"USD\","
  "  \"lines\": [{\"sku\": \"TEE-M\", \"quantity\": -4, \"unit_price\": \"19.99\"}]}"
  "]}";

static const char all_bad_json[] =
  "{\"sales\": ["
  " {\"id\": \"S-BAD-2\", \"location\": \"NOWHERE\", \"currency\": \"USD\","
  "  \"lines\": [{\"sku\": \"TEE-M\", \"quantity\": 1, \"unit_price\": \"19.99\"}]}"
  "]}";

static void
record_sales (Fixture *f)
{
  g_autofree char *file = path_in (f, "sales.json");

  write_file (file, sales_json, -1);
  g_assert_cmpint (RUN (f, "sales", "record", file), ==, 0);
}

static void
test_sales_record (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *file = path_in (f, "sales.json");
  g_autofree char *partial = path_in (f, "partial.json");
  g_autofree char *all_bad = path_in (f, "all-bad.json");
  g_autofree char *garbage = path_in (f, "garbage.json");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) partial_node = NULL;
  JsonObject *root;

  init_ledger (f);
  import_good_catalog (f);
  write_file (file, sales_json, -1);
  write_file (partial, partial_json, -1);
  write_file (all_bad, all_bad_json, -1);
  write_file (garbage, "{\"sales\": [ this is not JSON", -1);

  g_assert_cmpint (RUN (f, "sales", "record", file), ==, 0);
  g_assert_nonnull (strstr (f->out, "S-1"));
  g_assert_nonnull (strstr (f->out, "S-2"));
  g_assert_cmpint (status_count (f, "orders"), ==, 2);
  /* The sale took the stock. */
  g_assert_cmpint (on_hand (f, "TEE-S"), ==, 8);

  /* Again: nothing changes, and it says so. */
  g_assert_cmpint (RUN (f, "sales", "record", file), ==, 0);
  g_assert_nonnull (strstr (f->out, "already recorded"));
  g_assert_cmpint (status_count (f, "orders"), ==, 2);
  g_assert_cmpint (on_hand (f, "TEE-S"), ==, 8);

  g_assert_cmpint (RUN (f, "--json", "sales", "record", file), ==, 0);
  node = parse_out (f);
  root = root_object (node);
  g_assert_cmpint (json_array_get_length (data_array (node)), ==, 2);
  g_assert_cmpint (json_object_get_int_member (root, "recorded"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (root, "already_recorded"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (root, "failed"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (data_array (node), 0),
                                                  "result"), ==, "already_recorded");

  /* One good sale and one bad: the good one counts, exit 3, the bad one
   * is named. */
  g_assert_cmpint (RUN (f, "sales", "record", partial), ==, 3);
  g_assert_nonnull (strstr (f->err, "S-BAD"));
  g_assert_nonnull (strstr (f->out, "S-3"));
  g_assert_cmpint (status_count (f, "orders"), ==, 3);

  g_assert_cmpint (RUN (f, "--json", "sales", "record", partial), ==, 3);
  partial_node = parse_out (f);
  g_assert_cmpint (json_object_get_int_member (root_object (partial_node), "already_recorded"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (root_object (partial_node), "failed"), ==, 1);
  g_assert_nonnull (strstr (f->err, "S-BAD"));
  g_assert_cmpint (status_count (f, "orders"), ==, 3);

  /* All failed, or not a document at all: exit 1, nothing recorded. */
  g_assert_cmpint (RUN (f, "sales", "record", all_bad), ==, 1);
  g_assert_nonnull (strstr (f->err, "S-BAD-2"));
  g_assert_cmpint (RUN (f, "sales", "record", garbage), ==, 1);
  g_assert_nonnull (strstr (f->err, garbage));
  g_assert_cmpint (RUN (f, "sales", "record", "/nonexistent/sales.json"), ==, 1);
  g_assert_cmpint (status_count (f, "orders"), ==, 3);

  /* "-" reads standard input. */
  g_assert_cmpint (RUN_STDIN (f, "{\"id\": \"S-4\", \"currency\": \"USD\", \"lines\": "
                                 "[{\"sku\": \"MUG\", \"quantity\": 1, \"unit_price\": \"8.00\"}]}",
                              "sales", "record", "-"), ==, 0);
  g_assert_nonnull (strstr (f->out, "S-4"));
  g_assert_cmpint (status_count (f, "orders"), ==, 4);
}

static JsonObject *
find_order (JsonArray  *rows,
            const char *number)
{
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);

      if (g_strcmp0 (json_object_get_string_member (row, "number"), number) == 0)
        return row;
    }
  g_error ("no order %s in the list", number);
  return NULL;
}

static guint
n_orders (Fixture     *f,
          const char * const *args)
{
  g_autoptr(JsonNode) node = NULL;
  const char *argv[16] = { "--json", "orders", "list" };
  guint n = 3;

  for (guint i = 0; args[i] != NULL; i++)
    argv[n++] = args[i];
  g_assert_cmpint (run_argv (f, TRUE, NULL, argv), ==, 0);
  node = parse_out (f);
  return json_array_get_length (data_array (node));
}

static void
test_orders_list (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(JsonNode) node = NULL;
  JsonArray *rows;
  JsonObject *order, *total, *refunded;

  init_ledger (f);
  g_assert_cmpint (RUN (f, "orders", "list"), ==, 0);
  g_assert_nonnull (strstr (f->out, "No orders"));

  import_good_catalog (f);
  record_sales (f);

  g_assert_cmpint (RUN (f, "--json", "orders", "list"), ==, 0);
  node = parse_out (f);
  rows = data_array (node);
  g_assert_cmpint (json_array_get_length (rows), ==, 2);
  /* Newest first. */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 0), "number"),
                   ==, "R1-000002");

  order = find_order (rows, "R1-000001");
  g_assert_true (json_node_get_value_type (json_object_get_member (order, "id")) == G_TYPE_STRING);
  g_assert_cmpstr (json_object_get_string_member (order, "source"), ==, "pos");
  g_assert_true (json_object_has_member (order, "external_id"));
  g_assert_true (json_object_get_null_member (order, "external_id"));
  g_assert_cmpstr (json_object_get_string_member (order, "status"), ==, "completed");
  g_assert_cmpstr (json_object_get_string_member (order, "placed_at"), ==, "2026-01-05T10:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (order, "currency"), ==, "USD");
  g_assert_cmpint (json_object_get_int_member (order, "lines"), ==, 1);
  total = json_object_get_object_member (order, "total");
  g_assert_nonnull (total);
  /* 2 × 19.99 + 1.00 tax, in cents, as an integer. */
  g_assert_true (json_node_get_value_type (json_object_get_member (total, "amount_minor")) == G_TYPE_INT64);
  g_assert_cmpint (json_object_get_int_member (total, "amount_minor"), ==, 4098);
  g_assert_cmpstr (json_object_get_string_member (total, "currency"), ==, "USD");
  refunded = json_object_get_object_member (order, "refunded_total");
  g_assert_nonnull (refunded);
  g_assert_cmpint (json_object_get_int_member (refunded, "amount_minor"), ==, 0);

  /* Filters. */
  g_assert_cmpint (n_orders (f, (const char *[]) { "--source", "pos", NULL }), ==, 2);
  g_assert_cmpint (n_orders (f, (const char *[]) { "--source", "shopify-1", NULL }), ==, 0);
  g_assert_cmpint (n_orders (f, (const char *[]) { "--status", "completed", NULL }), ==, 2);
  g_assert_cmpint (n_orders (f, (const char *[]) { "--status", "cancelled", NULL }), ==, 0);
  g_assert_cmpint (n_orders (f, (const char *[]) { "--since", "2026-02-01", NULL }), ==, 1);
  g_assert_cmpint (n_orders (f, (const char *[]) { "--since", "2026-03-01T16:30:00Z", NULL }), ==, 1);
  g_assert_cmpint (n_orders (f, (const char *[]) { "--since", "2026-03-01T16:30:01Z", NULL }), ==, 0);
  g_assert_cmpint (n_orders (f, (const char *[]) { "--since", "2020-01-01", NULL }), ==, 2);
  g_assert_cmpint (n_orders (f, (const char *[]) { "--limit", "1", NULL }), ==, 1);

  /* The human table. */
  g_assert_cmpint (RUN (f, "orders", "list"), ==, 0);
  g_assert_nonnull (strstr (f->out, "R1-000001"));
  g_assert_nonnull (strstr (f->out, "R1-000002"));
  g_assert_nonnull (strstr (f->out, "40.98"));
  g_assert_cmpint (RUN (f, "orders", "list", "--limit", "1"), ==, 0);
  g_assert_nonnull (strstr (f->out, "R1-000002"));
  g_assert_null (strstr (f->out, "R1-000001"));
  g_assert_nonnull (strstr (f->out, "--limit"));
}

/* Ledgers the CLI must refuse, and leave as they are. */

static char *
read_all (const char *path,
          gsize      *out_length)
{
  char *contents = NULL;
  GError *error = NULL;

  g_file_get_contents (path, &contents, out_length, &error);
  g_assert_no_error (error);
  return contents;
}

static void
assert_refused_untouched (Fixture    *f,
                          const char *needle)
{
  const char *commands[][4] = {
    { "status" },
    { "init" },
    { "stock", "show" },
    { "--json", "orders", "list" },
    { "locations", "add", "WH9", "--name" },
  };
  g_autofree char *before = NULL;
  gsize before_length = 0;

  before = read_all (f->ledger, &before_length);
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *after = NULL;
      gsize after_length = 0;
      const char *args[6] = { NULL };

      memcpy (args, commands[i], sizeof commands[i]);
      if (g_str_equal (args[0], "locations"))
        args[4] = "Nine";

      g_assert_cmpint (run_argv (f, TRUE, NULL, args), ==, 1);
      if (strstr (f->err, needle) == NULL)
        g_error ("stderr does not say “%s”:\n%s", needle, f->err);
      g_assert_cmpstr (f->out, ==, "");

      after = read_all (f->ledger, &after_length);
      g_assert_cmpmem (before, before_length, after, after_length);
    }
}

static void
test_ledger_too_new (Fixture       *f,
                     gconstpointer  data)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (g_mkdir_with_parents (f->data_dir, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (f->ledger, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE future (x); PRAGMA user_version = 999;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  assert_refused_untouched (f, "newer");
}

static void
test_ledger_garbage (Fixture       *f,
                     gconstpointer  data)
{
  GString *garbage = g_string_new (NULL);

  for (guint i = 0; i < 200; i++)
    g_string_append (garbage, "This is a shopping list, not a ledger.\n");
  g_assert_cmpint (g_mkdir_with_parents (f->data_dir, 0700), ==, 0);
  write_file (f->ledger, garbage->str, garbage->len);
  g_string_free (garbage, TRUE);

  assert_refused_untouched (f, f->ledger);
}

static void
test_ledger_locked (Fixture       *f,
                    gconstpointer  data)
{
  sqlite3 *db = NULL;

  init_ledger (f);
  import_good_catalog (f);

  /* Another program holds the write lock for longer than the CLI waits. */
  g_assert_cmpint (sqlite3_open (f->ledger, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);

  g_assert_cmpint (RUN (f, "stock", "adjust", "TEE-S", "--location", "MAIN", "--delta", "5",
                        "--reason", "received"), ==, 1);
  g_assert_nonnull (strstr (f->err, "another program"));
  g_assert_cmpstr (f->out, ==, "");

  /* Reading is not blocked by a writer. */
  g_assert_cmpint (on_hand (f, "TEE-S"), ==, 10);

  g_assert_cmpint (sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  /* Nothing was half-written: the movement was not made. */
  g_assert_cmpint (on_hand (f, "TEE-S"), ==, 10);
  g_assert_cmpint (RUN (f, "stock", "adjust", "TEE-S", "--location", "MAIN", "--delta", "5",
                        "--reason", "received"), ==, 0);
  g_assert_cmpint (on_hand (f, "TEE-S"), ==, 15);
}

/* --sandbox */

static void
test_sandbox (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *sandbox = g_build_filename (f->dir, "xdg", "counterpart-sandbox",
                                               "ledger.sqlite3", NULL);
  g_autofree char *real = g_build_filename (f->dir, "xdg", "counterpart", "ledger.sqlite3", NULL);
  g_autoptr(JsonNode) node = NULL;
  JsonObject *counts;
  int status;

  status = run_argv (f, FALSE, NULL, (const char *[]) { "--json", "--sandbox", "status", NULL });
#if CP_HAVE_DEMO
  g_assert_cmpint (status, ==, 0);
  node = parse_out (f);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root_object (node),
                                                                                 "ledger"),
                                                  "path"), ==, sandbox);
  counts = json_object_get_object_member (root_object (node), "counts");
  g_assert_cmpint (json_object_get_int_member (counts, "products"), >, 0);
  g_assert_cmpint (json_object_get_int_member (counts, "locations"), >=, 1);
  g_assert_true (g_file_test (sandbox, G_FILE_TEST_IS_REGULAR));
  g_assert_false (g_file_test (real, G_FILE_TEST_EXISTS));

  /* The demo shop is made once; MAIN is one of its locations. */
  status = run_argv (f, FALSE, NULL, (const char *[]) { "--sandbox", "--json", "stock", "show",
                                                        "--location", "MAIN", NULL });
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&node, json_node_unref);
  node = parse_out (f);
  g_assert_cmpint (json_array_get_length (data_array (node)), >, 0);

  /* init --demo fills a new ledger, once. */
  g_assert_cmpint (RUN (f, "--json", "init", "--demo"), ==, 0);
  g_clear_pointer (&node, json_node_unref);
  node = parse_out (f);
  g_assert_true (json_object_get_boolean_member (root_object (node), "demo"));
  g_assert_true (json_object_get_boolean_member (root_object (node), "created"));
  g_assert_cmpint (json_object_get_int_member (root_object (node), "products"), >, 0);
  g_assert_cmpint (status_count (f, "orders"), >, 0);
  g_assert_cmpint (RUN (f, "init", "--demo"), ==, 1);
  g_assert_nonnull (strstr (f->err, "demo"));

  /* init --demo refuses a ledger that holds a real catalog. */
  g_free (f->data_dir);
  f->data_dir = g_build_filename (f->dir, "real", NULL);
  init_ledger (f);
  import_good_catalog (f);
  g_assert_cmpint (RUN (f, "init", "--demo"), ==, 1);
  g_assert_nonnull (strstr (f->err, "demo"));
  g_assert_cmpint (status_count (f, "variants"), ==, 3);
#else
  (void) node;
  (void) counts;
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (f->err, "demo shop"));
  g_assert_false (g_file_test (real, G_FILE_TEST_EXISTS));
#endif
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  cli_path = g_getenv ("CP_CLI");
  if (argc > 1)
    cli_path = argv[1];
  if (cli_path == NULL)
    g_error ("Pass the path of counterpart-cli as the first argument or in CP_CLI.");

#define ADD(name, func) \
  g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/cli/version", test_version);
  ADD ("/cli/help", test_help);
  ADD ("/cli/usage-errors", test_usage_errors);
  ADD ("/cli/not-available", test_not_available);
  ADD ("/cli/init-status", test_init_status);
  ADD ("/cli/init-currency", test_init_currency);
  ADD ("/cli/locations", test_locations);
  ADD ("/cli/catalog/import-export", test_catalog_import_export);
  ADD ("/cli/catalog/import-bad", test_catalog_import_bad);
  ADD ("/cli/stock", test_stock);
  ADD ("/cli/sales/record", test_sales_record);
  ADD ("/cli/orders/list", test_orders_list);
  ADD ("/cli/ledger/too-new", test_ledger_too_new);
  ADD ("/cli/ledger/garbage", test_ledger_garbage);
  ADD ("/cli/ledger/locked", test_ledger_locked);
  ADD ("/cli/sandbox", test_sandbox);

#undef ADD

  return g_test_run ();
}
