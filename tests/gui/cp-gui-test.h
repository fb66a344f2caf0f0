/* cp-gui-test.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef gboolean (*CpTestPredicate) (gpointer data);

typedef struct
{
  GtkWidget  *label;
  const char *text;
} CpTestLabelWait;

/* Iterates the main context until PREDICATE holds; FALSE after 20 s. */
gboolean   cp_test_wait_until            (CpTestPredicate  predicate,
                                          gpointer         data);
/* Lets the toplevel of WIDGET lay out and paint two frames. */
void       cp_test_wait_for_frames       (GtkWidget       *widget);
/* Predicates */
gboolean   cp_test_widget_is_mapped      (gpointer         widget);
gboolean   cp_test_label_has_text        (gpointer         label_wait);

/* The text of every mapped GtkLabel under WIDGET, one per line. */
char      *cp_test_visible_text          (GtkWidget       *widget);
/* Fails the test, printing what is on screen, unless EXPECTED is. */
void       cp_test_assert_shows          (GtkWidget       *widget,
                                          const char      *expected);
/* "_Quit" → "Quit", for labels shown with use-underline. */
char      *cp_test_strip_mnemonic        (const char      *label);

GtkWidget *cp_test_find_widget_with_class (GtkWidget      *widget,
                                           const char     *css_class);
GtkWidget *cp_test_find_widget_by_name   (GtkWidget       *widget,
                                          const char      *name);
GtkWidget *cp_test_find_widget_of_type   (GtkWidget       *widget,
                                          GType            type);
/* A visible toplevel (dialog, window) of TYPE, or NULL. */
GtkWidget *cp_test_find_toplevel_of_type (GType            type);
GtkWidget *cp_test_wait_for_toplevel     (GType            type);

/* Screenshots go to DIR/PREFIX-NAME.png. */
void       cp_test_set_screenshots       (const char      *dir,
                                          const char      *prefix);
void       cp_test_save_screenshot       (GtkWidget       *toplevel,
                                          const char      *name);

/* Aborts when a wrapped label on TOPLEVEL draws outside its own
 * allocation or the window, naming it. */
void       cp_test_assert_text_fits      (GtkWidget       *toplevel);

/* Removes a temporary directory tree. */
void       cp_test_rm_rf                 (const char      *path);

G_END_DECLS
