/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Vulkan backend's front door: instance (with the validation layer and
 * synchronization validation when HS_VULKAN_VALIDATION=1), enumeration into
 * HsDeviceInfo, opening one device with one compute queue, and the op table.
 *
 * Debugging knobs (environment):
 *   HS_VULKAN_VALIDATION=1        Khronos validation + sync validation; every
 *                                 warning or error is printed and counted
 *   HS_VULKAN_TIMEOUT=SECONDS     fence wait limit (default 120)
 *   HS_VULKAN_GEMM=register|tiled force a GEMM kernel (default by device type)
 *   HS_VULKAN_NO_PUSH_DESCRIPTOR=1  use descriptor pools even when
 *                                 VK_KHR_push_descriptor exists
 *   HS_VULKAN_NO_MAPPED=1         stage every transfer as on a discrete GPU
 */
#define G_LOG_DOMAIN "hs-vulkan"

#include "hs-vulkan.h"
#include "hs-vulkan-runtime.h"

#define HS_VK_VALIDATION_LAYER "VK_LAYER_KHRONOS_validation"

static gint validation_messages;

guint
hs_vulkan_validation_message_count (void)
{
  return g_atomic_int_get (&validation_messages);
}

static VKAPI_ATTR VkBool32 VKAPI_CALL
debug_callback (VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                VkDebugUtilsMessageTypeFlagsEXT types,
                const VkDebugUtilsMessengerCallbackDataEXT *data,
                void *user_data)
{
  if (severity & (VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT |
                  VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT))
    {
      g_atomic_int_inc (&validation_messages);
      g_printerr ("hs-vulkan: validation %s: %s\n",
                  (severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT) ? "error" : "warning",
                  data->pMessage != NULL ? data->pMessage : "(no message)");
    }
  return VK_FALSE;
}

