/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One op × shape test case, checked three ways:
 *
 *  1. forward: the engine's output against the double reference,
 *     |got - want| <= (1e-4 + 1e-3 |want|) * tol_scale;
 *  2. backward: with a fixed random R of the output's shape, the engine's
 *     gradients of loss = sum(out * R) (hs_tape_backward) against the
 *     reference backward with dout = R, same tolerance;
 *  3. finite differences: central differences of sum(ref(x) * R) in double
 *     (ε = 1e-3; ε = 1e-5 with kink detection for piecewise ops) against the
 *     reference backward (1e-4 + 1e-3 |fd|: this checks the test itself) and
 *     the engine's gradients ((1e-3 + 1e-2 |fd|) * tol_scale).
 */
#pragma once

#include "hs-test-reference.h"
#include "hs-test-util.h"

G_BEGIN_DECLS

typedef enum {
  HT_GEN_NORMAL,    /* N(0, scale²) */
  HT_GEN_AWAY,      /* ±U(0.1, 1) · scale: away from ReLU's kink */
  HT_GEN_DISTINCT,  /* distinct values ≥ 0.01 · scale apart: no max-pool ties */
  HT_GEN_POSITIVE,  /* U(0.5, 1.5) · scale */
  HT_GEN_INDEX,     /* integers in [0, range) */
} HtGen;

typedef struct {
  HsDType dtype;      /* F32 (the default) or I32 */
  guint ndim;
  gint64 shape[4];
  gboolean grad;      /* a leaf that requires grad */
  HtGen gen;
  double scale;       /* 0 means 1 */
  gint range;         /* HT_GEN_INDEX */
} HtArg;

/* Op parameters; each op reads the ones it needs. */
typedef struct {
  gboolean ta, tb;
  gint stride, pad, kernel, axis, heads;
  HsAct act;
  HsPoolType pool;
  gboolean training;
  RefBinary binop;
  double alpha, beta, eps, momentum;
  gint perm[4];
  gint64 start, len;
  guint ndim;          /* reshape */
  gint64 shape[4];
} HtParams;

typedef struct _HtCase HtCase;

struct _HtCase {
  const char *path;
  guint n_in;
  HtArg in[6];
  HtParams p;
  /* The output's shape (the reference's own shape rule). */
  void      (*shape)   (const HtCase *c, guint *ndim, gint64 *shape);
  HsTensor *(*engine)  (const HtCase *c, HsTensor **in, GError **error);
  void      (*ref)     (const HtCase *c, double **in, double *out);
  /* Adds d(sum(out * dout))/d(in[i]) into din[i] (NULL for inputs without
   * grad).  NULL: the op is checked forward only. */
  void      (*ref_bwd) (const HtCase *c, double **in, const double *dout, double **din);
  /* Optional: adjust the generated inputs. */
  void      (*init)    (const HtCase *c, GRand *rand, double **in);
  gboolean kinks;      /* piecewise (ReLU, max): finite differences skip kinks */
  double tol_scale;    /* 0 means 1 */
};

/* Shorthands for HtCase inputs: f32 leaves with and without grad. */
#define HT_IN(nd, ...)    { .ndim = (nd), .shape = { __VA_ARGS__ }, .grad = TRUE }
#define HT_CONST(nd, ...) { .ndim = (nd), .shape = { __VA_ARGS__ } }
#define HT_IN_GEN(g, nd, ...) \
  { .ndim = (nd), .shape = { __VA_ARGS__ }, .grad = TRUE, .gen = (g) }
#define HT_IN_SCALED(s, nd, ...) \
  { .ndim = (nd), .shape = { __VA_ARGS__ }, .grad = TRUE, .scale = (s) }
#define HT_INDEX(range_, nd, ...) \
  { .dtype = HS_DTYPE_I32, .ndim = (nd), .shape = { __VA_ARGS__ }, .gen = HT_GEN_INDEX, \
    .range = (range_) }

void ht_case_add (const HtCase *c);
void ht_case_add_all (const HtCase *cases, guint n);

/* A case's input i as 4-D right-aligned shape, and sizes. */
void  ht_arg_shape4 (const HtArg *a, gint64 s[4]);
gsize ht_arg_numel (const HtArg *a);
/* Product of dims [from, to) of input i. */
gsize ht_arg_dims (const HtArg *a, guint from, guint to);

G_END_DECLS
