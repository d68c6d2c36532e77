// SPDX-License-Identifier: GPL-2.0
/*
 * A C live patch of the Rust module klp_rs_patchable (tests/test-patchable.sh):
 * klp_rs_patchable_wait() returns 3 at once, klp_rs_patchable_sum6() weighs
 * its arguments by their position squared (441 for 1 to 6, where the
 * unpatched function gives 91 and the Rust patch 21).
 */
#include <linux/livepatch.h>
#include <linux/module.h>

static int new_wait(void)
{
	return 3;
}

static long new_sum6(long a, long b, long c, long d, long e, long f)
{
	return a + 4 * b + 9 * c + 16 * d + 25 * e + 36 * f;
}

static struct klp_func funcs[] = {
	{ .old_name = "klp_rs_patchable_wait", .new_func = new_wait },
	{ .old_name = "klp_rs_patchable_sum6", .new_func = new_sum6 },
	{}
};

static struct klp_object objs[] = {
	{ .name = "klp_rs_patchable", .funcs = funcs },
	{}
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init klp_rs_patch_patchable_c_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit klp_rs_patch_patchable_c_exit(void)
{
}

module_init(klp_rs_patch_patchable_c_init);
module_exit(klp_rs_patch_patchable_c_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("klp-rs: C live patch of a patchable Rust function");
