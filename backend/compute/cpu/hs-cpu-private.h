/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Internals shared by the CPU backend's source files.
 *
 * Threading model: every parallel loop of this backend runs on the OpenMP
 * team, and OpenBLAS is pinned to one thread (openblas_set_num_threads (1) in
 * hs_cpu_device_new()).  Large GEMMs are split across the team by us, each
 * thread calling the single-threaded sgemm on its slice.  Two thread pools
 * that both spin-wait after their work (libgomp's workers and OpenBLAS's
 * pthreads) fight over the cores: on a 2-core machine alternating an OpenMP
 * loop with an OpenBLAS-threaded GEMM ran 3x slower than either alone.  One
 * pool also lets a thread im2col a chunk into its own L2-sized buffer and
 * multiply it right away.
 */
#pragma once

#include "hs-backend-private.h"
#include "hs-device.h"

#include <math.h>
#include <string.h>

G_BEGIN_DECLS

/* Scratch slots: buffers kept in the device and grown on demand, so a
 * training loop allocates nothing in steady state.  A kernel may use several
 * slots at once.  Kernels run on the calling thread and its team, one at a
 * time: a device must not run kernels from two threads at once (alloc and
 * release may be called from any thread). */
typedef enum {
  HS_CPU_SCRATCH_COL,     /* im2col chunks; transposed weights and tables */
  HS_CPU_SCRATCH_PARTIAL, /* per-thread partial reductions and buffers */
  HS_CPU_SCRATCH_GEMM,    /* hs_cpu_sgemm()'s split-k partial products */
  HS_CPU_SCRATCH_N
} HsCpuScratch;

#define HS_CPU_ALIGN 64

typedef struct _HsCpuPriv HsCpuPriv;

/* Number of OpenMP threads the backend uses. */
int    hs_cpu_threads (HsDevice *dev);
/* Threads worth using for `work` cheap elementwise operations: 1 below the
 * size where a parallel region's start-up costs more than it saves. */
int    hs_cpu_threads_for (HsDevice *dev, gsize work);
/* A 64-byte aligned scratch buffer of at least `bytes`, valid until the next
 * call for the same slot.  NULL (and the device failed) when out of memory. */
gpointer hs_cpu_scratch (HsDevice *dev, HsCpuScratch slot, gsize bytes);

/* Round a per-thread region up so that regions stay 64-byte aligned. */
static inline gsize
hs_cpu_round_floats (gsize n)
{
  return (n + 15) & ~(gsize) 15;
}

static inline float *
hs_cpu_f32 (HsTensor *t)
{
  return (float *) t->buffer->storage;
}

static inline gint32 *
hs_cpu_i32 (HsTensor *t)
{
  return (gint32 *) t->buffer->storage;
}

/* SIMD vectors through GCC's vector extensions: hand-blocked kernels keep
 * their accumulators in registers, whatever the build's cost model. */
#if defined(__AVX512F__)
#define HS_CPU_VEC 16
#define HS_CPU_VEC_REGS 32
#elif defined(__AVX2__) && defined(__FMA__)
#define HS_CPU_VEC 8
#define HS_CPU_VEC_REGS 16
#endif

#define HS_ALWAYS_INLINE inline __attribute__ ((always_inline))

#ifdef HS_CPU_VEC
typedef float HsVec __attribute__ ((vector_size (HS_CPU_VEC * sizeof (float))));
typedef gint32 HsIVec __attribute__ ((vector_size (HS_CPU_VEC * sizeof (gint32))));

static HS_ALWAYS_INLINE HsVec
hs_vload (const float *p)
{
  HsVec v;
  memcpy (&v, p, sizeof v);
  return v;
}

static HS_ALWAYS_INLINE void
hs_vstore (float *p, HsVec v)
{
  memcpy (p, &v, sizeof v);
}