static gboolean
has_extension (const VkExtensionProperties *exts, guint32 n, const char *name)
{
  for (guint32 i = 0; i < n; i++)
    if (strcmp (exts[i].extensionName, name) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
validation_layer_ready (GError **error)
{
  guint32 n = 0;
  g_autofree VkLayerProperties *layers = NULL;
  g_autofree VkExtensionProperties *exts = NULL;
  gboolean found = FALSE;

  vkEnumerateInstanceLayerProperties (&n, NULL);
  layers = g_new0 (VkLayerProperties, MAX (n, 1));
  vkEnumerateInstanceLayerProperties (&n, layers);
  for (guint32 i = 0; i < n; i++)
    found |= strcmp (layers[i].layerName, HS_VK_VALIDATION_LAYER) == 0;
  if (!found)
    {
      g_set_error (error, HS_COMPUTE_ERROR, HS_COMPUTE_ERROR_NO_DEVICE,
                   "HS_VULKAN_VALIDATION is set but the Vulkan validation layer "
                   HS_VK_VALIDATION_LAYER " is not installed "
                   "(Debian: apt install vulkan-validationlayers)");
      return FALSE;
    }

  n = 0;
  vkEnumerateInstanceExtensionProperties (HS_VK_VALIDATION_LAYER, &n, NULL);
  exts = g_new0 (VkExtensionProperties, MAX (n, 1));
  vkEnumerateInstanceExtensionProperties (HS_VK_VALIDATION_LAYER, &n, exts);
  if (!has_extension (exts, n, VK_EXT_DEBUG_UTILS_EXTENSION_NAME) ||
      !has_extension (exts, n, VK_EXT_VALIDATION_FEATURES_EXTENSION_NAME))
    {
      g_set_error (error, HS_COMPUTE_ERROR, HS_COMPUTE_ERROR_NO_DEVICE,
                   "The Vulkan validation layer lacks " VK_EXT_DEBUG_UTILS_EXTENSION_NAME
                   " or " VK_EXT_VALIDATION_FEATURES_EXTENSION_NAME);
      return FALSE;
    }
  return TRUE;
}

/* An instance, with validation and a counting messenger when requested. */
static gboolean
create_instance (VkInstance *instance, VkDebugUtilsMessengerEXT *messenger, GError **error)
{
  gboolean validate = hs_vk_env_flag ("HS_VULKAN_VALIDATION");
  const char *layers[] = { HS_VK_VALIDATION_LAYER };
  const char *extensions[] = {
    VK_EXT_DEBUG_UTILS_EXTENSION_NAME,
    VK_EXT_VALIDATION_FEATURES_EXTENSION_NAME,
  };
  VkResult r;

  *instance = VK_NULL_HANDLE;
  *messenger = VK_NULL_HANDLE;

  if (validate && !validation_layer_ready (error))
    return FALSE;

  VkApplicationInfo app = {
    .sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
    .pApplicationName = "hyperstar",
    .applicationVersion = 1,
    .pEngineName = "hyperstar",
    .engineVersion = 1,
    .apiVersion = VK_API_VERSION_1_2,
  };
  VkValidationFeatureEnableEXT enables[] = {
    VK_VALIDATION_FEATURE_ENABLE_SYNCHRONIZATION_VALIDATION_EXT,
  };
  VkValidationFeaturesEXT features = {
    .sType = VK_STRUCTURE_TYPE_VALIDATION_FEATURES_EXT,
    .enabledValidationFeatureCount = G_N_ELEMENTS (enables),
    .pEnabledValidationFeatures = enables,
  };
  VkDebugUtilsMessengerCreateInfoEXT messenger_info = {
    .sType = VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT,
    .pNext = &features,
    .messageSeverity = VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT |
                       VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT,
    .messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT |
                   VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
                   VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT,
    .pfnUserCallback = debug_callback,
  };
  /* The messenger in pNext also catches messages from vkCreateInstance and
   * vkDestroyInstance themselves. */
  VkInstanceCreateInfo info = {
    .sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
    .pNext = validate ? &messenger_info : NULL,
    .pApplicationInfo = &app,
    .enabledLayerCount = validate ? G_N_ELEMENTS (layers) : 0,
    .ppEnabledLayerNames = layers,
    .enabledExtensionCount = validate ? G_N_ELEMENTS (extensions) : 0,
    .ppEnabledExtensionNames = extensions,
  };

  r = vkCreateInstance (&info, NULL, instance);
  if (r != VK_SUCCESS)
    {
      *instance = VK_NULL_HANDLE;
      g_set_error (error, HS_COMPUTE_ERROR, HS_COMPUTE_ERROR_NO_DEVICE,
                   r == VK_ERROR_INCOMPATIBLE_DRIVER
                     ? "No Vulkan driver is installed (VK_ERROR_INCOMPATIBLE_DRIVER)"
                     : "Could not create a Vulkan instance (VkResult %d)", r);
      return FALSE;
    }

  if (validate)
    {
      PFN_vkCreateDebugUtilsMessengerEXT create_messenger = (PFN_vkCreateDebugUtilsMessengerEXT)
        vkGetInstanceProcAddr (*instance, "vkCreateDebugUtilsMessengerEXT");
      messenger_info.pNext = NULL;
      if (create_messenger == NULL ||
          create_messenger (*instance, &messenger_info, NULL, messenger) != VK_SUCCESS)
        {
          vkDestroyInstance (*instance, NULL);
          *instance = VK_NULL_HANDLE;
          g_set_error (error, HS_COMPUTE_ERROR, HS_COMPUTE_ERROR_NO_DEVICE,
                       "Could not install the Vulkan validation message callback");
          return FALSE;
        }
    }
  return TRUE;
}

static void
destroy_instance (VkInstance instance, VkDebugUtilsMessengerEXT messenger)
{
  if (instance == VK_NULL_HANDLE)
    return;
  if (messenger != VK_NULL_HANDLE)
    {
      PFN_vkDestroyDebugUtilsMessengerEXT destroy_messenger = (PFN_vkDestroyDebugUtilsMessengerEXT)
        vkGetInstanceProcAddr (instance, "vkDestroyDebugUtilsMessengerEXT");
      if (destroy_messenger != NULL)
        destroy_messenger (instance, messenger, NULL);
    }
  vkDestroyInstance (instance, NULL);
}

static GPtrArray *
physical_devices (VkInstance instance, GError **error)
{
  guint32 n = 0;
  VkResult r = vkEnumeratePhysicalDevices (instance, &n, NULL);
  GPtrArray *list = g_ptr_array_new ();

  if (r == VK_SUCCESS && n > 0)
    {
      g_ptr_array_set_size (list, n);
      r = vkEnumeratePhysicalDevices (instance, &n, (VkPhysicalDevice *) list->pdata);
      g_ptr_array_set_size (list, n);
    }
  if (r != VK_SUCCESS && r != VK_INCOMPLETE)
    {
      g_set_error (error, HS_COMPUTE_ERROR, HS_COMPUTE_ERROR_NO_DEVICE,
                   "Could not list Vulkan devices (VkResult %d)", r);
      g_ptr_array_free (list, TRUE);
      return NULL;
    }
  return list;
}

static HsDeviceType
map_type (VkPhysicalDeviceType type)
{
  switch (type)
    {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU:   return HS_DEVICE_TYPE_DISCRETE_GPU;
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return HS_DEVICE_TYPE_INTEGRATED_GPU;
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU:    return HS_DEVICE_TYPE_VIRTUAL_GPU;
    case VK_PHYSICAL_DEVICE_TYPE_CPU:            return HS_DEVICE_TYPE_VULKAN_CPU;
    default:                                     return HS_DEVICE_TYPE_OTHER;
    }
}

static HsDeviceInfo *
describe (VkPhysicalDevice physical, guint index)
{
  VkPhysicalDeviceProperties props;
  VkPhysicalDeviceMemoryProperties mem;
  HsDeviceInfo *info = g_new0 (HsDeviceInfo, 1);

  vkGetPhysicalDeviceProperties (physical, &props);
  vkGetPhysicalDeviceMemoryProperties (physical, &mem);

  info->backend = HS_BACKEND_VULKAN;
  info->index = index;
  info->type = map_type (props.deviceType);
  info->name = g_strdup (props.deviceName);
  info->api_version = props.apiVersion;
  info->max_workgroup_invocations = props.limits.maxComputeWorkGroupInvocations;
  for (guint i = 0; i < 3; i++)
    info->max_workgroup_count[i] = props.limits.maxComputeWorkGroupCount[i];
  info->max_shared_memory = props.limits.maxComputeSharedMemorySize;
  info->max_storage_buffer_range = props.limits.maxStorageBufferRange;

  for (guint32 h = 0; h < mem.memoryHeapCount; h++)
    if (mem.memoryHeaps[h].flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT)
      info->memory_bytes = MAX (info->memory_bytes, mem.memoryHeaps[h].size);

  /* Subgroup properties are core in 1.1, driver properties in 1.2. */
  if (props.apiVersion >= VK_API_VERSION_1_1)
    {
      VkPhysicalDeviceDriverProperties driver = {
        .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES,
      };
      VkPhysicalDeviceSubgroupProperties subgroup = {
        .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES,
        .pNext = props.apiVersion >= VK_API_VERSION_1_2 ? &driver : NULL,
      };
      VkPhysicalDeviceProperties2 props2 = {
        .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2,
        .pNext = &subgroup,
      };
      vkGetPhysicalDeviceProperties2 (physical, &props2);
      info->subgroup_size = subgroup.subgroupSize;
      if (props.apiVersion >= VK_API_VERSION_1_2 && driver.driverName[0] != '\0')
        info->driver = driver.driverInfo[0] != '\0'
          ? g_strdup_printf ("%s %s", driver.driverName, driver.driverInfo)
          : g_strdup (driver.driverName);
    }
  if (info->driver == NULL)
    info->driver = g_strdup_printf ("driver version 0x%08x", props.driverVersion);
  return info;
}

gboolean
hs_vulkan_enumerate (GPtrArray *infos, GError **error)
{
  VkInstance instance;
  VkDebugUtilsMessengerEXT messenger;
  GPtrArray *list;

  g_return_val_if_fail (infos != NULL, FALSE);

  if (!create_instance (&instance, &messenger, error))
    return FALSE;
  list = physical_devices (instance, error);
  if (list != NULL)
    {
      for (guint i = 0; i < list->len; i++)
        g_ptr_array_add (infos, describe (g_ptr_array_index (list, i), i));
      g_ptr_array_free (list, TRUE);
    }
  destroy_instance (instance, messenger);
  return list != NULL;
}

void
hs_vk_fail_result (HsDevice *dev, VkResult result, const char *what)
{
  HsVkDevice *vk = hs_vk_get (dev);
  gint code;

  switch (result)
    {
    case VK_ERROR_OUT_OF_HOST_MEMORY:
    case VK_ERROR_OUT_OF_DEVICE_MEMORY:
    case VK_ERROR_TOO_MANY_OBJECTS:
    case VK_ERROR_FRAGMENTED_POOL:
    case VK_ERROR_OUT_OF_POOL_MEMORY:
      code = HS_COMPUTE_ERROR_OUT_OF_MEMORY;
      break;
    case VK_ERROR_DEVICE_LOST:
    case VK_TIMEOUT:
      vk->lost = TRUE;
      code = HS_COMPUTE_ERROR_DEVICE_LOST;
      break;
    default:
      code = HS_COMPUTE_ERROR_FAILED;
      break;
    }
  if (!hs_device_failed (dev))
    hs_device_fail (dev, code, "Vulkan device %s: %s failed (%s, VkResult %d)",
                    vk->props.deviceName, what,
                    code == HS_COMPUTE_ERROR_OUT_OF_MEMORY ? "out of memory" :
                    code == HS_COMPUTE_ERROR_DEVICE_LOST ? "device lost" : "error",
                    result);
}

/* Frees the backend state and the HsDevice itself (hs_device_unref() has
 * already taken the name and the error). */
static void
hs_vk_destroy (HsDevice *dev)
{
  HsVkDevice *vk = hs_vk_get (dev);

  /* Pending commands may use any block: finish them before freeing.  A lost
   * device is torn down without waiting. */
  if (vk->device != VK_NULL_HANDLE && !vk->lost)
    {
      hs_vk_submit_wait (dev);
      if (!vk->lost)
        vkDeviceWaitIdle (vk->device);
    }
  if (vk->device != VK_NULL_HANDLE)
    {
      hs_vk_record_cleanup (vk);
      hs_vk_memory_cleanup (vk);
      vkDestroyDevice (vk->device, NULL);
    }
  destroy_instance (vk->instance, vk->messenger);
  g_free (vk);
  g_free (dev->name);
  g_clear_error (&dev->error); /* the final wait may have failed */
  g_free (dev);
}

static HsBackendOps hs_vulkan_ops = {
  .name = "vulkan",
  .alloc = hs_vk_alloc,
  .release = hs_vk_release,
  .upload = hs_vk_upload,
  .download = hs_vk_download,
  .sync = hs_vk_sync,
  .fill = hs_vk_fill,
  .copy = hs_vk_copy,
  .destroy = hs_vk_destroy,
  .cast_u8 = hs_vk_cast_u8,
  .gemm = hs_vk_gemm,
  .conv2d = hs_vk_conv2d,
  .conv2d_backward_data = hs_vk_conv2d_backward_data,
  .conv2d_backward_filter = hs_vk_conv2d_backward_filter,
};

static const HsBackendOps *
get_ops (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      hs_vulkan_kernels_init (&hs_vulkan_ops);
      g_once_init_leave (&initialized, 1);
    }
  return &hs_vulkan_ops;
}

static gboolean
pick_queue_family (VkPhysicalDevice physical, guint32 *family)
{
  guint32 n = 0;
  g_autofree VkQueueFamilyProperties *families = NULL;

  vkGetPhysicalDeviceQueueFamilyProperties (physical, &n, NULL);
  families = g_new0 (VkQueueFamilyProperties, MAX (n, 1));
  vkGetPhysicalDeviceQueueFamilyProperties (physical, &n, families);
  /* The first family with compute: on GPUs that is the universal queue,
   * which every driver exercises most. */
  for (guint32 i = 0; i < n; i++)
    if ((families[i].queueFlags & VK_QUEUE_COMPUTE_BIT) && families[i].queueCount > 0)
      {
        *family = i;
        return TRUE;
      }
  return FALSE;
}

static gboolean
open_device (HsVkDevice *vk, guint index, gboolean *push_descriptors, GError **error)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autofree VkExtensionProperties *exts = NULL;
  guint32 n_exts = 0;
  const char *enabled[1];
  guint n_enabled = 0;
  VkResult r;

  list = physical_devices (vk->instance, error);
  if (list == NULL)
    return FALSE;
  if (index >= list->len)
    {
      g_set_error (error, HS_COMPUTE_ERROR, HS_COMPUTE_ERROR_NO_DEVICE,
                   "There is no Vulkan device %u (%u found)", index, list->len);
      return FALSE;
    }
  vk->physical = g_ptr_array_index (list, index);
  vkGetPhysicalDeviceProperties (vk->physical, &vk->props);
  vkGetPhysicalDeviceMemoryProperties (vk->physical, &vk->mem_props);

  /* Our SPIR-V targets Vulkan 1.2. */
  if (vk->props.apiVersion < VK_API_VERSION_1_2)
    {
      g_set_error (error, HS_COMPUTE_ERROR, HS_COMPUTE_ERROR_NO_DEVICE,
                   "The Vulkan device %s supports Vulkan %u.%u; 1.2 is needed",
                   vk->props.deviceName, VK_API_VERSION_MAJOR (vk->props.apiVersion),
                   VK_API_VERSION_MINOR (vk->props.apiVersion));
      return FALSE;
    }

  VkPhysicalDeviceMaintenance3Properties maint3 = {
    .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MAINTENANCE_3_PROPERTIES,
  };
  VkPhysicalDeviceProperties2 props2 = {
    .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2,
    .pNext = &maint3,
  };
  vkGetPhysicalDeviceProperties2 (vk->physical, &props2);
  vk->max_allocation = maint3.maxMemoryAllocationSize;
  if (vk->max_allocation == 0)
    vk->max_allocation = (VkDeviceSize) 1 << 30;

  if (!pick_queue_family (vk->physical, &vk->queue_family))
    {
      g_set_error (error, HS_COMPUTE_ERROR, HS_COMPUTE_ERROR_NO_DEVICE,
                   "The Vulkan device %s has no compute queue", vk->props.deviceName);
      return FALSE;
    }

  vkEnumerateDeviceExtensionProperties (vk->physical, NULL, &n_exts, NULL);
  exts = g_new0 (VkExtensionProperties, MAX (n_exts, 1));
  vkEnumerateDeviceExtensionProperties (vk->physical, NULL, &n_exts, exts);
  *push_descriptors = has_extension (exts, n_exts, VK_KHR_PUSH_DESCRIPTOR_EXTENSION_NAME) &&
                      !hs_vk_env_flag ("HS_VULKAN_NO_PUSH_DESCRIPTOR");
  if (*push_descriptors)
    enabled[n_enabled++] = VK_KHR_PUSH_DESCRIPTOR_EXTENSION_NAME;

  float priority = 1.0f;
  VkDeviceQueueCreateInfo queue_info = {
    .sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
    .queueFamilyIndex = vk->queue_family,
    .queueCount = 1,
    .pQueuePriorities = &priority,
  };
  VkDeviceCreateInfo device_info = {
    .sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO,
    .queueCreateInfoCount = 1,
    .pQueueCreateInfos = &queue_info,
    .enabledExtensionCount = n_enabled,
    .ppEnabledExtensionNames = enabled,
  };
  r = vkCreateDevice (vk->physical, &device_info, NULL, &vk->device);
  if (r != VK_SUCCESS)
    {
      vk->device = VK_NULL_HANDLE;
      g_set_error (error, HS_COMPUTE_ERROR, HS_COMPUTE_ERROR_NO_DEVICE,
                   "Could not open the Vulkan device %s (VkResult %d)", vk->props.deviceName, r);
      return FALSE;
    }
  vkGetDeviceQueue (vk->device, vk->queue_family, 0, &vk->queue);
  return TRUE;
}

