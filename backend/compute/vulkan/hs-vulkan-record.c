/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Recording: the device's one pending command buffer, barriers placed only
 * on real hazards, descriptors, lazily built pipelines, and submission.
 *
 * Hazards.  Every command reports the byte ranges it reads and writes.  The
 * ranges read and written since the last barrier are kept; a command that
 * reads a range written since, or writes a range read or written since, first
 * gets one global memory barrier (compute|transfer → compute|transfer), which
 * also empties both lists.  Independent kernels therefore run back to back.
 * A range is (VkBuffer, offset, size), so storage that is released and handed
 * out again within one command buffer is covered too.
 *
 * Submission.  sync()/download() end the command buffer with a barrier that
 * also makes every write visible to the host and to later submissions, submit
 * it, and wait on a fence with a finite timeout.  After the fence the command
 * pool and descriptor pools are reset and empty memory blocks are returned.
 */
#define G_LOG_DOMAIN "hs-vulkan"

#include "hs-vulkan-runtime.h"

/* A command buffer is submitted after this many commands even without a
 * sync(), which bounds the descriptor pools and a single submission's run
 * time (a long submission can trip a GPU driver's watchdog). */
#define HS_VK_MAX_PENDING_COMMANDS 1024
#define HS_VK_SETS_PER_POOL 256

gboolean
hs_vk_record_init (HsVkDevice *vk, gboolean use_push_descriptors, GError **error)
{
  VkResult r;

  VkCommandPoolCreateInfo pool_info = {
    .sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
    .flags = VK_COMMAND_POOL_CREATE_TRANSIENT_BIT,
    .queueFamilyIndex = vk->queue_family,
  };
  r = vkCreateCommandPool (vk->device, &pool_info, NULL, &vk->cmd_pool);
  if (r != VK_SUCCESS)
    goto fail;

  VkCommandBufferAllocateInfo cmd_info = {
    .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
    .commandPool = vk->cmd_pool,
    .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
    .commandBufferCount = 1,
  };
  r = vkAllocateCommandBuffers (vk->device, &cmd_info, &vk->cmd);
  if (r != VK_SUCCESS)
    goto fail;

  VkFenceCreateInfo fence_info = { .sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO };
  r = vkCreateFence (vk->device, &fence_info, NULL, &vk->fence);
  if (r != VK_SUCCESS)
    goto fail;

  /* One layout with HS_VK_MAX_BINDINGS storage buffers serves every
   * pipeline, so one pipeline layout does too. */
  VkDescriptorSetLayoutBinding bindings[HS_VK_MAX_BINDINGS];
  for (guint i = 0; i < HS_VK_MAX_BINDINGS; i++)
    bindings[i] = (VkDescriptorSetLayoutBinding) {
      .binding = i,
      .descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
      .descriptorCount = 1,
      .stageFlags = VK_SHADER_STAGE_COMPUTE_BIT,
    };
  VkDescriptorSetLayoutCreateInfo set_info = {
    .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO,
    .flags = use_push_descriptors ? VK_DESCRIPTOR_SET_LAYOUT_CREATE_PUSH_DESCRIPTOR_BIT_KHR : 0,
    .bindingCount = HS_VK_MAX_BINDINGS,
    .pBindings = bindings,
  };
  r = vkCreateDescriptorSetLayout (vk->device, &set_info, NULL, &vk->set_layout);
  if (r != VK_SUCCESS)
    goto fail;

  if (use_push_descriptors)
    vk->push_descriptor_set = (PFN_vkCmdPushDescriptorSetKHR)
      vkGetDeviceProcAddr (vk->device, "vkCmdPushDescriptorSetKHR");

  /* 128 bytes is both the guaranteed minimum and what our shaders use. */
  vk->push_constant_size = MIN (128, vk->props.limits.maxPushConstantsSize);
  VkPushConstantRange push_range = {
    .stageFlags = VK_SHADER_STAGE_COMPUTE_BIT,
    .offset = 0,
    .size = vk->push_constant_size,
  };
  VkPipelineLayoutCreateInfo layout_info = {
    .sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO,
    .setLayoutCount = 1,
    .pSetLayouts = &vk->set_layout,
    .pushConstantRangeCount = 1,
    .pPushConstantRanges = &push_range,
  };
  r = vkCreatePipelineLayout (vk->device, &layout_info, NULL, &vk->pipeline_layout);
  if (r != VK_SUCCESS)
    goto fail;

  vk->desc_pools = g_ptr_array_new ();
  vk->unsynced_read = g_array_new (FALSE, FALSE, sizeof (HsVkRange));
  vk->unsynced_written = g_array_new (FALSE, FALSE, sizeof (HsVkRange));
  vk->cmd_ranges = g_array_new (FALSE, FALSE, sizeof (HsVkRange));
  for (guint i = 0; i < HS_N_SHADERS; i++)
    vk->pipelines[i] = g_array_new (FALSE, FALSE, sizeof (HsVkPipeline));
  return TRUE;

fail:
  g_set_error (error, HS_COMPUTE_ERROR,
               r == VK_ERROR_OUT_OF_HOST_MEMORY || r == VK_ERROR_OUT_OF_DEVICE_MEMORY
                 ? HS_COMPUTE_ERROR_OUT_OF_MEMORY : HS_COMPUTE_ERROR_FAILED,
               "Could not set up Vulkan command recording (VkResult %d)", r);
  return FALSE;
}

