/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Search methods: search spaces, schedulers and evaluators (one include
 * for all of backend/hpo/).
 */
#pragma once

#include "hs-hpo-types.h"
#include "hs-search-space.h"
#include "hs-evaluator.h"
#include "hs-scheduler.h"
#include "hs-bohb.h"
