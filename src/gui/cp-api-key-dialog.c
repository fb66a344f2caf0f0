/* cp-api-key-dialog.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Create Key…: two steps in one window. First a name and what the key may
 * do (one check box per scope, each with its consequence), then the
 * secret, shown this once: the ledger keeps only its hash
 * (cp-api-keys.h), so the window cannot show it again. Creating a key is
 * one small INSERT on the window's ledger, done on the UI thread like the
 * other single-row edits of the window.
 */

#define G_LOG_DOMAIN "cp-api-key-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-api-keys.h"
#include "cp-api-key-dialog.h"

struct _CpApiKeyDialog
{
  AdwWindow       parent_instance;

  CpLedger       *ledger;
  GtkStack       *stack;
  GtkWidget      *cancel_button;
  GtkWidget      *create_button;
  GtkWidget      *done_button;
  AdwEntryRow    *name_row;
  GPtrArray      *scope_checks;   /* of GtkCheckButton, "scope" data */
  GtkLabel       *error_label;
  GtkLabel       *secret_label;
  GtkButton      *copy_button;
};

G_DEFINE_FINAL_TYPE (CpApiKeyDialog, cp_api_key_dialog, ADW_TYPE_WINDOW)

enum {
  KEY_CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const struct {
  const char *scope;
  const char *title;
  const char *consequence;
} scope_words[] = {
  { CP_API_SCOPE_INTEGRATIONS_READ, N_("See integrations"),
    N_("Which stores and services are connected, and whether they are up to date") },
  { CP_API_SCOPE_INTEGRATIONS_SYNC, N_("Start syncs"),
    N_("Ask a store to sync now, as the Sync Now button does") },
  { CP_API_SCOPE_ORDERS_READ, N_("Read orders"),
    N_("The orders that came in from your stores (not offered by the local API yet)") },
  { CP_API_SCOPE_WEBHOOKS_WRITE, N_("Send notices"),
    N_("Let a platform tell Counterpart about changes (not offered by the local API yet)") },
};

const char *
cp_api_scope_get_title (const char *scope)
{
  for (guint i = 0; i < G_N_ELEMENTS (scope_words); i++)
    if (g_strcmp0 (scope_words[i].scope, scope) == 0)
      return _(scope_words[i].title);
  return scope;
}

const char *
cp_api_scope_get_consequence (const char *scope)
{
  for (guint i = 0; i < G_N_ELEMENTS (scope_words); i++)
    if (g_strcmp0 (scope_words[i].scope, scope) == 0)
      return _(scope_words[i].consequence);
  return scope;
}

static char **
checked_scopes (CpApiKeyDialog *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < self->scope_checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->scope_checks, i);

      if (gtk_check_button_get_active (check))
        g_strv_builder_add (builder, g_object_get_data (G_OBJECT (check), "scope"));
    }
  return g_strv_builder_end (builder);
}

static void
update_create_sensitive (CpApiKeyDialog *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  g_auto(GStrv) scopes = checked_scopes (self);

  gtk_widget_set_sensitive (self->create_button,
                            self->ledger != NULL && *name != '\0' && scopes[0] != NULL);
}

static void
create_clicked_cb (CpApiKeyDialog *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  g_auto(GStrv) scopes = checked_scopes (self);
  g_autoptr(CpApiKey) key = NULL;
  g_autoptr(GError) error = NULL;
  char *secret = NULL;

  if (!gtk_widget_get_sensitive (self->create_button))
    return;

  key = cp_api_keys_create (self->ledger, name, (const char * const *) scopes, &secret, &error);
  if (key == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The key could not be created: %s"), error->message);

      gtk_label_set_text (self->error_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return;
    }

  gtk_label_set_text (self->secret_label, secret);
  cp_api_keys_secret_free (secret);

  gtk_stack_set_visible_child_name (self->stack, "secret");
  gtk_widget_set_visible (self->cancel_button, FALSE);
  gtk_widget_set_visible (self->create_button, FALSE);
  gtk_widget_set_visible (self->done_button, TRUE);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->done_button);
  gtk_widget_grab_focus (GTK_WIDGET (self->copy_button));
  g_signal_emit (self, signals[KEY_CREATED], 0);
}

static void
copy_clicked_cb (CpApiKeyDialog *self)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self));

  gdk_clipboard_set_text (clipboard, gtk_label_get_text (self->secret_label));
  gtk_button_set_label (self->copy_button, _("Copied"));
}

static void
close_clicked_cb (CpApiKeyDialog *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

static GtkWidget *
build_form (CpApiKeyDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  GtkWidget *group;
  const char * const *scopes = cp_api_keys_all_scopes ();

  group = adw_preferences_group_new ();
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Name it after the program that will use it, for example “Website stock widget”."));
  self->name_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  gtk_widget_set_name (GTK_WIDGET (self->name_row), "key-name");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->name_row), _("Name"));
  g_signal_connect_swapped (self->name_row, "changed", G_CALLBACK (update_create_sensitive), self);
  g_signal_connect_swapped (self->name_row, "entry-activated", G_CALLBACK (create_clicked_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->name_row));
  gtk_box_append (GTK_BOX (box), group);

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("What the Key May Do"));
  for (guint i = 0; scopes[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();
      g_autofree char *name = g_strconcat ("scope-", scopes[i], NULL);

      gtk_widget_set_name (check, name);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      g_object_set_data_full (G_OBJECT (check), "scope", g_strdup (scopes[i]), g_free);
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (update_create_sensitive), self);
      g_ptr_array_add (self->scope_checks, check);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), cp_api_scope_get_title (scopes[i]));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), cp_api_scope_get_consequence (scopes[i]));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
  gtk_box_append (GTK_BOX (box), group);

  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_label_set_xalign (self->error_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->error_label));

  return box;
}

