// SPDX-License-Identifier: GPL-2.0
/*
 * klp_rs_bench_patch_c: the C twin of klp_rs_bench_patch.rs, replacing
 * klp_rs_bench_fn() of klp_rs_bench with the same body (`make bench`).
 */
#include <linux/livepatch.h>
#include <linux/module.h>

static unsigned int livepatch_bench_fn(unsigned int a, unsigned int b)
{
	return a * 3 + (b ^ 5);
}

static struct klp_func funcs[] = {
	{
		.old_name = "klp_rs_bench_fn",
		.new_func = livepatch_bench_fn,
	},
	{}
};

static struct klp_object objs[] = {
	{
		.name = "klp_rs_bench",
		.funcs = funcs,
	},
	{}
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init klp_rs_bench_patch_c_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit klp_rs_bench_patch_c_exit(void)
{
}

module_init(klp_rs_bench_patch_c_init);
module_exit(klp_rs_bench_patch_c_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("klp-rs bench: C live patch of klp_rs_bench_fn()");
MODULE_INFO(livepatch, "Y");
