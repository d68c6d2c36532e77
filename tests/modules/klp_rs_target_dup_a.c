// SPDX-License-Identifier: GPL-2.0
/*
 * One of the two static klp_rs_target_dup() of klp_rs_target (see
 * klp_rs_target_main.c): the same name in two files makes it ambiguous.
 */
#include <linux/compiler.h>

int klp_rs_target_call_dup_a(void);

static int dup_value = 10;

static noinline int klp_rs_target_dup(void)
{
	return READ_ONCE(dup_value);
}

int klp_rs_target_call_dup_a(void)
{
	return klp_rs_target_dup();
}
