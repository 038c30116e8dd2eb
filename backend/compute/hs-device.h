/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Compute devices and the policy that picks one.
 *
 * HS_DEVICE=auto (the default) picks a Vulkan GPU (discrete, then integrated,
 * then virtual) and otherwise the CPU backend; a CPU-type Vulkan device
 * (Mesa lavapipe) is only used with HS_DEVICE=vulkan; HS_DEVICE=cpu forces the
 * CPU backend.  HS_VULKAN_VALIDATION=1 loads the Khronos validation layer with
 * synchronization validation and counts its messages.
 */
#pragma once

#include "hs-types.h"

G_BEGIN_DECLS

#define HS_COMPUTE_ERROR (hs_compute_error_quark ())
GQuark hs_compute_error_quark (void);

typedef enum {
  HS_COMPUTE_ERROR_NO_DEVICE,
  HS_COMPUTE_ERROR_DEVICE_LOST,
  HS_COMPUTE_ERROR_OUT_OF_MEMORY,
  HS_COMPUTE_ERROR_PIPELINE,
  HS_COMPUTE_ERROR_SHAPE,
  HS_COMPUTE_ERROR_INVALID,
  HS_COMPUTE_ERROR_FAILED,
} HsComputeError;

typedef enum {
  HS_DEVICE_TYPE_CPU,            /* the OpenBLAS backend */
  HS_DEVICE_TYPE_DISCRETE_GPU,
  HS_DEVICE_TYPE_INTEGRATED_GPU,
  HS_DEVICE_TYPE_VIRTUAL_GPU,
  HS_DEVICE_TYPE_VULKAN_CPU,     /* a software Vulkan device such as lavapipe */
  HS_DEVICE_TYPE_OTHER,
} HsDeviceType;

/* What `hyperstar-cli devices` shows about one device. */
typedef struct {
  HsBackendKind backend;
  guint index;            /* Vulkan physical-device index */
  HsDeviceType type;
  char *name;
  char *driver;
  guint64 memory_bytes;   /* largest device-local heap, or RAM for the CPU */
  guint threads;          /* CPU threads (CPU backend) */
  /* Vulkan limits that shape our kernels. */
  guint32 api_version;
  guint32 max_workgroup_invocations;
  guint32 max_workgroup_count[3];
  guint32 max_shared_memory;
  guint64 max_storage_buffer_range;
  guint32 subgroup_size;
} HsDeviceInfo;

void        hs_device_info_free (HsDeviceInfo *info);
const char *hs_device_type_to_string (HsDeviceType type);

/* Every device we can see: the CPU backend first, then each Vulkan physical
 * device.  Never fails: a machine without Vulkan lists only the CPU (and
 * *vulkan_error, when non-NULL, says why). */
GPtrArray  *hs_device_list (GError **vulkan_error);
/* The entry of `list` that `policy` ("auto", "cpu", "vulkan", or
 * "vulkan:N") would choose, or NULL with an error. */
HsDeviceInfo *hs_device_choose (GPtrArray *list, const char *policy, GError **error);

/* Open a device by policy; NULL policy reads HS_DEVICE (default "auto"). */
HsDevice   *hs_device_new (const char *policy, GError **error);
HsDevice   *hs_device_ref (HsDevice *device);
void        hs_device_unref (HsDevice *device);
const char *hs_device_get_name (HsDevice *device);
HsBackendKind hs_device_get_backend (HsDevice *device);

/* Wait for every pending kernel; reports (and clears) the device's first
 * failure since the last call. */
gboolean    hs_device_sync (HsDevice *device, GError **error);
gboolean    hs_device_take_error (HsDevice *device, GError **error);

/* Vulkan validation messages (warnings and errors) seen by this process when
 * HS_VULKAN_VALIDATION=1; tests assert it stays 0. */
guint       hs_vulkan_validation_message_count (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsDevice, hs_device_unref)

G_END_DECLS
