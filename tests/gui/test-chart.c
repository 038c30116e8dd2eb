/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HsChart draws a known series where hs-chart.h's margins put it, in the
 * light palette and the dark one.  Needs a display (Xvfb under meson);
 * without one every test is skipped.
 */
#include <adwaita.h>
#include <math.h>

#include "hs-chart.h"

typedef struct {
  guchar *data;
  gsize stride;
  int width, height;
} Pixels;

static void
iterate (void)
{
  for (int i = 0; i < 50; i++)
    while (g_main_context_iteration (NULL, FALSE))
      ;
}

static Pixels
render (GtkWidget *chart)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  Pixels p;

  p.width = gtk_widget_get_width (chart);
  p.height = gtk_widget_get_height (chart);
  /* The widget's own drawing, now (not the last frame's). */
  GTK_WIDGET_GET_CLASS (chart)->snapshot (chart, snapshot);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (chart)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, p.width, p.height));
  p.stride = 4 * p.width;
  p.data = g_malloc (p.stride * p.height);
  gdk_texture_download (texture, p.data, p.stride);   /* cairo ARGB32: B G R A in memory */
  return p;
}

static gboolean
pixel_is (const Pixels *p, int x, int y, const GdkRGBA *c)
{
  const guchar *px = p->data + y * p->stride + 4 * x;

  return px[3] == 255 && abs (px[2] - (int) round (c->red * 255)) <= 12 &&
         abs (px[1] - (int) round (c->green * 255)) <= 12 &&
         abs (px[0] - (int) round (c->blue * 255)) <= 12;
}

/* Some pixel of the column x within a pixel of y has colour c. */
static gboolean
line_at (const Pixels *p, int x, double y, const GdkRGBA *c)
{
  for (int r = (int) floor (y) - 1; r <= (int) floor (y) + 1; r++)
    if (r >= 0 && r < p->height && pixel_is (p, x, r, c))
      return TRUE;
  return FALSE;
}

static void
test_chart_pixels (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *chart = hs_chart_new ();
  const double x[] = { 0, 10 }, half[] = { 0.5, 0.5 }, quarter[] = { 0.25, 0.25 };
  AdwStyleManager *style = adw_style_manager_get_default ();
  GdkRGBA blue, red, expected;
  Pixels p;
  int w, h, mid;
  double top, bottom, y_half, y_quarter;
  g_autofree char *readout = NULL;

  hs_chart_set_y_range (HS_CHART (chart), 0, 1);
  hs_chart_set_axis_labels (HS_CHART (chart), "epochs", "accuracy");
  g_assert_cmpuint (hs_chart_add_series (HS_CHART (chart), "half", x, half, 2), ==, 0);
  g_assert_cmpuint (hs_chart_add_series (HS_CHART (chart), "quarter", x, quarter, 2), ==, 1);
  gtk_window_set_default_size (GTK_WINDOW (window), 400, 300);
  gtk_window_set_child (GTK_WINDOW (window), chart);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  gtk_window_present (GTK_WINDOW (window));
  for (int i = 0; i < 200 && gtk_widget_get_width (chart) == 0; i++)
    {
      iterate ();
      g_usleep (10000);
    }
  w = gtk_widget_get_width (chart);
  h = gtk_widget_get_height (chart);
  g_assert_cmpint (w, >, HS_CHART_MARGIN_LEFT + HS_CHART_MARGIN_RIGHT + 20);
  g_assert_cmpint (h, >, HS_CHART_MARGIN_TOP + HS_CHART_MARGIN_BOTTOM + 40);
  mid = (HS_CHART_MARGIN_LEFT + w - HS_CHART_MARGIN_RIGHT) / 2;
  top = HS_CHART_MARGIN_TOP;
  bottom = h - HS_CHART_MARGIN_BOTTOM;
  y_half = bottom - 0.5 * (bottom - top);
  y_quarter = bottom - 0.25 * (bottom - top);

  /* Light: GNOME blue 3 and red 3. */
  gdk_rgba_parse (&blue, "#3584e4");
  gdk_rgba_parse (&red, "#e01b24");
  hs_chart_get_series_color (HS_CHART (chart), 0, &expected);
  g_assert_true (gdk_rgba_equal (&expected, &blue));
  p = render (chart);
  g_assert_true (line_at (&p, mid, y_half, &blue));
  g_assert_true (line_at (&p, mid, y_quarter, &red));
  /* No series between them, and nothing painted there (transparent). */
  g_assert_false (line_at (&p, mid, (y_half + y_quarter) / 2, &blue));
  g_assert_cmpint (p.data[(int) ((y_half + y_quarter) / 2) * p.stride + 4 * mid + 3], ==, 0);
  /* The left axis is drawn in the foreground colour: opaque-ish pixels. */
  g_assert_cmpint (p.data[(int) y_half * p.stride + 4 * HS_CHART_MARGIN_LEFT + 3], >, 64);
  g_free (p.data);

  /* Hover read-out near the first series. */
  readout = hs_chart_dup_readout_at (HS_CHART (chart), HS_CHART_MARGIN_LEFT, y_half);
  g_assert_nonnull (readout);
  g_assert_nonnull (strstr (readout, "half"));
  g_assert_nonnull (strstr (readout, "0.5"));
  g_assert_null (hs_chart_dup_readout_at (HS_CHART (chart), mid, (y_half + y_quarter) / 2));

  /* Dark: the lighter blue 2. */
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  iterate ();
  gdk_rgba_parse (&blue, "#62a0ea");
  p = render (chart);
  g_assert_true (line_at (&p, mid, y_half, &blue));
  g_free (p.data);

  /* Cleared: the line is gone. */
  hs_chart_clear (HS_CHART (chart));
  iterate ();
  p = render (chart);
  g_assert_false (line_at (&p, mid, y_half, &blue));
  g_free (p.data);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
skip_no_display (void)
{
  g_test_skip ("no display (run under xvfb-run)");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    {
      g_test_add_func ("/gui/chart/pixels", skip_no_display);
      return g_test_run ();
    }
  adw_init ();
  g_test_add_func ("/gui/chart/pixels", test_chart_pixels);
  return g_test_run ();
}