void
hs_vk_record_cleanup (HsVkDevice *vk)
{
  if (vk->device == VK_NULL_HANDLE)
    return;
  for (guint i = 0; i < HS_N_SHADERS; i++)
    {
      if (vk->pipelines[i] != NULL)
        {
          for (guint j = 0; j < vk->pipelines[i]->len; j++)
            vkDestroyPipeline (vk->device, g_array_index (vk->pipelines[i], HsVkPipeline, j).pipeline, NULL);
          g_array_free (vk->pipelines[i], TRUE);
        }
      if (vk->modules[i] != VK_NULL_HANDLE)
        vkDestroyShaderModule (vk->device, vk->modules[i], NULL);
    }
  if (vk->desc_pools != NULL)
    {
      for (guint i = 0; i < vk->desc_pools->len; i++)
        vkDestroyDescriptorPool (vk->device, g_ptr_array_index (vk->desc_pools, i), NULL);
      g_ptr_array_free (vk->desc_pools, TRUE);
    }
  if (vk->pipeline_layout != VK_NULL_HANDLE)
    vkDestroyPipelineLayout (vk->device, vk->pipeline_layout, NULL);
  if (vk->set_layout != VK_NULL_HANDLE)
    vkDestroyDescriptorSetLayout (vk->device, vk->set_layout, NULL);
  if (vk->fence != VK_NULL_HANDLE)
    vkDestroyFence (vk->device, vk->fence, NULL);
  if (vk->cmd_pool != VK_NULL_HANDLE)
    vkDestroyCommandPool (vk->device, vk->cmd_pool, NULL);
  g_clear_pointer (&vk->unsynced_read, g_array_unref);
  g_clear_pointer (&vk->unsynced_written, g_array_unref);
  g_clear_pointer (&vk->cmd_ranges, g_array_unref);
}

/* FALSE when kernels must be no-ops: a sticky error is waiting to be taken,
 * or the device is gone (then every call reports that again). */
gboolean
hs_vk_usable (HsDevice *dev)
{
  HsVkDevice *vk = hs_vk_get (dev);

  if (hs_device_failed (dev))
    return FALSE;
  if (vk->lost)
    {
      hs_device_fail (dev, HS_COMPUTE_ERROR_DEVICE_LOST,
                      "The Vulkan device %s was lost earlier", vk->props.deviceName);
      return FALSE;
    }
  return TRUE;
}

