/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Internals shared by the Vulkan runtime's files: the device state behind
 * HsDevice.priv, sub-allocations, and the recording helpers.
 *
 *   hs-vulkan.c          instance, validation, enumeration, device, op table
 *   hs-vulkan-memory.c   block sub-allocator, upload/download, staging
 *   hs-vulkan-record.c   command buffer, hazard barriers, descriptors,
 *                        pipelines, submission
 *   hs-vulkan-memops.c   fill, copy, cast_u8
 *   hs-vulkan-gemm.c     GEMM (register-blocked or tiled, split-k)
 *   hs-vulkan-conv.c     conv2d forward and backward (im2col/col2im + GEMM)
 */
#pragma once

#include "hs-device.h"
#include "hs-tensor.h"
#include "hs-vulkan-private.h"

G_BEGIN_DECLS

typedef struct _HsVkBlock HsVkBlock;

/* A byte range of one VkBuffer, as the hazard tracker sees it. */
typedef struct {
  VkBuffer buffer;
  VkDeviceSize offset;
  VkDeviceSize size;
} HsVkRange;

/* A tensor's storage (HsBuffer.storage): a piece of a block. */
typedef struct {
  HsVkBlock *block;
  VkDeviceSize offset;
  VkDeviceSize size;  /* rounded up to the allocation alignment */
} HsVkAlloc;

struct _HsVkBlock {
  VkBuffer buffer;
  VkDeviceMemory memory;
  VkDeviceSize size;
  guint8 *mapped;      /* persistently mapped, or NULL: use staging */
  GArray *free;        /* HsVkRange (buffer unused), sorted by offset */
  VkDeviceSize used;
  gboolean dedicated;  /* made for one large request */
};

typedef struct {
  guint32 n_spec;
  guint32 spec[HS_VK_MAX_SPEC];
  VkPipeline pipeline;
} HsVkPipeline;

typedef enum {
  HS_VK_GEMM_REGISTER, /* gemm.comp: no shared memory (CPU devices) */
  HS_VK_GEMM_TILED,    /* gemm_tiled.comp: shared-memory tiles (GPUs) */
} HsVkGemmKind;

typedef struct {
  HsDevice *dev;  /* back pointer, not a reference */

  VkInstance instance;
  VkDebugUtilsMessengerEXT messenger;
  VkPhysicalDevice physical;
  VkPhysicalDeviceProperties props;
  VkPhysicalDeviceMemoryProperties mem_props;
  VkDeviceSize max_allocation;
  VkDevice device;
  VkQueue queue;
  guint32 queue_family;
  guint64 timeout_ns;
  gboolean lost;  /* device lost or a wait timed out: nothing works any more */

  /* Recording. */
  VkCommandPool cmd_pool;
  VkCommandBuffer cmd;
  VkFence fence;
  gboolean recording;
  guint n_commands;
  GArray *unsynced_read;     /* HsVkRange read since the last barrier */
  GArray *unsynced_written;  /* HsVkRange written since the last barrier */
  GArray *cmd_ranges;        /* HsVkRange used anywhere in the command buffer */

  /* Descriptors and pipelines. */
  VkDescriptorSetLayout set_layout;
  VkPipelineLayout pipeline_layout;
  guint32 push_constant_size;
  PFN_vkCmdPushDescriptorSetKHR push_descriptor_set; /* NULL: use pools */
  GPtrArray *desc_pools;     /* VkDescriptorPool, reset after each fence */
  guint desc_pool_current;
  guint desc_sets_left;
  VkShaderModule modules[HS_N_SHADERS];
  GArray *pipelines[HS_N_SHADERS];  /* HsVkPipeline */

  /* Memory. */
  GPtrArray *blocks;         /* HsVkBlock */
  VkDeviceSize block_size;
  VkDeviceSize alignment;
  guint32 mem_types[VK_MAX_MEMORY_TYPES]; /* in order of preference */
  guint n_mem_types;
  HsVkBlock *staging;        /* host-visible bounce buffer, made on demand */

  HsVkGemmKind gemm_kind;
} HsVkDevice;

