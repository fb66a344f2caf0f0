/* cp-gui-test.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Helpers for tests that drive real windows under Xvfb: wait for the
 * main loop and for painted frames, read what is on screen, find widgets,
 * save screenshots.
 */

#define G_LOG_DOMAIN "cp-gui-test"

#include "config.h"

#include <glib/gstdio.h>

#include "cp-gui-test.h"

#define WAIT_TIMEOUT_US (20 * G_USEC_PER_SEC)

static char *screenshot_dir;
static char *screenshot_prefix;

void
cp_test_set_screenshots (const char *dir,
                         const char *prefix)
{
  g_free (screenshot_dir);
  g_free (screenshot_prefix);
  screenshot_dir = g_strdup (dir);
  screenshot_prefix = g_strdup (prefix);
}

char *
cp_test_strip_mnemonic (const char *label)
{
  char *text = g_strdup (label);
  char *underscore = strchr (text, '_');

  if (underscore != NULL)
    memmove (underscore, underscore + 1, strlen (underscore));
  return text;
}

/* Waiting on the main loop */

static gboolean
cp_test_timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
cp_test_wait_until (CpTestPredicate predicate,
                    gpointer        data)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (WAIT_TIMEOUT_US / 1000, cp_test_timeout_cb, &timed_out);

  while (!predicate (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);
  return !timed_out;
}

typedef struct
{
  GtkWidget *native;
  guint      painted;
} CpTestFrameWait;

static void
cp_test_after_paint_cb (GdkFrameClock *clock,
                        gpointer       user_data)
{
  CpTestFrameWait *wait = user_data;

  /* Ask for the next frame too: nothing else may be pending. */
  if (++wait->painted < 2)
    gtk_widget_queue_draw (wait->native);
}

static gboolean
cp_test_painted_twice (gpointer data)
{
  return ((CpTestFrameWait *) data)->painted >= 2;
}

/* Lets the toplevel of WIDGET lay out and paint (two frames, so idle
 * refreshes that queued a resize are on screen too). */
void
cp_test_wait_for_frames (GtkWidget *widget)
{
  GtkNative *native = gtk_widget_get_native (widget);
  GdkFrameClock *clock;
  CpTestFrameWait wait = { 0 };
  gulong handler;

  g_assert_nonnull (native);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (native)));
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (native));
  g_assert_nonnull (clock);

  wait.native = GTK_WIDGET (native);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (cp_test_after_paint_cb), &wait);
  gtk_widget_queue_draw (GTK_WIDGET (native));
  g_assert_true (cp_test_wait_until (cp_test_painted_twice, &wait));
  g_signal_handler_disconnect (clock, handler);
}

gboolean
cp_test_widget_is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

/* Reading the screen */

static void
cp_test_collect_text (GtkWidget *widget,
                      GString   *text)
{
  if (!gtk_widget_get_mapped (widget))
    return;

  if (GTK_IS_LABEL (widget))
    {
      g_string_append (text, gtk_label_get_text (GTK_LABEL (widget)));
      g_string_append_c (text, '\n');
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    cp_test_collect_text (child, text);
}

char *
cp_test_visible_text (GtkWidget *widget)
{
  GString *text = g_string_new (NULL);

  cp_test_collect_text (widget, text);
  return g_string_free (text, FALSE);
}

void
cp_test_assert_shows (GtkWidget  *widget,
                      const char *expected)
{
  g_autofree char *text = cp_test_visible_text (widget);

  if (strstr (text, expected) == NULL)
    g_error ("Expected “%s” on screen; the visible text is:\n%s", expected, text);
}

GtkWidget *
cp_test_find_widget_with_class (GtkWidget  *widget,
                                const char *css_class)
{
  if (gtk_widget_has_css_class (widget, css_class))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = cp_test_find_widget_with_class (child, css_class);

      if (found != NULL)
        return found;
    }

  return NULL;
}

GtkWidget *
cp_test_find_widget_by_name (GtkWidget  *widget,
                             const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = cp_test_find_widget_by_name (child, name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

GtkWidget *
cp_test_find_widget_of_type (GtkWidget *widget,
                             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = cp_test_find_widget_of_type (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

gboolean
cp_test_label_has_text (gpointer data)
{
  CpTestLabelWait *wait = data;

  return g_strcmp0 (gtk_label_get_text (GTK_LABEL (wait->label)), wait->text) == 0;
}

/* Screenshots */

void
cp_test_save_screenshot (GtkWidget  *toplevel,
                         const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *path = NULL;
  GskRenderer *renderer;
  graphene_rect_t bounds;
  int width, height;

  cp_test_wait_for_frames (toplevel);
  width = gtk_widget_get_width (toplevel);
  height = gtk_widget_get_height (toplevel);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  paintable = gtk_widget_paintable_new (toplevel);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (GTK_NATIVE (toplevel));
  g_assert_nonnull (renderer);
  graphene_rect_init (&bounds, 0, 0, width, height);
  texture = gsk_renderer_render_texture (renderer, node, &bounds);
  g_assert_nonnull (texture);

  g_assert_cmpint (g_mkdir_with_parents (screenshot_dir, 0755), ==, 0);
  file_name = g_strdup_printf ("%s-%s.png", screenshot_prefix, name);
  path = g_build_filename (screenshot_dir, file_name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Saved %s", path);
}

/* No wrapped label draws outside its allocation or the window (in
 * Arabic, lines run off the left edge when GTK measures them wrong). */
static void
assert_text_fits_in (GtkWidget *widget,
                     GtkWidget *toplevel)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_LABEL (widget) && gtk_label_get_wrap (GTK_LABEL (widget)) &&
      gtk_label_get_ellipsize (GTK_LABEL (widget)) == PANGO_ELLIPSIZE_NONE)
    {
      PangoRectangle ink, logical;
      graphene_rect_t bounds;
      int width = gtk_widget_get_width (widget);

      pango_layout_get_pixel_extents (gtk_label_get_layout (GTK_LABEL (widget)), &ink, &logical);
      g_assert_true (gtk_widget_compute_bounds (widget, toplevel, &bounds));
      if (logical.width > width + 1 || bounds.origin.x < 0 ||
          bounds.origin.x + bounds.size.width > gtk_widget_get_width (toplevel) + 1)
        g_error ("“%s” is %d px wide in a label of %d px at x %.0f, in a window of %d px",
                 gtk_label_get_text (GTK_LABEL (widget)), logical.width, width,
                 bounds.origin.x, gtk_widget_get_width (toplevel));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    assert_text_fits_in (child, toplevel);
}

void
cp_test_assert_text_fits (GtkWidget *toplevel)
{
  cp_test_wait_for_frames (toplevel);
  assert_text_fits_in (toplevel, toplevel);
}

void
cp_test_rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        cp_test_rm_rf (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

GtkWidget *
cp_test_find_toplevel_of_type (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (toplevel, type) && gtk_widget_get_visible (toplevel))
        return toplevel;
    }
  return NULL;
}

static gboolean
cp_test_toplevel_shown (gpointer data)
{
  GtkWidget *toplevel = cp_test_find_toplevel_of_type (GPOINTER_TO_SIZE (data));

  return toplevel != NULL && gtk_widget_get_mapped (toplevel);
}

GtkWidget *
cp_test_wait_for_toplevel (GType type)
{
  g_assert_true (cp_test_wait_until (cp_test_toplevel_shown, GSIZE_TO_POINTER (type)));
  return cp_test_find_toplevel_of_type (type);
}
