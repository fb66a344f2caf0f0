/* test-api-preferences.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Local API page of Preferences, on the real application and window:
 * the switch starts and stops the server the app runs (real HTTP on
 * loopback, at a free port the test asks for through "api-listen"), a
 * port in use is said in the page, and a key made in Create Key… lets a
 * program in until it is revoked — with its secret nowhere in the
 * ledger's files.
 */

#define G_LOG_DOMAIN "test-api-preferences"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "cp-api-key-dialog.h"
#include "cp-api-server.h"
#include "cp-gui-test.h"
#include "cp-preferences-window.h"
#include "test-integrations-fixture.h"

static CpApplication *
get_app (void)
{
  return CP_APPLICATION (g_application_get_default ());
}

static GSettings *
get_settings (void)
{
  GSettings *settings = cp_application_get_settings (get_app ());

  g_assert_nonnull (settings);
  return settings;
}

/* HTTP on the same main context as the server: asynchronous, waited for. */

typedef struct
{
  gboolean  done;
  guint     status;   /* 0: no answer (refused) */
} Reply;

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Reply *reply = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  reply->status = body != NULL ? soup_message_get_status (msg) : 0;
  reply->done = TRUE;
}

static gboolean
reply_done (gpointer data)
{
  return ((Reply *) data)->done;
}

static guint
http_get (guint       port,
          const char *path,
          const char *secret)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u%s", port, path);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  Reply reply = { FALSE, 0 };

  if (secret != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", secret, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, sent_cb, &reply);
  g_assert_true (cp_test_wait_until (reply_done, &reply));
  return reply.status;
}

static GtkWidget *
open_api_preferences (void)
{
  GtkWidget *prefs;

  g_action_group_activate_action (G_ACTION_GROUP (get_app ()), "preferences", NULL);
  prefs = cp_test_wait_for_toplevel (CP_TYPE_PREFERENCES_WINDOW);
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (prefs), "api");
  wait_for_named (prefs, "api-switch");
  cp_test_wait_for_frames (prefs);
  return prefs;
}

static GtkWidget *
named (GtkWidget  *root,
       const char *name)
{
  GtkWidget *widget = cp_test_find_widget_by_name (root, name);

  if (widget == NULL)
    g_error ("No widget called “%s”", name);
  return widget;
}

/* "clicked" at once: activating a GtkButton clicks it only after its
 * press animation. */
static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static void
test_switch (void)
{
  g_autofree char *dir = make_dir ();
  GSettings *settings = get_settings ();
  CpWindow *window;
  GtkWidget *prefs;
  GtkSwitch *toggle;
  guint port;

  /* Any free port, so that parallel runs never collide. */
  g_settings_set_string (settings, "api-listen", "127.0.0.1:0");
  window = open_window (dir);

  /* Off unless the shop turns it on. */
  g_assert_false (g_settings_get_boolean (settings, "api-server-enabled"));
  g_assert_null (cp_application_get_api_server (get_app ()));

  prefs = open_api_preferences ();
  toggle = GTK_SWITCH (named (prefs, "api-switch"));
  g_assert_false (gtk_switch_get_active (toggle));
  cp_test_assert_shows (prefs, _("Only programs on this computer can reach it."));

  gtk_switch_set_active (toggle, TRUE);
  g_assert_true (g_settings_get_boolean (settings, "api-server-enabled"));
  g_assert_nonnull (cp_application_get_api_server (get_app ()));
  port = cp_api_server_get_port (cp_application_get_api_server (get_app ()));
  g_assert_cmpuint (port, >, 0);
  g_assert_cmpuint (http_get (port, "/api/v1/health", NULL), ==, 200);
  {
    g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/api/v1", port);

    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (named (prefs, "api-address"))), ==, url);
  }

  /* Off again: the port is closed. */
  gtk_switch_set_active (toggle, FALSE);
  g_assert_null (cp_application_get_api_server (get_app ()));
  g_assert_cmpuint (http_get (port, "/api/v1/health", NULL), ==, 0);

  gtk_window_destroy (GTK_WINDOW (prefs));
  close_window (window);
  cp_test_rm_rf (dir);
}

static void
test_port_in_use (void)
{
  g_autofree char *dir = make_dir ();
  GSettings *settings = get_settings ();
  g_autoptr(GSocketListener) other = g_socket_listener_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *listen = NULL;
  const GError *server_error;
  CpWindow *window;
  GtkWidget *prefs;
  GtkWidget *status;

  /* Another program holds the port. */
  g_assert_true (g_socket_listener_add_address (other, address, G_SOCKET_TYPE_STREAM,
                                                G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error));
  g_assert_no_error (error);
  listen = g_strdup_printf ("127.0.0.1:%u",
                            g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_settings_set_string (settings, "api-listen", listen);

  window = open_window (dir);
  prefs = open_api_preferences ();
  gtk_switch_set_active (GTK_SWITCH (named (prefs, "api-switch")), TRUE);

  g_assert_null (cp_application_get_api_server (get_app ()));
  server_error = cp_application_get_api_server_error (get_app ());
  g_assert_nonnull (server_error);
  g_assert_true (g_error_matches (server_error, CP_API_SERVER_ERROR, CP_API_SERVER_ERROR_LISTEN));
  status = named (prefs, "api-status");
  cp_test_wait_for_frames (prefs);
  g_assert_true (gtk_widget_get_mapped (status));
  g_assert_true (gtk_widget_has_css_class (status, "error"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (status)), listen));
  cp_test_save_screenshot (prefs, "preferences-api-port-in-use");

  /* Off: the message goes with it. */
  gtk_switch_set_active (GTK_SWITCH (named (prefs, "api-switch")), FALSE);
  g_assert_null (cp_application_get_api_server_error (get_app ()));
  g_assert_false (gtk_widget_get_visible (status));

  gtk_window_destroy (GTK_WINDOW (prefs));
  close_window (window);
  g_settings_set_string (settings, "api-listen", "127.0.0.1:0");
  cp_test_rm_rf (dir);
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *bytes = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &bytes, &length, NULL))
    return FALSE;
  for (gsize i = 0; i + strlen (needle) <= length; i++)
    if (memcmp (bytes + i, needle, strlen (needle)) == 0)
      return TRUE;
  return FALSE;
}

