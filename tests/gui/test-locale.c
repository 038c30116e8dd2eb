/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window in German (po/de.po, compiled into the build tree's po/ and
 * bound by hs_bind_textdomain, as main.c does): the catalogue is loaded (a
 * German string differs from its English msgid), and the window over the
 * test daemon shows it: the page titles of the view stack, a column title
 * set from C, and the title of a dialog built from a .ui template.  The
 * expected strings are looked up with dgettext, so the test follows the
 * catalogue rather than copying it.
 *
 * Needs the de_DE.UTF-8 locale (build-aux/setup generates it); without it
 * the test is skipped and says so.
 */
#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "hs-application.h"
#include "hs-results-page.h"
#include "hs-test-gui.h"

#define LOCALE "de_DE.UTF-8"

static const struct {
  const char *name;
  const char *title;
} pages[] = {
  { "queue", N_("Queue") },
  { "datasets", N_("Datasets") },
  { "spaces", N_("Spaces") },
  { "results", N_("Results") },
};

/* The catalogue itself: bound from the build tree, German, complete for
 * these strings. */
static void
test_locale_catalogue (void)
{
  const char *queue = dgettext (GETTEXT_PACKAGE, "Queue");

  g_assert_cmpstr (textdomain (NULL), ==, GETTEXT_PACKAGE);
  g_assert_nonnull (bindtextdomain (GETTEXT_PACKAGE, NULL));
  /* Not the msgid: the .mo was found and read. */
  g_assert_cmpstr (queue, !=, "Queue");
  /* A plural form and a format string come through too. */
  g_assert_cmpstr (dngettext (GETTEXT_PACKAGE, "%d configuration", "%d configurations", 2), !=,
                   "%d configurations");
  g_assert_nonnull (strstr (dngettext (GETTEXT_PACKAGE, "%d configuration", "%d configurations", 2),
                            "%d"));
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    g_assert_cmpstr (dgettext (GETTEXT_PACKAGE, pages[i].title), !=, pages[i].title);
}

/* The window shows the German strings: the view stack's page titles (from
 * C), the trials table's column titles (from C) and the start dialog's
 * title (from its .ui template). */
static void
test_locale_window (void)
{
  HsWindow *window = hs_test_gui_new_window ();
  AdwViewStack *stack = ADW_VIEW_STACK (hs_test_gui_find_widget (GTK_WIDGET (window),
                                                                 ADW_TYPE_VIEW_STACK, NULL));
  HsResultsPage *results;
  GtkColumnViewColumn *acc_column;
  GtkWindow *dialog;

  g_assert_nonnull (stack);
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      GtkWidget *child = hs_window_get_page (window, pages[i].name);
      AdwViewStackPage *page;

      g_assert_nonnull (child);
      page = adw_view_stack_get_page (stack, child);
      g_assert_nonnull (page);
      g_assert_cmpstr (adw_view_stack_page_get_title (page), ==,
                       dgettext (GETTEXT_PACKAGE, pages[i].title));
      g_assert_cmpstr (adw_view_stack_page_get_title (page), !=, pages[i].title);
    }

  results = HS_RESULTS_PAGE (hs_window_get_page (window, "results"));
  acc_column = g_list_model_get_item (gtk_column_view_get_columns (hs_results_page_get_trials_view (results)), 7);
  g_assert_cmpstr (gtk_column_view_column_get_title (acc_column), ==,
                   dgettext (GETTEXT_PACKAGE, "Val Acc"));
  g_assert_cmpstr (gtk_column_view_column_get_title (acc_column), !=, "Val Acc");
  g_object_unref (acc_column);

  dialog = hs_window_open_start_dialog (window);
  g_assert_cmpstr (gtk_window_get_title (dialog), ==, dgettext (GETTEXT_PACKAGE, "New Search"));
  g_assert_cmpstr (gtk_window_get_title (dialog), !=, "New Search");
  gtk_window_destroy (dialog);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
skip (gconstpointer reason)
{
  g_test_skip (reason);
}

int
main (int argc, char *argv[])
{
  static const char *const paths[] = { "/gui/locale/catalogue", "/gui/locale/window", NULL };

  /* As main.c does, but in German whatever the environment says.  GTK
   * must not reset the locale from $LANG when it starts.  LANGUAGE=de is
   * set too: it is what gettext reads first. */
  g_setenv ("LANGUAGE", "de", TRUE);
  if (setlocale (LC_ALL, LOCALE) == NULL)
    {
      g_test_init (&argc, &argv, NULL);
      for (guint i = 0; paths[i] != NULL; i++)
        g_test_add_data_func (paths[i], "the " LOCALE " locale is not installed "
                              "(build-aux/setup generates it)", skip);
      return g_test_run ();
    }
  gtk_disable_setlocale ();
  hs_bind_textdomain ();

  if (!hs_test_gui_init (&argc, &argv, paths))
    return g_test_run ();
  g_test_add_func (paths[0], test_locale_catalogue);
  g_test_add_func (paths[1], test_locale_window);
  return hs_test_gui_run ();
}