static GtkWidget *
build_secret (CpApiKeyDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *title = gtk_label_new (_("Copy the Key Now"));
  GtkWidget *warning;
  GtkWidget *frame;

  gtk_widget_add_css_class (title, "title-2");
  gtk_box_append (GTK_BOX (box), title);

  warning = gtk_label_new (_("This is the only time the key is shown. Paste it into the program that "
                             "will use it. Counterpart keeps only a fingerprint of it: if it gets lost, "
                             "revoke it and create another."));
  gtk_label_set_wrap (GTK_LABEL (warning), TRUE);
  gtk_label_set_justify (GTK_LABEL (warning), GTK_JUSTIFY_CENTER);
  gtk_widget_set_name (warning, "secret-warning");
  gtk_box_append (GTK_BOX (box), warning);

  /* Selectable, so that it can be copied by hand too; broken anywhere,
   * since it has no spaces to wrap at. */
  self->secret_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (self->secret_label), "secret-label");
  gtk_label_set_selectable (self->secret_label, TRUE);
  gtk_label_set_wrap (self->secret_label, TRUE);
  gtk_label_set_wrap_mode (self->secret_label, PANGO_WRAP_CHAR);
  gtk_label_set_xalign (self->secret_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->secret_label), "monospace");
  /* A key reads left to right in any language. */
  gtk_widget_set_direction (GTK_WIDGET (self->secret_label), GTK_TEXT_DIR_LTR);
  gtk_widget_set_margin_top (GTK_WIDGET (self->secret_label), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->secret_label), 12);
  gtk_widget_set_margin_start (GTK_WIDGET (self->secret_label), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->secret_label), 12);
  frame = gtk_frame_new (NULL);
  gtk_widget_add_css_class (frame, "view");
  gtk_frame_set_child (GTK_FRAME (frame), GTK_WIDGET (self->secret_label));
  gtk_box_append (GTK_BOX (box), frame);

  self->copy_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Copy")));
  gtk_widget_set_name (GTK_WIDGET (self->copy_button), "copy-button");
  gtk_widget_set_halign (GTK_WIDGET (self->copy_button), GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (self->copy_button), "pill");
  g_signal_connect_swapped (self->copy_button, "clicked", G_CALLBACK (copy_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->copy_button));

  return box;
}

static GtkWidget *
clamped (GtkWidget *child)
{
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  gtk_widget_set_margin_top (child, 24);
  gtk_widget_set_margin_bottom (child, 24);
  gtk_widget_set_margin_start (child, 12);
  gtk_widget_set_margin_end (child, 12);
  adw_clamp_set_child (ADW_CLAMP (clamp), child);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_widget_set_vexpand (scrolled, TRUE);
  return scrolled;
}

static void
cp_api_key_dialog_init (CpApiKeyDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *title = adw_window_title_new (_("Create API Key"), NULL);

  self->scope_checks = g_ptr_array_new ();

  gtk_window_set_title (GTK_WINDOW (self), _("Create API Key"));
  gtk_window_set_default_size (GTK_WINDOW (self), 480, 580);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);

  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), title);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);

  self->cancel_button = gtk_button_new_with_mnemonic (_("_Cancel"));
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (close_clicked_cb), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), self->cancel_button);

  self->create_button = gtk_button_new_with_mnemonic (_("C_reate"));
  gtk_widget_set_name (self->create_button, "create-button");
  gtk_widget_add_css_class (self->create_button, "suggested-action");
  gtk_widget_set_sensitive (self->create_button, FALSE);
  g_signal_connect_swapped (self->create_button, "clicked", G_CALLBACK (create_clicked_cb), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->create_button);

  self->done_button = gtk_button_new_with_mnemonic (_("_Done"));
  gtk_widget_set_name (self->done_button, "done-button");
  gtk_widget_add_css_class (self->done_button, "suggested-action");
  gtk_widget_set_visible (self->done_button, FALSE);
  g_signal_connect_swapped (self->done_button, "clicked", G_CALLBACK (close_clicked_cb), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->done_button);

  gtk_box_append (GTK_BOX (box), header);

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_set_transition_type (self->stack, GTK_STACK_TRANSITION_TYPE_SLIDE_LEFT_RIGHT);
  gtk_stack_add_named (self->stack, clamped (build_form (self)), "form");
  gtk_stack_add_named (self->stack, clamped (build_secret (self)), "secret");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->stack));

  adw_window_set_content (ADW_WINDOW (self), box);
}

static void
cp_api_key_dialog_dispose (GObject *object)
{
  CpApiKeyDialog *self = CP_API_KEY_DIALOG (object);

  /* The secret goes with the window. */
  if (self->secret_label != NULL)
    gtk_label_set_text (self->secret_label, "");
  self->secret_label = NULL;
  g_clear_object (&self->ledger);
  g_clear_pointer (&self->scope_checks, g_ptr_array_unref);

  G_OBJECT_CLASS (cp_api_key_dialog_parent_class)->dispose (object);
}

static void
cp_api_key_dialog_class_init (CpApiKeyDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cp_api_key_dialog_dispose;

  signals[KEY_CREATED] =
    g_signal_new ("key-created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

GtkWidget *
cp_api_key_dialog_new (CpLedger *ledger)
{
  CpApiKeyDialog *self = g_object_new (CP_TYPE_API_KEY_DIALOG, NULL);

  if (ledger != NULL)
    self->ledger = g_object_ref (ledger);
  return GTK_WIDGET (self);
}
