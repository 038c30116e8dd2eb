/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Device memory: tensors are sub-allocated from a few large VkBuffers
 * ("blocks"), first fit from a sorted free list per block, coalescing on
 * release.  A request larger than a block gets a block of its own.
 *
 * Blocks prefer memory that is both device-local and host-visible when it
 * lives in the largest device-local heap and reads back at CPU speed
 * (lavapipe, integrated GPUs): those are mapped once and uploads/downloads
 * are memcpy.  Otherwise (a discrete GPU, where such memory is a small BAR
 * window or uncached write-combined memory that the CPU reads slowly)
 * blocks are plain device-local and data goes through a cached host-visible
 * staging buffer and vkCmdCopyBuffer.
 *
 * Storage may be released while recorded commands still use it: the range
 * goes back to the free list at once, and the hazard tracker in
 * hs-vulkan-record.c orders any reuse within the same command buffer after
 * those commands.  Whole blocks are only destroyed after a fence.
 */
#define G_LOG_DOMAIN "hs-vulkan"

#include "hs-vulkan-runtime.h"

#define HS_VK_BLOCK_SIZE   ((VkDeviceSize) 64 << 20)
#define HS_VK_STAGING_SIZE ((VkDeviceSize) 16 << 20)

static VkDeviceSize
round_up (VkDeviceSize v, VkDeviceSize align)
{
  return (v + align - 1) / align * align;
}

/* Whether tensors in memory of these properties are mapped and copied with
 * memcpy rather than staged (see the top of the file). */
static gboolean
tensor_mappable (HsVkDevice *vk, VkMemoryPropertyFlags f)
{
  const VkMemoryPropertyFlags mapped = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT |
                                       VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;

  if ((f & mapped) != mapped || hs_vk_env_flag ("HS_VULKAN_NO_MAPPED"))
    return FALSE;
  return vk->props.deviceType != VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU ||
         (f & VK_MEMORY_PROPERTY_HOST_CACHED_BIT) ||
         !(f & VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT);
}

gboolean
hs_vk_memory_init (HsVkDevice *vk, GError **error)
{
  const VkPhysicalDeviceMemoryProperties *mp = &vk->mem_props;
  const VkMemoryPropertyFlags mapped = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT |
                                       VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
  guint32 big_heap = 0;
  VkDeviceSize big_size = 0;

  vk->blocks = g_ptr_array_new ();
  vk->alignment = MAX (vk->props.limits.minStorageBufferOffsetAlignment, 16);
  vk->block_size = MIN (HS_VK_BLOCK_SIZE, vk->props.limits.maxStorageBufferRange);
  vk->block_size = MIN (vk->block_size, vk->max_allocation);
  vk->block_size = vk->block_size / vk->alignment * vk->alignment;

  for (guint32 h = 0; h < mp->memoryHeapCount; h++)
    if ((mp->memoryHeaps[h].flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT) &&
        mp->memoryHeaps[h].size > big_size)
      {
        big_heap = h;
        big_size = mp->memoryHeaps[h].size;
      }

  /* Preference order: mappable device memory in the main heap; device
   * memory in the main heap; other device memory; host memory. */
  vk->n_mem_types = 0;
  for (guint pass = 0; pass < 4; pass++)
    for (guint32 i = 0; i < mp->memoryTypeCount; i++)
      {
        VkMemoryPropertyFlags f = mp->memoryTypes[i].propertyFlags;
        gboolean local = (f & VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT) != 0;
        gboolean main_heap = mp->memoryTypes[i].heapIndex == big_heap;
        gboolean take;

        if (f & (VK_MEMORY_PROPERTY_PROTECTED_BIT | VK_MEMORY_PROPERTY_LAZILY_ALLOCATED_BIT))
          continue;
        switch (pass)
          {
          case 0: take = local && main_heap && tensor_mappable (vk, f); break;
          case 1: take = local && main_heap; break;
          case 2: take = local; break;
          default: take = (f & mapped) == mapped; break;
          }
        if (!take)
          continue;
        gboolean seen = FALSE;
        for (guint j = 0; j < vk->n_mem_types; j++)
          seen |= vk->mem_types[j] == i;
        if (!seen)
          vk->mem_types[vk->n_mem_types++] = i;
      }

  if (vk->n_mem_types == 0)
    {
      g_set_error (error, HS_COMPUTE_ERROR, HS_COMPUTE_ERROR_NO_DEVICE,
                   "The Vulkan device %s has no usable memory type", vk->props.deviceName);
      return FALSE;
    }
  return TRUE;
}

