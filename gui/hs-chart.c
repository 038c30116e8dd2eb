/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HsChart: see hs-chart.h.  Curves and text are drawn with cairo through
 * cairo (GTK 4.8 has no GskPath) into a texture that is kept until the data,
 * labels, size or colours change; the hover read-out is drawn over it.
 */
#define G_LOG_DOMAIN "hs-chart"

#include <adwaita.h>
#include <math.h>

#include "hs-chart.h"

typedef struct {
  char *label;
  GArray *x;   /* double */
  GArray *y;   /* double */
} Series;

struct _HsChart
{
  GtkWidget parent_instance;

  GPtrArray *series;
  char *x_label;
  char *y_label;
  char *placeholder;
  double y_min, y_max;     /* fixed when y_min < y_max */
  double pointer_x, pointer_y;
  gboolean pointer_in;
  /* The plot drawn last, and what it was drawn for. */
  GdkTexture *plot;
  int plot_width, plot_height, plot_scale;
  GdkRGBA plot_fg;
};

G_DEFINE_FINAL_TYPE (HsChart, hs_chart, GTK_TYPE_WIDGET)

/* A legend while there are at most this many series (beyond, the hover
 * read-out names them). */
#define LEGEND_ROWS 12

/* GNOME's palette: the "3" shades on light, the lighter "2" shades on dark,
 * so that lines keep their contrast against either background. */
static const char *palette_light[] = {
  "#3584e4", "#e01b24", "#2ec27e", "#ff7800", "#9141ac", "#986a44", "#f6d32d", "#1c71d8",
};
static const char *palette_dark[] = {
  "#62a0ea", "#f66151", "#57e389", "#ffa348", "#c061cb", "#cdab8f", "#f8e45c", "#99c1f1",
};

static void
series_free (gpointer data)
{
  Series *s = data;

  g_free (s->label);
  g_array_unref (s->x);
  g_array_unref (s->y);
  g_free (s);
}

static gboolean
is_dark (void)
{
  return adw_style_manager_get_dark (adw_style_manager_get_default ());
}

void
hs_chart_get_series_color (HsChart *self, guint index, GdkRGBA *color)
{
  const char **palette = is_dark () ? palette_dark : palette_light;

  gdk_rgba_parse (color, palette[index % G_N_ELEMENTS (palette_light)]);
}

typedef struct {
  double x0, x1, y0, y1;          /* data ranges */
  double left, right, top, bottom; /* plot area in pixels */
} Frame;

static void
data_range (HsChart *self, Frame *f)
{
  gboolean any = FALSE;

  f->x0 = f->y0 = INFINITY;
  f->x1 = f->y1 = -INFINITY;
  for (guint i = 0; i < self->series->len; i++)
    {
      Series *s = g_ptr_array_index (self->series, i);

      for (guint j = 0; j < s->x->len; j++)
        {
          double x = g_array_index (s->x, double, j), y = g_array_index (s->y, double, j);

          if (!isfinite (x) || !isfinite (y))
            continue;
          any = TRUE;
          f->x0 = MIN (f->x0, x);
          f->x1 = MAX (f->x1, x);
          f->y0 = MIN (f->y0, y);
          f->y1 = MAX (f->y1, y);
        }
    }
  if (!any)
    {
      f->x0 = 0, f->x1 = 1, f->y0 = 0, f->y1 = 1;
    }
  if (self->y_min < self->y_max)
    {
      f->y0 = self->y_min;
      f->y1 = self->y_max;
    }
  if (f->x1 - f->x0 < 1e-12)
    f->x0 -= 0.5, f->x1 += 0.5;
  if (f->y1 - f->y0 < 1e-12)
    f->y0 -= 0.5, f->y1 += 0.5;
}

static void
frame_for (HsChart *self, double width, double height, Frame *f)
{
  data_range (self, f);
  f->left = HS_CHART_MARGIN_LEFT;
  f->right = MAX (f->left + 1, width - HS_CHART_MARGIN_RIGHT);
  f->top = HS_CHART_MARGIN_TOP;
  f->bottom = MAX (f->top + 1, height - HS_CHART_MARGIN_BOTTOM);
}

