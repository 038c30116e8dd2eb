/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every op of hs-ops.h, forward and backward, against double-precision
 * references, on one backend:
 *
 *   test-ops --backend cpu|vulkan [--tap] [-p /ops/conv2d]
 *
 * Without --backend, HS_DEVICE picks (vulkan* → vulkan, else cpu).
 */
#include "hs-test-util.h"
#include "test-ops.h"

int
main (int argc, char **argv)
{
  ht_init (&argc, &argv);

  test_ops_basic_register ();
  test_ops_nn_register ();
  test_ops_shape_register ();
  test_ops_random_register ();
  test_ops_optim_register ();
  test_ops_errors_register ();

  return ht_run ();
}