VkCommandBuffer
hs_vk_begin (HsDevice *dev)
{
  HsVkDevice *vk = hs_vk_get (dev);

  if (!vk->recording)
    {
      VkCommandBufferBeginInfo info = {
        .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
        .flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT,
      };
      VkResult r = vkBeginCommandBuffer (vk->cmd, &info);
      if (r != VK_SUCCESS)
        {
          hs_vk_fail_result (dev, r, "vkBeginCommandBuffer");
          return VK_NULL_HANDLE;
        }
      vk->recording = TRUE;
    }
  return vk->cmd;
}

HsVkRange
hs_vk_tensor_range (HsTensor *t)
{
  HsVkAlloc *a = hs_vk_tensor_alloc (t);
  return (HsVkRange) { a->block->buffer, a->offset, a->size };
}

static inline gboolean
ranges_overlap (const HsVkRange *x, const HsVkRange *y)
{
  return x->buffer == y->buffer &&
         x->offset < y->offset + y->size &&
         y->offset < x->offset + x->size;
}

static gboolean
overlaps_any (GArray *list, const HsVkRange *r)
{
  for (guint i = 0; i < list->len; i++)
    if (ranges_overlap (&g_array_index (list, HsVkRange, i), r))
      return TRUE;
  return FALSE;
}

static void
append_unique (GArray *list, const HsVkRange *r)
{
  for (guint i = 0; i < list->len; i++)
    {
      const HsVkRange *e = &g_array_index (list, HsVkRange, i);
      if (e->buffer == r->buffer && e->offset == r->offset && e->size == r->size)
        return;
    }
  g_array_append_val (list, *r);
}

static void
global_barrier (VkCommandBuffer cmd, VkPipelineStageFlags dst_stages, VkAccessFlags dst_access)
{
  VkMemoryBarrier barrier = {
    .sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
    .srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT,
    .dstAccessMask = dst_access,
  };
  vkCmdPipelineBarrier (cmd,
                        VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
                        dst_stages, 0, 1, &barrier, 0, NULL, 0, NULL);
}

#define DEVICE_STAGES (VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT)
#define DEVICE_ACCESS (VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT | \
                       VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT)

/* Called with the command buffer begun, right before a command that uses
 * `ranges` (bit i of write_mask: ranges[i] is written). */
void
hs_vk_track (HsDevice *dev, const HsVkRange *ranges, guint n, guint32 write_mask)
{
  HsVkDevice *vk = hs_vk_get (dev);
  gboolean hazard = FALSE;

  for (guint i = 0; i < n && !hazard; i++)
    {
      if (ranges[i].buffer == VK_NULL_HANDLE)
        continue;
      hazard = overlaps_any (vk->unsynced_written, &ranges[i]) ||
               ((write_mask & (1u << i)) && overlaps_any (vk->unsynced_read, &ranges[i]));
    }
  if (hazard)
    {
      global_barrier (vk->cmd, DEVICE_STAGES, DEVICE_ACCESS);
      g_array_set_size (vk->unsynced_read, 0);
      g_array_set_size (vk->unsynced_written, 0);
    }
  for (guint i = 0; i < n; i++)
    {
      if (ranges[i].buffer == VK_NULL_HANDLE)
        continue;
      append_unique ((write_mask & (1u << i)) ? vk->unsynced_written : vk->unsynced_read, &ranges[i]);
      append_unique (vk->cmd_ranges, &ranges[i]);
    }
}

void
hs_vk_command_recorded (HsDevice *dev)
{
  HsVkDevice *vk = hs_vk_get (dev);

  if (++vk->n_commands >= HS_VK_MAX_PENDING_COMMANDS)
    hs_vk_submit_wait (dev);
}