static void
block_free (HsVkDevice *vk, HsVkBlock *block)
{
  if (block->mapped != NULL)
    vkUnmapMemory (vk->device, block->memory);
  vkDestroyBuffer (vk->device, block->buffer, NULL);
  vkFreeMemory (vk->device, block->memory, NULL);
  g_array_unref (block->free);
  g_free (block);
}

void
hs_vk_memory_cleanup (HsVkDevice *vk)
{
  if (vk->blocks != NULL)
    {
      for (guint i = 0; i < vk->blocks->len; i++)
        block_free (vk, g_ptr_array_index (vk->blocks, i));
      g_ptr_array_free (vk->blocks, TRUE);
      vk->blocks = NULL;
    }
  if (vk->staging != NULL)
    {
      block_free (vk, vk->staging);
      vk->staging = NULL;
    }
}

/* A new block of `size` bytes from the first memory type in `types` that
 * the buffer accepts and that has room; a staging block is always mapped.
 * *result says why when NULL. */
static HsVkBlock *
block_new (HsVkDevice *vk, VkDeviceSize size, const guint32 *types, guint n_types,
           gboolean staging, VkResult *result)
{
  VkBufferCreateInfo buffer_info = {
    .sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO,
    .size = size,
    .usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT |
             VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT,
    .sharingMode = VK_SHARING_MODE_EXCLUSIVE,
  };
  VkBuffer buffer;
  VkMemoryRequirements req;
  VkResult r;

  r = vkCreateBuffer (vk->device, &buffer_info, NULL, &buffer);
  if (r != VK_SUCCESS)
    {
      *result = r;
      return NULL;
    }
  vkGetBufferMemoryRequirements (vk->device, buffer, &req);

  r = VK_ERROR_OUT_OF_DEVICE_MEMORY;
  for (guint i = 0; i < n_types; i++)
    {
      guint32 type = types[i];
      VkMemoryPropertyFlags f = vk->mem_props.memoryTypes[type].propertyFlags;
      VkDeviceMemory memory;

      if (!(req.memoryTypeBits & (1u << type)))
        continue;
      VkMemoryAllocateInfo alloc_info = {
        .sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
        .allocationSize = req.size,
        .memoryTypeIndex = type,
      };
      r = vkAllocateMemory (vk->device, &alloc_info, NULL, &memory);
      if (r == VK_ERROR_OUT_OF_DEVICE_MEMORY || r == VK_ERROR_OUT_OF_HOST_MEMORY)
        continue; /* that heap is full: try the next type */
      if (r != VK_SUCCESS)
        break;
      r = vkBindBufferMemory (vk->device, buffer, memory, 0);
      if (r != VK_SUCCESS)
        {
          vkFreeMemory (vk->device, memory, NULL);
          break;
        }

      HsVkBlock *block = g_new0 (HsVkBlock, 1);
      block->buffer = buffer;
      block->memory = memory;
      block->size = size;
      block->free = g_array_new (FALSE, FALSE, sizeof (HsVkRange));
      HsVkRange all = { VK_NULL_HANDLE, 0, size };
      g_array_append_val (block->free, all);

      if (staging || tensor_mappable (vk, f))
        {
          void *ptr;
          r = vkMapMemory (vk->device, memory, 0, VK_WHOLE_SIZE, 0, &ptr);
          if (r != VK_SUCCESS)
            {
              block_free (vk, block); /* also destroys the buffer */
              *result = r;
              return NULL;
            }
          block->mapped = ptr;
        }
      *result = VK_SUCCESS;
      return block;
    }
  vkDestroyBuffer (vk->device, buffer, NULL);
  *result = r;
  return NULL;
}

static gboolean
block_take (HsVkBlock *block, VkDeviceSize size, VkDeviceSize *offset)
{
  for (guint i = 0; i < block->free->len; i++)
    {
      HsVkRange *f = &g_array_index (block->free, HsVkRange, i);
      if (f->size < size)
        continue;
      *offset = f->offset;
      f->offset += size;
      f->size -= size;
      if (f->size == 0)
        g_array_remove_index (block->free, i);
      block->used += size;
      return TRUE;
    }
  return FALSE;
}

