/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CPU backend: the device, its memory and the op table.
 *
 * Storage is host memory aligned to 64 bytes (one cache line, one AVX-512
 * vector).  Freed blocks go to a free list per size class instead of back to
 * malloc: a training loop allocates the same tensor sizes every step, so in
 * steady state every alloc() is a list pop.  Classes are a quarter of a power
 * of two apart, which bounds the waste to 25%.  The cache holds at most a
 * quarter of physical memory (a long-lived process trains many models of
 * different sizes); past that, released blocks go back to malloc.
 */
#define G_LOG_DOMAIN "hs-cpu"

#include "hs-cpu-private.h"

#include <cblas.h>
#include <omp.h>
#include <stdlib.h>
#include <unistd.h>

/* Every block starts with this header, one cache line before the storage the
 * caller sees; free blocks are chained through it. */
typedef struct _HsCpuBlock HsCpuBlock;
struct _HsCpuBlock {
  HsCpuBlock *next; /* free-list link while cached */
  guint32 size_class;
  guint32 magic;
};

#define HS_CPU_BLOCK_MAGIC 0x48534350u /* "HSCP" */
#define HS_CPU_HEADER HS_CPU_ALIGN
#define HS_CPU_N_CLASSES 256
/* Blocks up to this size share the smallest class. */
#define HS_CPU_MIN_CLASS_SHIFT 8

G_STATIC_ASSERT (sizeof (HsCpuBlock) <= HS_CPU_HEADER);

struct _HsCpuPriv {
  GMutex lock; /* tensors may be freed from other threads */
  HsCpuBlock *free_lists[HS_CPU_N_CLASSES];
  gsize cached_bytes, cache_limit;
  int threads;

  gpointer scratch[HS_CPU_SCRATCH_N];
  gsize scratch_bytes[HS_CPU_SCRATCH_N];
};

static inline HsCpuPriv *
hs_cpu_priv (HsDevice *dev)
{
  return dev->priv;
}

/* Size class of a request: class 0 covers up to 256 bytes; above that each
 * power-of-two interval (2^p, 2^(p+1)] is cut into four classes. */
static guint
hs_cpu_size_class (gsize bytes)
{
  gsize s;
  guint p, sub;

  if (bytes <= ((gsize) 1 << HS_CPU_MIN_CLASS_SHIFT))
    return 0;
  s = bytes - 1;
  p = 63 - __builtin_clzll (s); /* s >= 256, so p >= 8 */
  sub = (s >> (p - 2)) & 3;
  return 1 + (p - HS_CPU_MIN_CLASS_SHIFT) * 4 + sub;
}

static gsize
hs_cpu_class_bytes (guint size_class)
{
  guint p, sub;

  if (size_class == 0)
    return (gsize) 1 << HS_CPU_MIN_CLASS_SHIFT;
  p = (size_class - 1) / 4 + HS_CPU_MIN_CLASS_SHIFT;
  sub = (size_class - 1) % 4;
  return ((gsize) 1 << p) + ((gsize) (sub + 1) << (p - 2));
}

static void
hs_cpu_flush_cache_locked (HsCpuPriv *priv)
{
  for (guint i = 0; i < HS_CPU_N_CLASSES; i++)
    {
      while (priv->free_lists[i] != NULL)
        {
          HsCpuBlock *block = priv->free_lists[i];
          priv->free_lists[i] = block->next;
          free (block);
        }
    }
  priv->cached_bytes = 0;
}

static gpointer
hs_cpu_alloc (HsDevice *dev, gsize bytes)
{
  HsCpuPriv *priv = hs_cpu_priv (dev);
  guint size_class;
  gsize class_bytes;
  HsCpuBlock *block;
  void *mem = NULL;

  if (bytes > G_MAXSIZE / 2)
    goto oom;
#ifdef HS_CPU_EXACT_ALLOC
  /* Debug builds for AddressSanitizer: exact sizes, nothing cached, so an
   * overrun of a tensor is caught. */
  if (posix_memalign (&mem, HS_CPU_ALIGN, HS_CPU_HEADER + bytes) != 0)
    goto oom;
  block = mem;
  block->size_class = G_MAXUINT32;
  block->magic = HS_CPU_BLOCK_MAGIC;
  return (char *) block + HS_CPU_HEADER;
#endif
  size_class = hs_cpu_size_class (bytes);
  g_assert (size_class < HS_CPU_N_CLASSES);
  class_bytes = hs_cpu_class_bytes (size_class);

  g_mutex_lock (&priv->lock);
  block = priv->free_lists[size_class];
  if (block != NULL)
    {
      priv->free_lists[size_class] = block->next;
      priv->cached_bytes -= class_bytes;
      g_mutex_unlock (&priv->lock);
      return (char *) block + HS_CPU_HEADER;
    }
  if (posix_memalign (&mem, HS_CPU_ALIGN, HS_CPU_HEADER + class_bytes) != 0)
    {
      /* Cached blocks of other sizes may be what stands in the way. */
      hs_cpu_flush_cache_locked (priv);
      if (posix_memalign (&mem, HS_CPU_ALIGN, HS_CPU_HEADER + class_bytes) != 0)
        mem = NULL;
    }
  g_mutex_unlock (&priv->lock);
  if (mem == NULL)
    goto oom;

  block = mem;
  block->next = NULL;
  block->size_class = size_class;
  block->magic = HS_CPU_BLOCK_MAGIC;
  return (char *) block + HS_CPU_HEADER;

oom:
  hs_device_fail (dev, HS_COMPUTE_ERROR_OUT_OF_MEMORY,
                  "Out of host memory allocating %" G_GSIZE_FORMAT " bytes", bytes);
  return NULL;
}

