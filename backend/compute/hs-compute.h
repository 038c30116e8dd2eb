/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hs-types.h"
#include "hs-device.h"
#include "hs-tensor.h"
#include "hs-ops.h"
#include "hs-tape.h"
#include "hs-optim.h"
