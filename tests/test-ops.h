/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The parts of test-ops: each registers its tests.
 */
#pragma once

void test_ops_basic_register (void);
void test_ops_nn_register (void);
void test_ops_shape_register (void);
void test_ops_random_register (void);
void test_ops_optim_register (void);
void test_ops_errors_register (void);