static double
px (const Frame *f, double x)
{
  return f->left + (x - f->x0) / (f->x1 - f->x0) * (f->right - f->left);
}

static double
py (const Frame *f, double y)
{
  return f->bottom - (y - f->y0) / (f->y1 - f->y0) * (f->bottom - f->top);
}

/* A step of 1, 2 or 5 × 10^k giving about 5 ticks. */
static double
nice_step (double range)
{
  double raw = range / 5, mag = pow (10, floor (log10 (raw))), r = raw / mag;

  return (r < 1.5 ? 1 : r < 3.5 ? 2 : r < 7.5 ? 5 : 10) * mag;
}

static void
draw_text (cairo_t *cr, GtkWidget *widget, const char *text, double x, double y,
           double xalign, double yalign)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, round (x - xalign * w), round (y - yalign * h));
  pango_cairo_show_layout (cr, layout);
}

static void
format_value (char *buf, gsize len, double v, double step)
{
  /* A tick at -1e-17 is 0, not "-0.0". */
  if (fabs (v) < step * 1e-6)
    v = 0;
  if (step >= 1)
    g_snprintf (buf, len, "%.0f", v);
  else
    g_snprintf (buf, len, "%.*f", (int) ceil (-log10 (step)), v);
}

/* The nearest point (by x, then y) to the pointer in pixels, within 24 px. */
static gboolean
nearest_point (HsChart *self, const Frame *f, double x, double y, guint *si, guint *pi)
{
  double best = 24 * 24;
  gboolean found = FALSE;

  for (guint i = 0; i < self->series->len; i++)
    {
      Series *s = g_ptr_array_index (self->series, i);

      for (guint j = 0; j < s->x->len; j++)
        {
          double dx = px (f, g_array_index (s->x, double, j)) - x;
          double dy = py (f, g_array_index (s->y, double, j)) - y;
          double d = dx * dx + dy * dy;

          if (isfinite (d) && d < best)
            {
              best = d, *si = i, *pi = j, found = TRUE;
            }
        }
    }
  return found;
}

static char *
readout (HsChart *self, const Frame *f, double x, double y)
{
  guint si, pi;
  Series *s;

  if (!nearest_point (self, f, x, y, &si, &pi))
    return NULL;
  s = g_ptr_array_index (self->series, si);
  return g_strdup_printf ("%s: %s %g, %s %.4g", s->label ? s->label : "",
                          self->x_label ? self->x_label : "x", g_array_index (s->x, double, pi),
                          self->y_label ? self->y_label : "y", g_array_index (s->y, double, pi));
}

char *
hs_chart_dup_readout_at (HsChart *self, double x, double y)
{
  Frame f;

  g_return_val_if_fail (HS_IS_CHART (self), NULL);
  frame_for (self, gtk_widget_get_width (GTK_WIDGET (self)),
             gtk_widget_get_height (GTK_WIDGET (self)), &f);
  return readout (self, &f, x, y);
}

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
static void
get_fg (GtkWidget *widget, GdkRGBA *fg)
{
  /* gtk_widget_get_color is 4.10; on 4.8 the style context has it. */
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), fg);
}
G_GNUC_END_IGNORE_DEPRECATIONS