/* v where mask (a comparison result) is set, else 0. */
static HS_ALWAYS_INLINE HsVec
hs_vselect (HsIVec mask, HsVec v)
{
  return (HsVec) (mask & (HsIVec) v);
}
#endif

/* GELU, tanh approximation: the formula of shaders/hs-common.glsl. */
#define HS_GELU_K 0.7978845608028654f
#define HS_GELU_C 0.044715f

static inline float
hs_cpu_gelu (float x)
{
  float u = HS_GELU_K * (x + HS_GELU_C * x * x * x);
  return 0.5f * x * (1.0f + tanhf (u));
}

static inline float
hs_cpu_gelu_grad (float x)
{
  float u = HS_GELU_K * (x + HS_GELU_C * x * x * x);
  float t = tanhf (u);
  return 0.5f * (1.0f + t) + 0.5f * x * (1.0f - t * t) * HS_GELU_K * (1.0f + 3.0f * HS_GELU_C * x * x);
}

/* out[r, :] = act (in[r, :] + bias) for rows [0, rows); bias may be NULL.
 * out may equal in.  Used by bias_act and as the conv epilogue. */
void hs_cpu_bias_act_rows (float *out, const float *in, const float *bias, gsize rows,
                           gsize cols, HsAct act);

/* C = alpha op(A) op(B) + beta C for one row-major matrix, split across the
 * OpenMP team when it is large enough (see hs-cpu-gemm.c). */
void hs_cpu_sgemm (HsDevice *dev, gboolean ta, gboolean tb, gint m, gint n, gint k,
                   float alpha, const float *a, const float *b, float beta, float *c);

/* The op table entries, by file. */

/* hs-cpu-gemm.c */
void hs_cpu_gemm (HsDevice *dev, const HsGemm *g, HsTensor *a, HsTensor *b, HsTensor *c);

/* hs-cpu-conv.c */
void hs_cpu_conv2d (HsDevice *dev, const HsConvGeom *g, HsTensor *y, HsTensor *x,
                    HsTensor *w, HsTensor *bias, HsAct act);
void hs_cpu_conv2d_backward_data (HsDevice *dev, const HsConvGeom *g, HsTensor *dx,
                                  HsTensor *dy, HsTensor *w);
void hs_cpu_conv2d_backward_filter (HsDevice *dev, const HsConvGeom *g, HsTensor *dw,
                                    HsTensor *dy, HsTensor *x);

/* hs-cpu-conv-simd.c: implicit-GEMM kernels, run on nt threads */
typedef enum {
  HS_CPU_CONV_FORWARD,
  HS_CPU_CONV_BACKWARD_DATA,
  HS_CPU_CONV_BACKWARD_FILTER,
} HsCpuConvPass;

gboolean hs_cpu_conv_simd_supported (const HsConvGeom *g, HsCpuConvPass pass);
void hs_cpu_conv2d_simd (HsDevice *dev, const HsConvGeom *g, float *y, const float *x,
                         const float *w, const float *bias, HsAct act, gint nt);
void hs_cpu_conv2d_backward_data_simd (HsDevice *dev, const HsConvGeom *g, float *dx,
                                       const float *dy, const float *w, gint nt);
void hs_cpu_conv2d_backward_filter_simd (HsDevice *dev, const HsConvGeom *g, float *dw,
                                         const float *dy, const float *x, gint nt);

/* hs-cpu-pool.c */
void hs_cpu_pool2d (HsDevice *dev, const HsConvGeom *g, HsPoolType type, HsTensor *y,
                    HsTensor *x);
void hs_cpu_pool2d_backward (HsDevice *dev, const HsConvGeom *g, HsPoolType type,
                             HsTensor *dx, HsTensor *dy, HsTensor *x);

/* hs-cpu-elementwise.c */
void hs_cpu_cast_u8 (HsDevice *dev, HsTensor *out, HsTensor *in, gfloat scale, gfloat shift);
void hs_cpu_binary (HsDevice *dev, HsBinaryOp op, gfloat alpha, gfloat beta, HsTensor *out,
                    HsTensor *a, HsTensor *b);
