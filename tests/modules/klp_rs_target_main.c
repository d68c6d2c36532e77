// SPDX-License-Identifier: GPL-2.0
/*
 * klp_rs_target: a C module whose functions the bad-input tests try to patch
 * (tests/test-bad-input.sh). Besides two same-named static functions (one in
 * each source file, so that the name is ambiguous) it has a traceable
 * function and a notrace one. Reading /sys/kernel/debug/klp_rs_target calls
 * them all and shows what they return.
 */
#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/seq_file.h>

int klp_rs_target_call_dup_a(void);
int klp_rs_target_call_dup_b(void);

static int value = 1, notrace_value = 3;

static noinline int klp_rs_target_value(void)
{
	return READ_ONCE(value);
}

static noinline notrace int klp_rs_target_notrace(void)
{
	return READ_ONCE(notrace_value);
}

static int klp_rs_target_show(struct seq_file *m, void *v)
{
	seq_printf(m, "value=%d dup_a=%d dup_b=%d notrace=%d\n",
		   klp_rs_target_value(), klp_rs_target_call_dup_a(),
		   klp_rs_target_call_dup_b(), klp_rs_target_notrace());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(klp_rs_target);

static struct dentry *file;

static int __init klp_rs_target_init(void)
{
	file = debugfs_create_file("klp_rs_target", 0444, NULL, NULL,
				   &klp_rs_target_fops);
	return 0;
}

static void __exit klp_rs_target_exit(void)
{
	debugfs_remove(file);
}

module_init(klp_rs_target_init);
module_exit(klp_rs_target_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("klp-rs bad-input test target");