/* Everything but the hover read-out. */
static void
draw_plot (HsChart *self, cairo_t *cr, double width, double height, GdkRGBA fg)
{
  GtkWidget *widget = GTK_WIDGET (self);
  Frame f;
  double step;

  frame_for (self, width, height, &f);
  /* Grid, ticks and tick labels. */
  cairo_set_line_width (cr, 1);
  step = nice_step (f.y1 - f.y0);
  for (double v = ceil (f.y0 / step - 1e-9) * step; v <= f.y1 + step * 1e-9; v += step)
    {
      char buf[32];
      double y = round (py (&f, v)) + 0.5;

      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.12);
      cairo_move_to (cr, f.left, y);
      cairo_line_to (cr, f.right, y);
      cairo_stroke (cr);
      format_value (buf, sizeof buf, v, step);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.7);
      draw_text (cr, widget, buf, f.left - 6, y, 1, 0.5);
    }
  step = nice_step (f.x1 - f.x0);
  for (double v = ceil (f.x0 / step - 1e-9) * step; v <= f.x1 + step * 1e-9; v += step)
    {
      char buf[32];
      double x = round (px (&f, v)) + 0.5;

      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.7);
      cairo_move_to (cr, x, f.bottom);
      cairo_line_to (cr, x, f.bottom + 4);
      cairo_stroke (cr);
      format_value (buf, sizeof buf, v, step);
      draw_text (cr, widget, buf, x, f.bottom + 5, 0.5, 0);
    }

  /* Axes and their titles. */
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.7);
  cairo_move_to (cr, f.left + 0.5, f.top);
  cairo_line_to (cr, f.left + 0.5, f.bottom + 0.5);
  cairo_line_to (cr, f.right, f.bottom + 0.5);
  cairo_stroke (cr);
  if (self->x_label != NULL)
    draw_text (cr, widget, self->x_label, (f.left + f.right) / 2, height - 2, 0.5, 1);
  if (self->y_label != NULL)
    {
      cairo_save (cr);
      cairo_translate (cr, 2, (f.top + f.bottom) / 2);
      cairo_rotate (cr, -G_PI / 2);
      draw_text (cr, widget, self->y_label, 0, 0, 0.5, 0);
      cairo_restore (cr);
    }

  if (self->series->len == 0 && self->placeholder != NULL)
    {
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.55);
      draw_text (cr, widget, self->placeholder, (f.left + f.right) / 2, (f.top + f.bottom) / 2,
                 0.5, 0.5);
    }

  /* The series, clipped to the plot area. */
  cairo_save (cr);
  cairo_rectangle (cr, f.left, f.top - 2, f.right - f.left + 2, f.bottom - f.top + 4);
  cairo_clip (cr);
  cairo_set_line_width (cr, 2);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint i = 0; i < self->series->len; i++)
    {
      Series *s = g_ptr_array_index (self->series, i);
      gboolean pen_down = FALSE;
      GdkRGBA color;

      hs_chart_get_series_color (self, i, &color);
      gdk_cairo_set_source_rgba (cr, &color);
      for (guint j = 0; j < s->x->len; j++)
        {
          double x = g_array_index (s->x, double, j), y = g_array_index (s->y, double, j);

          if (!isfinite (x) || !isfinite (y))
            {
              pen_down = FALSE;
              continue;
            }
          if (pen_down)
            cairo_line_to (cr, px (&f, x), py (&f, y));
          else
            cairo_move_to (cr, px (&f, x), py (&f, y));
          pen_down = TRUE;
        }
      cairo_stroke (cr);
      /* Lone points would not show as a line: dots for short series. */
      if (s->x->len <= 2)
        for (guint j = 0; j < s->x->len; j++)
          {
            cairo_arc (cr, px (&f, g_array_index (s->x, double, j)),
                       py (&f, g_array_index (s->y, double, j)), 3, 0, 2 * G_PI);
            cairo_fill (cr);
          }
    }
  cairo_restore (cr);

  /* Legend, top right inside the plot. */
  if (self->series->len > 0 && self->series->len <= LEGEND_ROWS)
    {
      double y = f.top + 4, row = 18;
      int max_w = 0;

      for (guint i = 0; i < self->series->len && i < LEGEND_ROWS; i++)
        {
          Series *s = g_ptr_array_index (self->series, i);
          g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, s->label);
          int w, h;

          pango_layout_get_pixel_size (layout, &w, &h);
          max_w = MAX (max_w, w);
        }
      for (guint i = 0; i < self->series->len && i < LEGEND_ROWS; i++, y += row)
        {
          Series *s = g_ptr_array_index (self->series, i);
          double x = f.right - 8 - max_w - 22;
          GdkRGBA color;

          hs_chart_get_series_color (self, i, &color);
          gdk_cairo_set_source_rgba (cr, &color);
          cairo_rectangle (cr, x, y + row / 2 - 2, 14, 4);
          cairo_fill (cr);
          cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha);
          draw_text (cr, widget, s->label ? s->label : "", x + 20, y + row / 2, 0, 0.5);
        }
    }

}