static void
block_give (HsVkBlock *block, VkDeviceSize offset, VkDeviceSize size)
{
  GArray *list = block->free;
  guint i = 0;

  while (i < list->len && g_array_index (list, HsVkRange, i).offset < offset)
    i++;
  HsVkRange r = { VK_NULL_HANDLE, offset, size };
  g_array_insert_val (list, i, r);

  /* Coalesce with the following range, then with the preceding one. */
  if (i + 1 < list->len)
    {
      HsVkRange *cur = &g_array_index (list, HsVkRange, i);
      HsVkRange *next = &g_array_index (list, HsVkRange, i + 1);
      if (cur->offset + cur->size == next->offset)
        {
          cur->size += next->size;
          g_array_remove_index (list, i + 1);
        }
    }
  if (i > 0)
    {
      HsVkRange *prev = &g_array_index (list, HsVkRange, i - 1);
      HsVkRange *cur = &g_array_index (list, HsVkRange, i);
      if (prev->offset + prev->size == cur->offset)
        {
          prev->size += cur->size;
          g_array_remove_index (list, i);
        }
    }
  block->used -= size;
}

gpointer
hs_vk_alloc (HsDevice *dev, gsize bytes)
{
  HsVkDevice *vk = hs_vk_get (dev);
  VkDeviceSize size = round_up (MAX (bytes, 1), vk->alignment);
  VkDeviceSize offset = 0;
  HsVkBlock *block = NULL;
  VkResult r;

  if (vk->lost)
    {
      hs_vk_usable (dev); /* records the loss again */
      return NULL;
    }

  for (guint i = 0; i < vk->blocks->len && block == NULL; i++)
    {
      HsVkBlock *b = g_ptr_array_index (vk->blocks, i);
      if (!b->dedicated && block_take (b, size, &offset))
        block = b;
    }

  if (block == NULL)
    {
      gboolean dedicated = size > vk->block_size;

      if (size > vk->max_allocation)
        {
          hs_device_fail (dev, HS_COMPUTE_ERROR_OUT_OF_MEMORY,
                          "%" G_GSIZE_FORMAT " bytes exceed the largest allocation the Vulkan "
                          "device allows (%" G_GUINT64_FORMAT " bytes)",
                          bytes, (guint64) vk->max_allocation);
          return NULL;
        }
      block = block_new (vk, dedicated ? size : vk->block_size, vk->mem_types, vk->n_mem_types,
                         FALSE, &r);
      if (block == NULL && !dedicated)
        {
          /* No room for a whole block: try one of just this size. */
          dedicated = TRUE;
          block = block_new (vk, size, vk->mem_types, vk->n_mem_types, FALSE, &r);
        }
      if (block == NULL)
        {
          hs_vk_fail_result (dev, r, "allocating device memory");
          return NULL;
        }
      block->dedicated = dedicated;
      g_ptr_array_add (vk->blocks, block);
      block_take (block, size, &offset);
    }

  HsVkAlloc *a = g_new (HsVkAlloc, 1);
  a->block = block;
  a->offset = offset;
  a->size = size;
  return a;
}

void
hs_vk_release (HsDevice *dev, gpointer storage)
{
  HsVkDevice *vk = hs_vk_get (dev);
  HsVkAlloc *a = storage;

  if (a == NULL)
    return;
  block_give (a->block, a->offset, a->size);
  g_free (a);
  /* With nothing recorded, nothing can still use an empty block. */
  if (!vk->recording)
    hs_vk_memory_reclaim (vk);
}

/* Destroy empty blocks, keeping one ordinary block for the next tensors.
 * Only called when no recorded command can reference them. */
void
hs_vk_memory_reclaim (HsVkDevice *vk)
{
  gboolean kept = FALSE;

  for (guint i = vk->blocks->len; i-- > 0;)
    {
      HsVkBlock *b = g_ptr_array_index (vk->blocks, i);
      if (b->used > 0)
        continue;
      if (!b->dedicated && !kept)
        {
          kept = TRUE;
          continue;
        }
      block_free (vk, b);
      g_ptr_array_remove_index (vk->blocks, i);
    }
}

