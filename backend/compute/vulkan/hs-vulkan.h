/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Vulkan backend's entry points, used by the device policy in hs-device.c.
 */
#pragma once

#include "hs-device.h"

G_BEGIN_DECLS

/* Append one HsDeviceInfo per Vulkan physical device to `infos` (index in
 * enumeration order).  FALSE with an error when there is no loader or no
 * instance can be created. */
gboolean  hs_vulkan_enumerate (GPtrArray *infos, GError **error);

/* Open physical device `index` as an HsDevice with the Vulkan op table.
 * Honours HS_VULKAN_VALIDATION=1. */
HsDevice *hs_vulkan_device_new (guint index, GError **error);

G_END_DECLS