/* The hover read-out: a guide at the nearest point, and its values. */
static void
draw_hover (HsChart *self, cairo_t *cr, double width, double height, GdkRGBA fg)
{
  GtkWidget *widget = GTK_WIDGET (self);
  Frame f;

  frame_for (self, width, height, &f);
    {
      guint si, pi;

      if (nearest_point (self, &f, self->pointer_x, self->pointer_y, &si, &pi))
        {
          Series *s = g_ptr_array_index (self->series, si);
          double x = px (&f, g_array_index (s->x, double, pi));
          double y = py (&f, g_array_index (s->y, double, pi));
          g_autofree char *text = readout (self, &f, self->pointer_x, self->pointer_y);
          g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
          GdkRGBA color;
          int w, h;
          double bx, by;

          hs_chart_get_series_color (self, si, &color);
          cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.3);
          cairo_move_to (cr, round (x) + 0.5, f.top);
          cairo_line_to (cr, round (x) + 0.5, f.bottom);
          cairo_stroke (cr);
          gdk_cairo_set_source_rgba (cr, &color);
          cairo_arc (cr, x, y, 4.5, 0, 2 * G_PI);
          cairo_fill (cr);
          pango_layout_get_pixel_size (layout, &w, &h);
          bx = CLAMP (x + 8, f.left, width - w - 8);
          by = CLAMP (y - h - 10, 0, height - h - 4);
          cairo_set_source_rgba (cr, 1 - fg.red, 1 - fg.green, 1 - fg.blue, 0.9);
          cairo_rectangle (cr, bx - 4, by - 2, w + 8, h + 4);
          cairo_fill (cr);
          cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha);
          cairo_move_to (cr, bx, by);
          pango_cairo_show_layout (cr, layout);
        }
    }
}

/* The plot as a texture, drawn again only after a change (data, labels,
 * size, colours): with hundreds of curves, replaying them on every pointer
 * motion took a whole frame. */
static GdkTexture *
plot_texture (HsChart *self, int width, int height, GdkRGBA fg)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  cairo_surface_t *surface;
  cairo_t *cr;
  g_autoptr(GBytes) bytes = NULL;

  if (self->plot != NULL && self->plot_width == width && self->plot_height == height &&
      self->plot_scale == scale && gdk_rgba_equal (&self->plot_fg, &fg))
    return self->plot;
  g_clear_object (&self->plot);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width * scale, height * scale);
  cairo_surface_set_device_scale (surface, scale, scale);
  cr = cairo_create (surface);
  draw_plot (self, cr, width, height, fg);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  bytes = g_bytes_new (cairo_image_surface_get_data (surface),
                       (gsize) cairo_image_surface_get_stride (surface) * height * scale);
  /* cairo's ARGB32 is premultiplied BGRA in memory on little-endian
   * machines, ARGB on big-endian: GDK_MEMORY_DEFAULT is the same. */
  self->plot = gdk_memory_texture_new (width * scale, height * scale, GDK_MEMORY_DEFAULT, bytes,
                                       cairo_image_surface_get_stride (surface));
  cairo_surface_destroy (surface);
  self->plot_width = width;
  self->plot_height = height;
  self->plot_scale = scale;
  self->plot_fg = fg;
  return self->plot;
}