static void
hs_cpu_release (HsDevice *dev, gpointer storage)
{
  HsCpuPriv *priv = hs_cpu_priv (dev);
  HsCpuBlock *block;

  if (storage == NULL)
    return;
  block = (HsCpuBlock *) ((char *) storage - HS_CPU_HEADER);
  g_return_if_fail (block->magic == HS_CPU_BLOCK_MAGIC);
  if (block->size_class == G_MAXUINT32)
    {
      free (block);
      return;
    }

  g_mutex_lock (&priv->lock);
  if (priv->cached_bytes + hs_cpu_class_bytes (block->size_class) > priv->cache_limit)
    {
      g_mutex_unlock (&priv->lock);
      free (block);
      return;
    }
  block->next = priv->free_lists[block->size_class];
  priv->free_lists[block->size_class] = block;
  priv->cached_bytes += hs_cpu_class_bytes (block->size_class);
  g_mutex_unlock (&priv->lock);
}

gpointer
hs_cpu_scratch (HsDevice *dev, HsCpuScratch slot, gsize bytes)
{
  HsCpuPriv *priv = hs_cpu_priv (dev);
  void *mem = NULL;

#ifdef HS_CPU_EXACT_ALLOC
  if (priv->scratch_bytes[slot] == bytes && priv->scratch[slot] != NULL)
#else
  if (priv->scratch_bytes[slot] >= bytes && priv->scratch[slot] != NULL)
#endif
    return priv->scratch[slot];

  free (priv->scratch[slot]);
  priv->scratch[slot] = NULL;
  priv->scratch_bytes[slot] = 0;
#ifndef HS_CPU_EXACT_ALLOC
  /* Grow by at least half again so a slowly growing request settles. */
  bytes = MAX (bytes, priv->scratch_bytes[slot] + priv->scratch_bytes[slot] / 2);
  bytes = (bytes + HS_CPU_ALIGN - 1) & ~(gsize) (HS_CPU_ALIGN - 1);
#endif
  if (posix_memalign (&mem, HS_CPU_ALIGN, MAX (bytes, HS_CPU_ALIGN)) != 0)
    {
      hs_device_fail (dev, HS_COMPUTE_ERROR_OUT_OF_MEMORY,
                      "Out of host memory allocating %" G_GSIZE_FORMAT " bytes of scratch",
                      bytes);
      return NULL;
    }
  priv->scratch[slot] = mem;
  priv->scratch_bytes[slot] = bytes;
  return mem;
}

int
hs_cpu_threads (HsDevice *dev)
{
  return hs_cpu_priv (dev)->threads;
}

int
hs_cpu_threads_for (HsDevice *dev, gsize work)
{
  /* Starting a region costs a few microseconds: worth it from about 32K
   * cheap element operations. */
  if (work < 32768)
    return 1;
  return hs_cpu_priv (dev)->threads;
}

static gsize
hs_cpu_tensor_bytes (HsTensor *t)
{
  return t->numel * hs_dtype_size (t->dtype);
}

static void
hs_cpu_upload (HsDevice *dev, HsTensor *t, const void *src)
{
  if (hs_device_failed (dev))
    return;
  memcpy (t->buffer->storage, src, hs_cpu_tensor_bytes (t));
}

static void
hs_cpu_download (HsDevice *dev, HsTensor *t, void *dst)
{
  if (hs_device_failed (dev))
    return;
  memcpy (dst, t->buffer->storage, hs_cpu_tensor_bytes (t));
}

static void
hs_cpu_sync (HsDevice *dev)
{
  /* Kernels run synchronously on the calling thread. */
}

