// SPDX-License-Identifier: GPL-2.0
/*
 * klp_rs_ipmodify: a second ftrace user that may change the instruction
 * pointer (FTRACE_OPS_FL_IPMODIFY) on klp_rs_target_value(), the function a
 * live patch also wants: only one such user per function, so whichever comes
 * second is refused with EBUSY (tests/test-bad-input.sh).
 */
#include <linux/ftrace.h>
#include <linux/module.h>

static void notrace klp_rs_ipmodify_handler(unsigned long ip,
					    unsigned long parent_ip,
					    struct ftrace_ops *op,
					    struct ftrace_regs *fregs)
{
}

static struct ftrace_ops klp_rs_ipmodify_ops = {
	.func = klp_rs_ipmodify_handler,
	.flags = FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_IPMODIFY,
};

static int __init klp_rs_ipmodify_init(void)
{
	static unsigned char name[] = "klp_rs_target_value";
	int ret;

	ret = ftrace_set_filter(&klp_rs_ipmodify_ops, name, strlen(name), 0);
	if (!ret)
		ret = register_ftrace_function(&klp_rs_ipmodify_ops);
	if (ret) {
		pr_err("klp_rs_ipmodify: cannot trace klp_rs_target_value: %d\n", ret);
		ftrace_free_filter(&klp_rs_ipmodify_ops);
	}
	return ret;
}

static void __exit klp_rs_ipmodify_exit(void)
{
	unregister_ftrace_function(&klp_rs_ipmodify_ops);
	ftrace_free_filter(&klp_rs_ipmodify_ops);
}

module_init(klp_rs_ipmodify_init);
module_exit(klp_rs_ipmodify_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("klp-rs IPMODIFY ftrace user");