static void
invalidate (HsChart *self)
{
  g_clear_object (&self->plot);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
hs_chart_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  HsChart *self = HS_CHART (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  GdkRGBA fg;

  if (width <= 0 || height <= 0)
    return;
  get_fg (widget, &fg);
  gtk_snapshot_append_texture (snapshot, plot_texture (self, width, height, fg),
                               &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (self->pointer_in)
    {
      cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

      draw_hover (self, cr, width, height, fg);
      cairo_destroy (cr);
    }
}

static void
motion_cb (GtkEventControllerMotion *controller, double x, double y, HsChart *self)
{
  self->pointer_in = TRUE;
  self->pointer_x = x;
  self->pointer_y = y;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
leave_cb (GtkEventControllerMotion *controller, HsChart *self)
{
  self->pointer_in = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
dark_changed_cb (AdwStyleManager *manager, GParamSpec *pspec, HsChart *self)
{
  invalidate (self);
}

static void
hs_chart_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                  int *minimum, int *natural, int *minimum_baseline, int *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 160 : 120;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 480 : 260;
}

static void
hs_chart_dispose (GObject *object)
{
  HsChart *self = HS_CHART (object);

  g_signal_handlers_disconnect_by_data (adw_style_manager_get_default (), self);
  g_clear_object (&self->plot);
  G_OBJECT_CLASS (hs_chart_parent_class)->dispose (object);
}

static void
hs_chart_finalize (GObject *object)
{
  HsChart *self = HS_CHART (object);

  g_ptr_array_unref (self->series);
  g_free (self->x_label);
  g_free (self->y_label);
  g_free (self->placeholder);
  G_OBJECT_CLASS (hs_chart_parent_class)->finalize (object);
}

static void
hs_chart_class_init (HsChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hs_chart_dispose;
  object_class->finalize = hs_chart_finalize;
  widget_class->snapshot = hs_chart_snapshot;
  widget_class->measure = hs_chart_measure;
  gtk_widget_class_set_css_name (widget_class, "chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
hs_chart_init (HsChart *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->series = g_ptr_array_new_with_free_func (series_free);
  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (motion, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  g_signal_connect (adw_style_manager_get_default (), "notify::dark",
                    G_CALLBACK (dark_changed_cb), self);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
}

GtkWidget *
hs_chart_new (void)
{
  return g_object_new (HS_TYPE_CHART, NULL);
}

void
hs_chart_set_axis_labels (HsChart *self, const char *x_label, const char *y_label)
{
  g_return_if_fail (HS_IS_CHART (self));
  g_free (self->x_label);
  g_free (self->y_label);
  self->x_label = g_strdup (x_label);
  self->y_label = g_strdup (y_label);
  invalidate (self);
}

void
hs_chart_set_y_range (HsChart *self, double min, double max)
{
  g_return_if_fail (HS_IS_CHART (self));
  self->y_min = min;
  self->y_max = max;
  invalidate (self);
}

void
hs_chart_set_placeholder (HsChart *self, const char *text)
{
  g_return_if_fail (HS_IS_CHART (self));
  g_free (self->placeholder);
  self->placeholder = g_strdup (text);
  invalidate (self);
}

void
hs_chart_clear (HsChart *self)
{
  g_return_if_fail (HS_IS_CHART (self));
  g_ptr_array_set_size (self->series, 0);
  invalidate (self);
}

guint
hs_chart_add_series (HsChart *self, const char *label, const double *x, const double *y, guint n)
{
  Series *s;

  g_return_val_if_fail (HS_IS_CHART (self), 0);
  g_return_val_if_fail (n == 0 || (x != NULL && y != NULL), 0);
  s = g_new0 (Series, 1);
  s->label = g_strdup (label);
  s->x = g_array_sized_new (FALSE, FALSE, sizeof (double), n);
  s->y = g_array_sized_new (FALSE, FALSE, sizeof (double), n);
  g_array_append_vals (s->x, x, n);
  g_array_append_vals (s->y, y, n);
  g_ptr_array_add (self->series, s);
  invalidate (self);
  return self->series->len - 1;
}

guint
hs_chart_get_n_series (HsChart *self)
{
  g_return_val_if_fail (HS_IS_CHART (self), 0);
  return self->series->len;
}