/* Does the pending command buffer use any byte of `range`? */
gboolean
hs_vk_ranges_pending (HsVkDevice *vk, const HsVkRange *range)
{
  return vk->recording && overlaps_any (vk->cmd_ranges, range);
}

static void
reset_after_fence (HsVkDevice *vk)
{
  vkResetCommandPool (vk->device, vk->cmd_pool, 0);
  for (guint i = 0; i < vk->desc_pools->len; i++)
    vkResetDescriptorPool (vk->device, g_ptr_array_index (vk->desc_pools, i), 0);
  vk->desc_pool_current = 0;
  vk->desc_sets_left = vk->desc_pools->len > 0 ? HS_VK_SETS_PER_POOL : 0;
  g_array_set_size (vk->unsynced_read, 0);
  g_array_set_size (vk->unsynced_written, 0);
  g_array_set_size (vk->cmd_ranges, 0);
  vk->recording = FALSE;
  vk->n_commands = 0;
}

/* Submit the pending command buffer and wait for it.  FALSE (with the error
 * recorded on the device) when the work did not complete. */
gboolean
hs_vk_submit_wait (HsDevice *dev)
{
  HsVkDevice *vk = hs_vk_get (dev);
  VkResult r;

  if (vk->lost)
    {
      if (!hs_device_failed (dev))
        hs_device_fail (dev, HS_COMPUTE_ERROR_DEVICE_LOST,
                        "The Vulkan device %s was lost earlier", vk->props.deviceName);
      return FALSE;
    }
  if (!vk->recording)
    return TRUE;

  /* Make every write available to the host (mapped memory, staging) and
   * ordered before the next submission's commands. */
  global_barrier (vk->cmd, DEVICE_STAGES | VK_PIPELINE_STAGE_HOST_BIT,
                  DEVICE_ACCESS | VK_ACCESS_HOST_READ_BIT);
  r = vkEndCommandBuffer (vk->cmd);
  if (r != VK_SUCCESS)
    {
      hs_vk_fail_result (dev, r, "vkEndCommandBuffer");
      reset_after_fence (vk);
      return FALSE;
    }

  VkSubmitInfo submit = {
    .sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
    .commandBufferCount = 1,
    .pCommandBuffers = &vk->cmd,
  };
  r = vkQueueSubmit (vk->queue, 1, &submit, vk->fence);
  if (r != VK_SUCCESS)
    {
      hs_vk_fail_result (dev, r, "vkQueueSubmit");
      if (!vk->lost)
        reset_after_fence (vk);
      return FALSE;
    }

  r = vkWaitForFences (vk->device, 1, &vk->fence, VK_TRUE, vk->timeout_ns);
  if (r != VK_SUCCESS)
    {
      /* The command buffer may still be running: it can be neither reset
       * nor reused, so the device is unusable from here on. */
      if (r == VK_TIMEOUT)
        {
          vk->lost = TRUE;
          if (!hs_device_failed (dev))
            hs_device_fail (dev, HS_COMPUTE_ERROR_DEVICE_LOST,
                            "The Vulkan device %s did not finish its work within %" G_GUINT64_FORMAT " s",
                            vk->props.deviceName, vk->timeout_ns / 1000000000u);
        }
      else
        {
          vk->lost = TRUE;
          hs_vk_fail_result (dev, r, "vkWaitForFences");
        }
      return FALSE;
    }
  vkResetFences (vk->device, 1, &vk->fence);
  reset_after_fence (vk);
  hs_vk_memory_reclaim (vk);
  return TRUE;
}

void
hs_vk_sync (HsDevice *dev)
{
  hs_vk_submit_wait (dev);
}

/* --- Pipelines ----------------------------------------------------------- */

