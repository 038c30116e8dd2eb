/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Types shared by the whole compute engine: tensors, devices, op geometry.
 * Images are laid out NHWC (channels last) everywhere: convolution becomes one
 * large GEMM over the whole batch, and per-channel work (bias, batch norm)
 * walks contiguous rows.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HS_MAX_DIMS 4

typedef struct _HsTensor HsTensor;
typedef struct _HsDevice HsDevice;
typedef struct _HsTape HsTape;

typedef enum {
  HS_DTYPE_F32,
  HS_DTYPE_U8,
  HS_DTYPE_I32, /* class labels and embedding indices */
} HsDType;

typedef enum {
  HS_BACKEND_CPU,
  HS_BACKEND_VULKAN,
} HsBackendKind;

typedef enum {
  HS_ACT_NONE,
  HS_ACT_RELU,
  HS_ACT_GELU, /* tanh approximation, identical on every backend */
} HsAct;

typedef enum {
  HS_BINARY_ADD, /* out = alpha * a + beta * b */
  HS_BINARY_MUL, /* out = alpha * a * b */
} HsBinaryOp;

typedef enum {
  HS_POOL_MAX,
  HS_POOL_AVG, /* divisor is kh * kw: padding counts as zeros */
} HsPoolType;

/* C[b] = alpha * op(A[b]) * op(B[b]) + beta * C[b], row-major, contiguous.
 * op(A) is m×k: A is stored m×k, or k×m when ta.  op(B) is k×n: B is stored
 * k×n, or n×k when tb.  Batch b starts at b * stride_* elements (a stride of 0
 * broadcasts that operand over the batch). */
typedef struct {
  gboolean ta, tb;
  gint m, n, k;
  gfloat alpha, beta;
  gint batch;
  gsize stride_a, stride_b, stride_c;
} HsGemm;

/* Convolution and pooling geometry, NHWC.  x is [n, h, w, c]; the output is
 * [n, oh, ow, oc] (oc = c for pooling).  Convolution weights are
 * [oc, kh, kw, c]. */
typedef struct {
  gint n, h, w, c;
  gint oc, kh, kw;
  gint sh, sw, ph, pw;
  gint oh, ow;
} HsConvGeom;

G_END_DECLS
