/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Device discovery and the policy that picks one (see hs-device.h).
 */
#define G_LOG_DOMAIN "hs-device"

#include <stdarg.h>
#include <unistd.h>

#include "hs-backend-private.h"
#include "hs-device.h"
#include "vulkan/hs-vulkan.h"

G_DEFINE_QUARK (hs-compute-error-quark, hs_compute_error)

void
hs_device_fail (HsDevice *dev, gint code, const char *format, ...)
{
  va_list args;

  if (dev->error != NULL)
    return;
  va_start (args, format);
  dev->error = g_error_new_valist (HS_COMPUTE_ERROR, code, format, args);
  va_end (args);
  g_debug ("%s: %s", dev->name, dev->error->message);
}

gboolean
hs_device_failed (HsDevice *dev)
{
  return dev->error != NULL;
}

gboolean
hs_device_take_error (HsDevice *device, GError **error)
{
  if (device->error == NULL)
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&device->error));
  return FALSE;
}

gboolean
hs_device_sync (HsDevice *device, GError **error)
{
  g_return_val_if_fail (device != NULL, FALSE);
  if (device->error == NULL)
    device->ops->sync (device);
  return hs_device_take_error (device, error);
}

HsDevice *
hs_device_ref (HsDevice *device)
{
  g_atomic_int_inc (&device->ref_count);
  return device;
}

void
hs_device_unref (HsDevice *device)
{
  if (device == NULL || !g_atomic_int_dec_and_test (&device->ref_count))
    return;
  g_clear_error (&device->error);
  /* The backend made the device: destroy() frees its state, its name and the
   * struct itself. */
  device->ops->destroy (device);
}

const char *
hs_device_get_name (HsDevice *device)
{
  return device->name;
}

HsBackendKind
hs_device_get_backend (HsDevice *device)
{
  return device->kind;
}

void
hs_device_info_free (HsDeviceInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->name);
  g_free (info->driver);
  g_free (info);
}

const char *
hs_device_type_to_string (HsDeviceType type)
{
  switch (type)
    {
    case HS_DEVICE_TYPE_CPU: return "cpu";
    case HS_DEVICE_TYPE_DISCRETE_GPU: return "discrete-gpu";
    case HS_DEVICE_TYPE_INTEGRATED_GPU: return "integrated-gpu";
    case HS_DEVICE_TYPE_VIRTUAL_GPU: return "virtual-gpu";
    case HS_DEVICE_TYPE_VULKAN_CPU: return "vulkan-cpu";
    case HS_DEVICE_TYPE_OTHER: default: return "other";
    }
}

static HsDeviceInfo *
cpu_info (void)
{
  HsDeviceInfo *info = g_new0 (HsDeviceInfo, 1);
  long pages = sysconf (_SC_PHYS_PAGES);
  long page_size = sysconf (_SC_PAGESIZE);

  info->backend = HS_BACKEND_CPU;
  info->type = HS_DEVICE_TYPE_CPU;
  info->name = g_strdup ("CPU");
  info->driver = g_strdup ("OpenBLAS");
  info->memory_bytes = pages > 0 && page_size > 0 ? (guint64) pages * (guint64) page_size : 0;
  info->threads = g_get_num_processors ();
  return info;
}

GPtrArray *
hs_device_list (GError **vulkan_error)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_device_info_free);

  g_ptr_array_add (list, cpu_info ());
  hs_vulkan_enumerate (list, vulkan_error);
  return list;
}

/* auto prefers real GPUs by kind; a software Vulkan device is never chosen
 * automatically because OpenBLAS is two orders of magnitude faster. */
static int
auto_rank (HsDeviceType type)
{
  switch (type)
    {
    case HS_DEVICE_TYPE_DISCRETE_GPU: return 3;
    case HS_DEVICE_TYPE_INTEGRATED_GPU: return 2;
    case HS_DEVICE_TYPE_VIRTUAL_GPU: return 1;
    default: return 0;
    }
}

HsDeviceInfo *
hs_device_choose (GPtrArray *list, const char *policy, GError **error)
{
  HsDeviceInfo *best = NULL;

  if (policy == NULL || *policy == '\0')
    policy = "auto";

  if (g_str_equal (policy, "cpu"))
    return g_ptr_array_index (list, 0);

  if (g_str_equal (policy, "auto"))
    {
      int best_rank = 0;
      for (guint i = 1; i < list->len; i++)
        {
          HsDeviceInfo *info = g_ptr_array_index (list, i);
          if (auto_rank (info->type) > best_rank)
            {
              best = info;
              best_rank = auto_rank (info->type);
            }
        }
      return best != NULL ? best : g_ptr_array_index (list, 0);
    }

  if (g_str_equal (policy, "vulkan"))
    {
      /* Any Vulkan device, the best kind first; software ones last. */
      int best_rank = -1;
      for (guint i = 1; i < list->len; i++)
        {
          HsDeviceInfo *info = g_ptr_array_index (list, i);
          if (auto_rank (info->type) > best_rank)
            {
              best = info;
              best_rank = auto_rank (info->type);
            }
        }
      if (best == NULL)
        g_set_error (error, HS_COMPUTE_ERROR, HS_COMPUTE_ERROR_NO_DEVICE,
                     "HS_DEVICE=vulkan: no Vulkan device found (install mesa-vulkan-drivers "
                     "for lavapipe, or a GPU driver)");
      return best;
    }

  if (g_str_has_prefix (policy, "vulkan:"))
    {
      guint64 index;
      if (g_ascii_string_to_unsigned (policy + 7, 10, 0, G_MAXUINT, &index, NULL))
        for (guint i = 1; i < list->len; i++)
          {
            HsDeviceInfo *info = g_ptr_array_index (list, i);
            if (info->index == index)
              return info;
          }
      g_set_error (error, HS_COMPUTE_ERROR, HS_COMPUTE_ERROR_NO_DEVICE,
                   "HS_DEVICE=%s: no such Vulkan device (run `hyperstar-cli devices`)", policy);
      return NULL;
    }

  g_set_error (error, HS_COMPUTE_ERROR, HS_COMPUTE_ERROR_INVALID,
               "HS_DEVICE=%s: unknown device policy (use auto, cpu, vulkan or vulkan:N)",
               policy);
  return NULL;
}

HsDevice *
hs_device_new (const char *policy, GError **error)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) vulkan_error = NULL;
  HsDeviceInfo *info;

  if (policy == NULL)
    policy = g_getenv ("HS_DEVICE");
  if (policy != NULL && g_str_equal (policy, "cpu"))
    return hs_cpu_device_new (error);

  list = hs_device_list (&vulkan_error);
  info = hs_device_choose (list, policy, error);
  if (info == NULL)
    {
      if (vulkan_error != NULL)
        g_prefix_error (error, "%s; ", vulkan_error->message);
      return NULL;
    }
  if (info->backend == HS_BACKEND_CPU)
    return hs_cpu_device_new (error);
  return hs_vulkan_device_new (info->index, error);
}