static void
test_keys (void)
{
  g_autofree char *dir = make_dir ();
  GSettings *settings = get_settings ();
  g_autofree char *secret = NULL;
  g_autofree char *ledger_path = NULL;
  CpWindow *window;
  GtkWidget *prefs;
  GtkWidget *dialog;
  GtkWidget *create;
  GtkWidget *confirm;
  guint port;

  g_settings_set_string (settings, "api-listen", "127.0.0.1:0");
  window = open_window (dir);
  ledger_path = g_strdup (cp_ledger_get_path (cp_window_get_ledger (window)));
  prefs = open_api_preferences ();
  cp_test_assert_shows (prefs, _("No keys yet"));
  gtk_switch_set_active (GTK_SWITCH (named (prefs, "api-switch")), TRUE);
  g_assert_nonnull (cp_application_get_api_server (get_app ()));
  port = cp_api_server_get_port (cp_application_get_api_server (get_app ()));

  /* Create Key…: a name and at least one thing it may do. */
  click (named (prefs, "api-create-key"));
  dialog = cp_test_wait_for_toplevel (CP_TYPE_API_KEY_DIALOG);
  cp_test_wait_for_frames (dialog);
  create = named (dialog, "create-button");
  g_assert_false (gtk_widget_get_sensitive (create));
  gtk_editable_set_text (GTK_EDITABLE (named (dialog, "key-name")), "Website stock widget");
  g_assert_false (gtk_widget_get_sensitive (create));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (named (dialog, "scope-integrations.read")), TRUE);
  g_assert_true (gtk_widget_get_sensitive (create));
  click (create);

  /* The secret, once, with the warning that it cannot be shown again. */
  wait_for_named (dialog, "secret-label");
  secret = g_strdup (gtk_label_get_text (GTK_LABEL (named (dialog, "secret-label"))));
  g_assert_true (g_str_has_prefix (secret, "cpk_"));
  g_assert_true (gtk_label_get_selectable (GTK_LABEL (named (dialog, "secret-label"))));
  cp_test_assert_shows (dialog, _("This is the only time the key is shown. Paste it into the program that "
                                  "will use it. Counterpart keeps only a fingerprint of it: if it gets lost, "
                                  "revoke it and create another."));
  click (named (dialog, "copy-button"));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (named (dialog, "copy-button"))), ==, _("Copied"));

  /* It lets a program in, for what it was made for. */
  g_assert_cmpuint (http_get (port, "/api/v1/integrations", secret), ==, 200);
  g_assert_cmpuint (http_get (port, "/api/v1/integrations", NULL), ==, 401);

  /* Only its hash is kept. */
  {
    g_autofree char *wal = g_strconcat (ledger_path, "-wal", NULL);

    g_assert_true (g_file_test (ledger_path, G_FILE_TEST_EXISTS));
    g_assert_false (file_contains (ledger_path, secret));
    g_assert_false (file_contains (wal, secret));
  }

  click (named (dialog, "done-button"));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (cp_test_find_toplevel_of_type (CP_TYPE_API_KEY_DIALOG));

  /* The list shows it; Revoke asks first. */
  cp_test_wait_for_frames (prefs);
  cp_test_assert_shows (prefs, "Website stock widget");
  click (named (prefs, "revoke-button"));
  confirm = cp_test_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  cp_test_wait_for_frames (confirm);
  cp_test_save_screenshot (confirm, "api-key-revoke");
  /* Cancel keeps it. */
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (confirm), "cancel");
  g_assert_cmpuint (http_get (port, "/api/v1/integrations", secret), ==, 200);

  click (named (prefs, "revoke-button"));
  confirm = cp_test_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (confirm), "revoke");
  g_assert_cmpuint (http_get (port, "/api/v1/integrations", secret), ==, 401);
  cp_test_wait_for_frames (prefs);
  cp_test_assert_shows (prefs, _("Revoked"));
  g_assert_null (cp_test_find_widget_by_name (prefs, "revoke-button"));

  gtk_switch_set_active (GTK_SWITCH (named (prefs, "api-switch")), FALSE);
  gtk_window_destroy (GTK_WINDOW (prefs));
  close_window (window);
  cp_test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  if (!fixture_init (&argc, &argv, "api-preferences"))
    return g_test_run ();

  g_test_add_func ("/gui/api-preferences/switch", test_switch);
  g_test_add_func ("/gui/api-preferences/port-in-use", test_port_in_use);
  g_test_add_func ("/gui/api-preferences/keys", test_keys);

  return fixture_run ();
}