void hs_cpu_bias_act (HsDevice *dev, HsTensor *out, HsTensor *x, HsTensor *bias, HsAct act);
void hs_cpu_act_backward (HsDevice *dev, HsTensor *dx, HsTensor *dy, HsTensor *ref, HsAct act);
void hs_cpu_dropout (HsDevice *dev, HsTensor *y, HsTensor *x, gfloat p, guint32 seed);

/* hs-cpu-reduce.c */
void hs_cpu_sum_to (HsDevice *dev, HsTensor *out, HsTensor *in, gfloat scale);

/* hs-cpu-layout.c */
void hs_cpu_permute (HsDevice *dev, HsTensor *out, HsTensor *in, const gint perm[4]);
void hs_cpu_copy_block (HsDevice *dev, HsTensor *dst, HsTensor *src, gsize outer, gsize inner,
                        gsize src_axis, gsize src_start, gsize dst_axis, gsize dst_start,
                        gsize len);
void hs_cpu_embedding (HsDevice *dev, HsTensor *out, HsTensor *table, HsTensor *idx);
void hs_cpu_embedding_backward (HsDevice *dev, HsTensor *dtable, HsTensor *dout,
                                HsTensor *idx);

/* hs-cpu-norm.c */
void hs_cpu_batchnorm (HsDevice *dev, HsTensor *y, HsTensor *x, HsTensor *gamma,
                       HsTensor *beta, HsTensor *running_mean, HsTensor *running_var,
                       HsTensor *save_mean, HsTensor *save_invstd, gfloat momentum,
                       gfloat eps, gboolean training, HsAct act);
void hs_cpu_batchnorm_backward (HsDevice *dev, HsTensor *dx, HsTensor *dgamma,
                                HsTensor *dbeta, HsTensor *dy, HsTensor *x, HsTensor *y,
                                HsTensor *gamma, HsTensor *save_mean,
                                HsTensor *save_invstd, gboolean training, HsAct act);
void hs_cpu_layernorm (HsDevice *dev, HsTensor *y, HsTensor *x, HsTensor *gamma,
                       HsTensor *beta, HsTensor *save_mean, HsTensor *save_invstd,
                       gfloat eps);
void hs_cpu_layernorm_backward (HsDevice *dev, HsTensor *dx, HsTensor *dgamma,
                                HsTensor *dbeta, HsTensor *dy, HsTensor *x,
                                HsTensor *gamma, HsTensor *save_mean,
                                HsTensor *save_invstd);

/* hs-cpu-nn.c */
void hs_cpu_softmax (HsDevice *dev, HsTensor *y, HsTensor *x);
void hs_cpu_softmax_backward (HsDevice *dev, HsTensor *dx, HsTensor *dy, HsTensor *y);
void hs_cpu_cross_entropy (HsDevice *dev, HsTensor *loss, HsTensor *probs, HsTensor *logits,
                           HsTensor *labels);
void hs_cpu_cross_entropy_backward (HsDevice *dev, HsTensor *dlogits, HsTensor *probs,
                                    HsTensor *labels, HsTensor *dloss);
void hs_cpu_cosine (HsDevice *dev, HsTensor *out, HsTensor *a, HsTensor *b, gfloat eps);
void hs_cpu_cosine_backward (HsDevice *dev, HsTensor *da, HsTensor *db, HsTensor *dout,
                             HsTensor *a, HsTensor *b, gfloat eps);

/* hs-cpu-optim.c */
void hs_cpu_sgd_step (HsDevice *dev, HsTensor *param, HsTensor *grad, HsTensor *buf,
                      HsTensor *hp);
void hs_cpu_adam_step (HsDevice *dev, HsTensor *param, HsTensor *grad, HsTensor *m,
                       HsTensor *v, HsTensor *hp);

G_END_DECLS
