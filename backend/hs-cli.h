/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int hs_cli_devices (int argc, char **argv);
int hs_cli_bench (int argc, char **argv);

G_END_DECLS