static VkPipeline
get_pipeline (HsDevice *dev, HsShaderId shader, const guint32 *spec, guint n_spec)
{
  HsVkDevice *vk = hs_vk_get (dev);
  GArray *cache = vk->pipelines[shader];
  VkResult r;

  for (guint i = 0; i < cache->len; i++)
    {
      HsVkPipeline *e = &g_array_index (cache, HsVkPipeline, i);
      if (e->n_spec == n_spec && (n_spec == 0 || memcmp (e->spec, spec, n_spec * sizeof (guint32)) == 0))
        return e->pipeline;
    }

  if (vk->modules[shader] == VK_NULL_HANDLE)
    {
      VkShaderModuleCreateInfo module_info = {
        .sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO,
        .codeSize = hs_shader_table[shader].size,
        .pCode = hs_shader_table[shader].code,
      };
      r = vkCreateShaderModule (vk->device, &module_info, NULL, &vk->modules[shader]);
      if (r != VK_SUCCESS)
        {
          vk->modules[shader] = VK_NULL_HANDLE;
          hs_device_fail (dev, HS_COMPUTE_ERROR_PIPELINE,
                          "Could not load the shader %s (VkResult %d)", hs_shader_table[shader].name, r);
          return VK_NULL_HANDLE;
        }
    }

  VkSpecializationMapEntry entries[HS_VK_MAX_SPEC];
  for (guint i = 0; i < n_spec; i++)
    entries[i] = (VkSpecializationMapEntry) { i, i * sizeof (guint32), sizeof (guint32) };
  VkSpecializationInfo spec_info = {
    .mapEntryCount = n_spec,
    .pMapEntries = entries,
    .dataSize = n_spec * sizeof (guint32),
    .pData = spec,
  };
  VkComputePipelineCreateInfo info = {
    .sType = VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO,
    .stage = {
      .sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO,
      .stage = VK_SHADER_STAGE_COMPUTE_BIT,
      .module = vk->modules[shader],
      .pName = "main",
      .pSpecializationInfo = n_spec > 0 ? &spec_info : NULL,
    },
    .layout = vk->pipeline_layout,
  };
  HsVkPipeline entry = { .n_spec = n_spec };
  if (n_spec > 0)
    memcpy (entry.spec, spec, n_spec * sizeof (guint32));
  r = vkCreateComputePipelines (vk->device, VK_NULL_HANDLE, 1, &info, NULL, &entry.pipeline);
  if (r != VK_SUCCESS)
    {
      hs_device_fail (dev, r == VK_ERROR_OUT_OF_HOST_MEMORY || r == VK_ERROR_OUT_OF_DEVICE_MEMORY
                             ? HS_COMPUTE_ERROR_OUT_OF_MEMORY : HS_COMPUTE_ERROR_PIPELINE,
                      "Could not build the compute pipeline %s (VkResult %d)",
                      hs_shader_table[shader].name, r);
      return VK_NULL_HANDLE;
    }
  g_array_append_val (cache, entry);
  return entry.pipeline;
}

/* --- Descriptors --------------------------------------------------------- */

static VkDescriptorSet
allocate_set (HsDevice *dev)
{
  HsVkDevice *vk = hs_vk_get (dev);
  VkResult r;

  if (vk->desc_sets_left == 0)
    {
      if (vk->desc_pools->len > 0 && vk->desc_pool_current + 1 < vk->desc_pools->len)
        vk->desc_pool_current++;
      else
        {
          VkDescriptorPoolSize size = {
            .type = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
            .descriptorCount = HS_VK_SETS_PER_POOL * HS_VK_MAX_BINDINGS,
          };
          VkDescriptorPoolCreateInfo info = {
            .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO,
            .maxSets = HS_VK_SETS_PER_POOL,
            .poolSizeCount = 1,
            .pPoolSizes = &size,
          };
          VkDescriptorPool pool;
          r = vkCreateDescriptorPool (vk->device, &info, NULL, &pool);
          if (r != VK_SUCCESS)
            {
              hs_vk_fail_result (dev, r, "vkCreateDescriptorPool");
              return VK_NULL_HANDLE;
            }
          g_ptr_array_add (vk->desc_pools, pool);
          vk->desc_pool_current = vk->desc_pools->len - 1;
        }
      vk->desc_sets_left = HS_VK_SETS_PER_POOL;
    }

  VkDescriptorSetAllocateInfo info = {
    .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO,
    .descriptorPool = g_ptr_array_index (vk->desc_pools, vk->desc_pool_current),
    .descriptorSetCount = 1,
    .pSetLayouts = &vk->set_layout,
  };
  VkDescriptorSet set;
  r = vkAllocateDescriptorSets (vk->device, &info, &set);
  if (r != VK_SUCCESS)
    {
      hs_vk_fail_result (dev, r, "vkAllocateDescriptorSets");
      return VK_NULL_HANDLE;
    }
  vk->desc_sets_left--;
  return set;
}