static gboolean
ensure_staging (HsDevice *dev, VkDeviceSize want)
{
  HsVkDevice *vk = hs_vk_get (dev);
  guint32 types[VK_MAX_MEMORY_TYPES];
  guint n = 0;
  VkResult r;

  want = MIN (round_up (want, vk->alignment), HS_VK_STAGING_SIZE);
  if (vk->staging != NULL && vk->staging->size >= want)
    return TRUE;
  if (vk->staging != NULL)
    {
      block_free (vk, vk->staging);
      vk->staging = NULL;
    }

  /* Cached host memory first: downloads read it back with the CPU. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint32 i = 0; i < vk->mem_props.memoryTypeCount; i++)
      {
        VkMemoryPropertyFlags f = vk->mem_props.memoryTypes[i].propertyFlags;
        VkMemoryPropertyFlags need = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT |
                                     VK_MEMORY_PROPERTY_HOST_COHERENT_BIT |
                                     (pass == 0 ? VK_MEMORY_PROPERTY_HOST_CACHED_BIT : 0);
        if ((f & need) == need && !(pass == 1 && (f & VK_MEMORY_PROPERTY_HOST_CACHED_BIT)))
          types[n++] = i;
      }
  vk->staging = block_new (vk, want, types, n, TRUE, &r);
  if (vk->staging == NULL || vk->staging->mapped == NULL)
    {
      if (vk->staging != NULL)
        block_free (vk, vk->staging);
      vk->staging = NULL;
      hs_vk_fail_result (dev, r == VK_SUCCESS ? VK_ERROR_OUT_OF_HOST_MEMORY : r,
                         "allocating a staging buffer");
      return FALSE;
    }
  return TRUE;
}

/* One staged piece: record the copy into the pending command buffer (after
 * any earlier commands that touch dst/src) and run everything. */
static gboolean
staged_copy (HsDevice *dev, VkBuffer src, VkDeviceSize src_offset,
             VkBuffer dst, VkDeviceSize dst_offset, VkDeviceSize size)
{
  VkCommandBuffer cmd = hs_vk_begin (dev);
  if (cmd == VK_NULL_HANDLE)
    return FALSE;
  HsVkRange ranges[2] = {
    { dst, dst_offset, size },
    { src, src_offset, size },
  };
  hs_vk_track (dev, ranges, 2, 1u << 0);
  VkBufferCopy region = { src_offset, dst_offset, size };
  vkCmdCopyBuffer (cmd, src, dst, 1, &region);
  hs_vk_get (dev)->n_commands++;
  return hs_vk_submit_wait (dev);
}

void
hs_vk_upload (HsDevice *dev, HsTensor *t, const void *src)
{
  HsVkDevice *vk = hs_vk_get (dev);
  HsVkAlloc *a = hs_vk_tensor_alloc (t);
  gsize bytes = hs_vk_tensor_bytes (t);
  HsVkRange range = hs_vk_tensor_range (t);

  if (vk->lost)
    {
      hs_vk_usable (dev);
      return;
    }
  if (bytes == 0)
    return;

  if (a->block->mapped != NULL)
    {
      /* Recorded commands that use this memory must run before the host
       * overwrites it; commands recorded later see the new data because a
       * submission makes earlier host writes visible. */
      if (hs_vk_ranges_pending (vk, &range) && !hs_vk_submit_wait (dev))
        return;
      memcpy (a->block->mapped + a->offset, src, bytes);
      return;
    }

  if (!ensure_staging (dev, bytes))
    return;
  for (gsize done = 0; done < bytes;)
    {
      VkDeviceSize n = MIN (bytes - done, vk->staging->size);
      memcpy (vk->staging->mapped, (const guint8 *) src + done, n);
      if (!staged_copy (dev, vk->staging->buffer, 0, a->block->buffer, a->offset + done, n))
        return;
      done += n;
    }
}

void
hs_vk_download (HsDevice *dev, HsTensor *t, void *dst)
{
  HsVkDevice *vk = hs_vk_get (dev);
  HsVkAlloc *a = hs_vk_tensor_alloc (t);
  gsize bytes = hs_vk_tensor_bytes (t);

  if (vk->lost)
    {
      hs_vk_usable (dev);
      memset (dst, 0, bytes);
      return;
    }

  if (a->block->mapped != NULL)
    {
      /* The submission ends with a barrier that makes device writes
       * available to the host. */
      if (!hs_vk_submit_wait (dev))
        {
          memset (dst, 0, bytes);
          return;
        }
      memcpy (dst, a->block->mapped + a->offset, bytes);
      return;
    }

  if (!ensure_staging (dev, bytes))
    {
      memset (dst, 0, bytes);
      return;
    }
  for (gsize done = 0; done < bytes;)
    {
      VkDeviceSize n = MIN (bytes - done, vk->staging->size);
      if (!staged_copy (dev, a->block->buffer, a->offset + done, vk->staging->buffer, 0, n))
        {
          memset ((guint8 *) dst + done, 0, bytes - done);
          return;
        }
      memcpy ((guint8 *) dst + done, vk->staging->mapped, n);
      done += n;
    }
}