static void
hs_cpu_fill (HsDevice *dev, HsTensor *t, gfloat value)
{
  gsize n = t->numel;

  if (hs_device_failed (dev))
    return;
  switch (t->dtype)
    {
    case HS_DTYPE_F32:
      {
        float *p = hs_cpu_f32 (t);
        if (value == 0.f)
          {
            memset (p, 0, n * sizeof (float));
            break;
          }
#pragma omp parallel for simd num_threads (hs_cpu_threads_for (dev, n)) schedule (static)
        for (gsize i = 0; i < n; i++)
          p[i] = value;
      }
      break;
    case HS_DTYPE_I32:
      {
        /* Converted as C does (toward zero), clamped to the type's range:
         * out-of-range conversions are undefined in C. */
        gint32 *p = hs_cpu_i32 (t);
        gint32 v = isnan (value) ? 0 : (gint32) CLAMP ((double) value, (double) G_MININT32,
                                                         (double) G_MAXINT32);
        for (gsize i = 0; i < n; i++)
          p[i] = v;
      }
      break;
    case HS_DTYPE_U8:
      memset (t->buffer->storage, isnan (value) ? 0 : (guint8) CLAMP (value, 0.f, 255.f), n);
      break;
    }
}

static void
hs_cpu_copy (HsDevice *dev, HsTensor *dst, HsTensor *src)
{
  if (hs_device_failed (dev))
    return;
  if (dst->buffer->storage != src->buffer->storage)
    memcpy (dst->buffer->storage, src->buffer->storage, hs_cpu_tensor_bytes (dst));
}

static void
hs_cpu_destroy (HsDevice *dev)
{
  HsCpuPriv *priv = hs_cpu_priv (dev);

  if (priv != NULL)
    {
      hs_cpu_flush_cache_locked (priv);
      for (guint i = 0; i < HS_CPU_SCRATCH_N; i++)
        free (priv->scratch[i]);
      g_mutex_clear (&priv->lock);
      g_free (priv);
    }
  g_free (dev->name);
  g_clear_error (&dev->error);
  g_free (dev);
}

static const HsBackendOps hs_cpu_ops = {
  .name = "cpu",
  .alloc = hs_cpu_alloc,
  .release = hs_cpu_release,
  .upload = hs_cpu_upload,
  .download = hs_cpu_download,
  .sync = hs_cpu_sync,
  .fill = hs_cpu_fill,
  .copy = hs_cpu_copy,
  .destroy = hs_cpu_destroy,
  .cast_u8 = hs_cpu_cast_u8,
  .gemm = hs_cpu_gemm,
  .binary = hs_cpu_binary,
  .sum_to = hs_cpu_sum_to,
  .bias_act = hs_cpu_bias_act,
  .act_backward = hs_cpu_act_backward,
  .conv2d = hs_cpu_conv2d,
  .conv2d_backward_data = hs_cpu_conv2d_backward_data,
  .conv2d_backward_filter = hs_cpu_conv2d_backward_filter,
  .pool2d = hs_cpu_pool2d,
  .pool2d_backward = hs_cpu_pool2d_backward,
  .batchnorm = hs_cpu_batchnorm,
  .batchnorm_backward = hs_cpu_batchnorm_backward,
  .layernorm = hs_cpu_layernorm,
  .layernorm_backward = hs_cpu_layernorm_backward,
  .softmax = hs_cpu_softmax,
  .softmax_backward = hs_cpu_softmax_backward,
  .cross_entropy = hs_cpu_cross_entropy,
  .cross_entropy_backward = hs_cpu_cross_entropy_backward,
  .permute = hs_cpu_permute,
  .copy_block = hs_cpu_copy_block,
  .dropout = hs_cpu_dropout,
  .cosine = hs_cpu_cosine,
  .cosine_backward = hs_cpu_cosine_backward,
  .embedding = hs_cpu_embedding,
  .embedding_backward = hs_cpu_embedding_backward,
  .sgd_step = hs_cpu_sgd_step,
  .adam_step = hs_cpu_adam_step,
};

HsDevice *
hs_cpu_device_new (GError **error)
{
  HsDevice *dev;
  HsCpuPriv *priv;

  /* OpenBLAS runs single-threaded inside our OpenMP team (see
   * hs-cpu-private.h).  This is process-wide; the CPU backend is the only
   * BLAS user of the engine. */
  openblas_set_num_threads (1);

  priv = g_new0 (HsCpuPriv, 1);
  g_mutex_init (&priv->lock);
  priv->threads = MAX (1, omp_get_max_threads ());
  {
    long pages = sysconf (_SC_PHYS_PAGES), page = sysconf (_SC_PAGESIZE);
    priv->cache_limit = pages > 0 && page > 0 ? (gsize) pages * page / 4 : (gsize) 1 << 30;
  }

  dev = g_new0 (HsDevice, 1);
  dev->ref_count = 1;
  dev->ops = &hs_cpu_ops;
  dev->kind = HS_BACKEND_CPU;
  dev->name = g_strdup_printf ("CPU (OpenBLAS, %d thread%s)", priv->threads,
                               priv->threads == 1 ? "" : "s");
  dev->priv = priv;
  return dev;
}