/* An environment switch: set, non-empty and not "0". */
static inline gboolean
hs_vk_env_flag (const char *name)
{
  const char *v = g_getenv (name);
  return v != NULL && *v != '\0' && g_strcmp0 (v, "0") != 0;
}

static inline HsVkDevice *
hs_vk_get (HsDevice *dev)
{
  return dev->priv;
}

static inline HsVkAlloc *
hs_vk_tensor_alloc (HsTensor *t)
{
  return t->buffer->storage;
}

static inline gsize
hs_vk_tensor_bytes (HsTensor *t)
{
  return t->numel * hs_dtype_size (t->dtype);
}

/* hs-vulkan.c */
void     hs_vk_fail_result (HsDevice *dev, VkResult result, const char *what);

/* hs-vulkan-memory.c */
gboolean hs_vk_memory_init (HsVkDevice *vk, GError **error);
void     hs_vk_memory_cleanup (HsVkDevice *vk);
void     hs_vk_memory_reclaim (HsVkDevice *vk);
gpointer hs_vk_alloc (HsDevice *dev, gsize bytes);
void     hs_vk_release (HsDevice *dev, gpointer storage);
void     hs_vk_upload (HsDevice *dev, HsTensor *t, const void *src);
void     hs_vk_download (HsDevice *dev, HsTensor *t, void *dst);

/* hs-vulkan-record.c */
gboolean hs_vk_record_init (HsVkDevice *vk, gboolean use_push_descriptors, GError **error);
void     hs_vk_record_cleanup (HsVkDevice *vk);
gboolean hs_vk_usable (HsDevice *dev);
VkCommandBuffer hs_vk_begin (HsDevice *dev);
void     hs_vk_track (HsDevice *dev, const HsVkRange *ranges, guint n, guint32 write_mask);
void     hs_vk_command_recorded (HsDevice *dev);
gboolean hs_vk_ranges_pending (HsVkDevice *vk, const HsVkRange *range);
gboolean hs_vk_submit_wait (HsDevice *dev);
void     hs_vk_sync (HsDevice *dev);
HsVkRange hs_vk_tensor_range (HsTensor *t);

/* hs-vulkan-memops.c */
void     hs_vk_fill (HsDevice *dev, HsTensor *t, gfloat value);
void     hs_vk_copy (HsDevice *dev, HsTensor *dst, HsTensor *src);
void     hs_vk_cast_u8 (HsDevice *dev, HsTensor *out, HsTensor *in, gfloat scale, gfloat shift);

/* hs-vulkan-gemm.c */
typedef struct {
  gboolean ta, tb;
  guint32 m, n, k;
  guint32 lda, ldb, ldc;
  guint32 off_a, off_b, off_c;           /* floats from the binding start */
  guint32 stride_a, stride_b, stride_c;  /* floats between batches */
  guint32 batch;
  gfloat alpha, beta;
  HsTensor *bias;                        /* [n] added to every row, or NULL */
  HsAct act;
} HsVkGemmArgs;

void     hs_vk_gemm_record (HsDevice *dev, const HsVkGemmArgs *args,
                            HsTensor *a, HsTensor *b, HsTensor *c);
void     hs_vk_gemm (HsDevice *dev, const HsGemm *g, HsTensor *a, HsTensor *b, HsTensor *c);

/* hs-vulkan-conv.c */
void     hs_vk_conv2d (HsDevice *dev, const HsConvGeom *g, HsTensor *y, HsTensor *x,
                       HsTensor *w, HsTensor *bias, HsAct act);
void     hs_vk_conv2d_backward_data (HsDevice *dev, const HsConvGeom *g, HsTensor *dx,
                                     HsTensor *dy, HsTensor *w);
void     hs_vk_conv2d_backward_filter (HsDevice *dev, const HsConvGeom *g, HsTensor *dw,
                                       HsTensor *dy, HsTensor *x);

G_END_DECLS