/* --- Dispatch ------------------------------------------------------------ */

void
hs_vk_dispatch (HsDevice *dev, HsShaderId shader,
                const guint32 *spec, guint n_spec,
                HsTensor *const *bindings, guint n_bindings, guint32 write_mask,
                const void *push, gsize push_size,
                guint32 groups_x, guint32 groups_y, guint32 groups_z)
{
  HsVkDevice *vk;
  HsVkRange ranges[HS_VK_MAX_BINDINGS];
  VkDescriptorBufferInfo infos[HS_VK_MAX_BINDINGS];
  VkWriteDescriptorSet writes[HS_VK_MAX_BINDINGS];
  guint32 push_words[32];
  const guint32 *max_groups;

  g_return_if_fail (dev != NULL && dev->kind == HS_BACKEND_VULKAN);
  g_return_if_fail (shader < HS_N_SHADERS);
  g_return_if_fail (n_bindings <= HS_VK_MAX_BINDINGS && n_spec <= HS_VK_MAX_SPEC);

  if (!hs_vk_usable (dev))
    return;
  vk = hs_vk_get (dev);
  max_groups = vk->props.limits.maxComputeWorkGroupCount;

  if (push_size > vk->push_constant_size)
    {
      hs_device_fail (dev, HS_COMPUTE_ERROR_INVALID,
                      "%s: %" G_GSIZE_FORMAT " bytes of push constants, at most %u",
                      hs_shader_table[shader].name, push_size, vk->push_constant_size);
      return;
    }
  if (groups_x > max_groups[0] || groups_y > max_groups[1] || groups_z > max_groups[2])
    {
      hs_device_fail (dev, HS_COMPUTE_ERROR_SHAPE,
                      "%s: a grid of %u×%u×%u workgroups exceeds the device's %u×%u×%u",
                      hs_shader_table[shader].name, groups_x, groups_y, groups_z,
                      max_groups[0], max_groups[1], max_groups[2]);
      return;
    }
  if (groups_x == 0 || groups_y == 0 || groups_z == 0)
    return;

  for (guint i = 0; i < n_bindings; i++)
    {
      if (bindings[i] == NULL || bindings[i]->buffer == NULL || bindings[i]->buffer->storage == NULL)
        {
          hs_device_fail (dev, HS_COMPUTE_ERROR_INVALID,
                          "%s: binding %u has no device storage", hs_shader_table[shader].name, i);
          return;
        }
      if (bindings[i]->device != dev)
        {
          hs_device_fail (dev, HS_COMPUTE_ERROR_INVALID,
                          "%s: binding %u lives on another device", hs_shader_table[shader].name, i);
          return;
        }
      ranges[i] = hs_vk_tensor_range (bindings[i]);
      if (ranges[i].size > vk->props.limits.maxStorageBufferRange)
        {
          hs_device_fail (dev, HS_COMPUTE_ERROR_SHAPE,
                          "%s: a tensor of %" G_GUINT64_FORMAT " bytes is larger than the device's "
                          "largest storage-buffer binding (%u bytes)", hs_shader_table[shader].name,
                          (guint64) ranges[i].size, vk->props.limits.maxStorageBufferRange);
          return;
        }
      infos[i] = (VkDescriptorBufferInfo) { ranges[i].buffer, ranges[i].offset, ranges[i].size };
      writes[i] = (VkWriteDescriptorSet) {
        .sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET,
        .dstBinding = i,
        .descriptorCount = 1,
        .descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
        .pBufferInfo = &infos[i],
      };
    }

  VkPipeline pipeline = get_pipeline (dev, shader, spec, n_spec);
  if (pipeline == VK_NULL_HANDLE)
    return;
  VkCommandBuffer cmd = hs_vk_begin (dev);
  if (cmd == VK_NULL_HANDLE)
    return;

  hs_vk_track (dev, ranges, n_bindings, write_mask);
  vkCmdBindPipeline (cmd, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline);

  if (n_bindings > 0)
    {
      if (vk->push_descriptor_set != NULL)
        {
          vk->push_descriptor_set (cmd, VK_PIPELINE_BIND_POINT_COMPUTE, vk->pipeline_layout,
                                   0, n_bindings, writes);
        }
      else
        {
          VkDescriptorSet set = allocate_set (dev);
          if (set == VK_NULL_HANDLE)
            return;
          for (guint i = 0; i < n_bindings; i++)
            writes[i].dstSet = set;
          vkUpdateDescriptorSets (vk->device, n_bindings, writes, 0, NULL);
          vkCmdBindDescriptorSets (cmd, VK_PIPELINE_BIND_POINT_COMPUTE, vk->pipeline_layout,
                                   0, 1, &set, 0, NULL);
        }
    }

  if (push_size > 0)
    {
      /* vkCmdPushConstants takes whole words. */
      gsize words = (push_size + 3) / 4;
      memset (push_words, 0, sizeof push_words);
      memcpy (push_words, push, push_size);
      vkCmdPushConstants (cmd, vk->pipeline_layout, VK_SHADER_STAGE_COMPUTE_BIT,
                          0, words * 4, push_words);
    }

  vkCmdDispatch (cmd, groups_x, groups_y, groups_z);
  hs_vk_command_recorded (dev);
}