HsDevice *
hs_vulkan_device_new (guint index, GError **error)
{
  HsDevice *dev = g_new0 (HsDevice, 1);
  HsVkDevice *vk = g_new0 (HsVkDevice, 1);
  gboolean push_descriptors = FALSE;
  const char *timeout = g_getenv ("HS_VULKAN_TIMEOUT");
  const char *gemm = g_getenv ("HS_VULKAN_GEMM");

  dev->ref_count = 1;
  dev->kind = HS_BACKEND_VULKAN;
  dev->ops = get_ops ();
  dev->priv = vk;
  vk->dev = dev;

  if (!create_instance (&vk->instance, &vk->messenger, error) ||
      !open_device (vk, index, &push_descriptors, error) ||
      !hs_vk_memory_init (vk, error) ||
      !hs_vk_record_init (vk, push_descriptors, error))
    {
      hs_vk_destroy (dev);
      return NULL;
    }

  vk->timeout_ns = (guint64) (timeout != NULL ? MAX (g_ascii_strtod (timeout, NULL), 1.0) : 120.0) *
                   G_GUINT64_CONSTANT (1000000000);
  /* lavapipe runs "shared" memory and barriers as plain CPU code, where a
   * register-blocked kernel is about twice as fast; GPUs want the tiles. */
  if (g_strcmp0 (gemm, "register") == 0)
    vk->gemm_kind = HS_VK_GEMM_REGISTER;
  else if (g_strcmp0 (gemm, "tiled") == 0)
    vk->gemm_kind = HS_VK_GEMM_TILED;
  else
    vk->gemm_kind = vk->props.deviceType == VK_PHYSICAL_DEVICE_TYPE_CPU
      ? HS_VK_GEMM_REGISTER : HS_VK_GEMM_TILED;
  /* The tiled kernel needs 256 invocations and ~8 KiB of shared memory;
   * Vulkan only guarantees 128 invocations. */
  if (vk->props.limits.maxComputeWorkGroupInvocations < 256 ||
      vk->props.limits.maxComputeWorkGroupSize[0] < 16 ||
      vk->props.limits.maxComputeWorkGroupSize[1] < 16 ||
      vk->props.limits.maxComputeSharedMemorySize < 16384)
    vk->gemm_kind = HS_VK_GEMM_REGISTER;

  dev->name = g_strdup_printf ("Vulkan: %s", vk->props.deviceName);
  g_debug ("opened %s (push descriptors %s, %s GEMM, %u memory types preferred)",
           vk->props.deviceName, push_descriptors ? "yes" : "no",
           vk->gemm_kind == HS_VK_GEMM_TILED ? "tiled" : "register-blocked", vk->n_mem_types);
  return dev;
}
