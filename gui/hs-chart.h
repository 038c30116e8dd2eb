/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HsChart: line series (x/y arrays) with axes, ticks, a legend and a hover
 * read-out, drawn with GtkSnapshot.  Series colours come from a palette
 * with a light and a dark variant (AdwStyleManager decides); axes and text
 * use the widget's CSS colour.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HS_TYPE_CHART (hs_chart_get_type ())
G_DECLARE_FINAL_TYPE (HsChart, hs_chart, HS, CHART, GtkWidget)

/* Fixed plot margins in pixels (left, right, top, bottom): the plot area
 * of a W×H chart is [LEFT, W − RIGHT] × [TOP, H − BOTTOM]. */
#define HS_CHART_MARGIN_LEFT   56
#define HS_CHART_MARGIN_RIGHT  16
#define HS_CHART_MARGIN_TOP    16
#define HS_CHART_MARGIN_BOTTOM 40

GtkWidget *hs_chart_new              (void);
void       hs_chart_set_axis_labels  (HsChart *self, const char *x_label, const char *y_label);
/* Fixed y range; min >= max goes back to automatic. */
void       hs_chart_set_y_range      (HsChart *self, double min, double max);
void       hs_chart_set_placeholder  (HsChart *self, const char *text);
void       hs_chart_clear            (HsChart *self);
/* Copies the points; NaN y values break the line.  Returns the series'
 * index, which picks its palette colour. */
guint      hs_chart_add_series       (HsChart *self, const char *label, const double *x,
                                      const double *y, guint n);
guint      hs_chart_get_n_series     (HsChart *self);
/* The colour series index is drawn in (light or dark palette). */
void       hs_chart_get_series_color (HsChart *self, guint index, GdkRGBA *color);
/* The hover read-out as it would be for a pointer at (x, y); NULL when no
 * point is near.  For tests and accessibility. */
char      *hs_chart_dup_readout_at   (HsChart *self, double x, double y);

G_END_DECLS