void
hs_vk_grid_1d (HsDevice *dev, gsize n, guint32 local, guint32 *groups_x, guint32 *groups_y)
{
  HsVkDevice *vk = hs_vk_get (dev);
  guint64 groups = (n + local - 1) / local;
  guint64 max_x = vk->props.limits.maxComputeWorkGroupCount[0];

  if (groups <= max_x)
    {
      *groups_x = groups;
      *groups_y = groups > 0 ? 1 : 0;
      return;
    }
  /* Fold into rows of at most max_x groups; the last row's extra groups
   * fail the shaders' bounds check.  A y beyond the limit is reported by
   * hs_vk_dispatch(). */
  guint64 rows = (groups + max_x - 1) / max_x;
  *groups_y = MIN (rows, G_MAXUINT32);
  *groups_x = (groups + rows - 1) / rows;
}

/* A new f32 tensor [numel]; the caller unrefs it when its commands are
 * recorded (its storage may then be handed out again, and the hazard
 * tracker orders the reuse after the pending commands). */
HsTensor *
hs_vk_scratch (HsDevice *dev, gsize numel)
{
  g_autoptr(GError) error = NULL;
  gint64 shape[1] = { MAX (numel, 1) };
  HsTensor *t;

  if (!hs_vk_usable (dev))
    return NULL;
  t = hs_tensor_new (dev, HS_DTYPE_F32, 1, shape, &error);
  if (t == NULL && !hs_device_failed (dev))
    hs_device_fail (dev, error != NULL ? error->code : HS_COMPUTE_ERROR_OUT_OF_MEMORY,
                    "%s", error != NULL ? error->message : "Could not allocate scratch memory");
  return t;
}
