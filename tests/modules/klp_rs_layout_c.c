// SPDX-License-Identifier: GPL-2.0
/*
 * klp_rs_layout_c: the layout, as the C compiler sees it, of every kernel
 * struct and field that klp-rs or its tests access through Rust bindings, in
 * /sys/kernel/klp_rs_layout_c/layout. klp_rs_layout.rs shows the same lines
 * as rustc sees them; tests/test-layout.sh fails on any difference.
 */
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/sysfs.h>

#define STRUCT(type)                                                          \
	{ #type, "size", sizeof(struct type), "align", __alignof__(struct type) }
#define FIELD(type, field)                                                    \
	{ #type "." #field, "offset", offsetof(struct type, field), "size",   \
	  sizeof_field(struct type, field) }

/* Keep in the order of klp_rs_layout.rs, which prints the same lines. */
static const struct {
	const char *name;
	const char *first;
	size_t first_value;
	const char *second;
	size_t second_value;
} klp_rs_layout[] = {
	STRUCT(klp_func),
	FIELD(klp_func, old_name),
	FIELD(klp_func, new_func),
	FIELD(klp_func, old_sympos),
	FIELD(klp_func, old_func),
	FIELD(klp_func, kobj),
	FIELD(klp_func, node),
	FIELD(klp_func, stack_node),
	FIELD(klp_func, old_size),
	FIELD(klp_func, new_size),
	FIELD(klp_func, nop),
	FIELD(klp_func, patched),
	FIELD(klp_func, transition),

	STRUCT(klp_callbacks),
	FIELD(klp_callbacks, pre_patch),
	FIELD(klp_callbacks, post_patch),
	FIELD(klp_callbacks, pre_unpatch),
	FIELD(klp_callbacks, post_unpatch),
	FIELD(klp_callbacks, post_unpatch_enabled),

	STRUCT(klp_object),
	FIELD(klp_object, name),
	FIELD(klp_object, funcs),
	FIELD(klp_object, callbacks),
	FIELD(klp_object, kobj),
	FIELD(klp_object, func_list),
	FIELD(klp_object, node),
	FIELD(klp_object, mod),
	FIELD(klp_object, dynamic),
	FIELD(klp_object, patched),

	STRUCT(klp_state),
	FIELD(klp_state, id),
	FIELD(klp_state, version),
	FIELD(klp_state, data),

	STRUCT(klp_patch),
	FIELD(klp_patch, mod),
	FIELD(klp_patch, objs),
	FIELD(klp_patch, states),
	FIELD(klp_patch, replace),
	FIELD(klp_patch, list),
	FIELD(klp_patch, kobj),
	FIELD(klp_patch, obj_list),
	FIELD(klp_patch, enabled),
	FIELD(klp_patch, forced),
	FIELD(klp_patch, free_work),
	FIELD(klp_patch, finish),

	STRUCT(module),
	FIELD(module, state),
	FIELD(module, name),

	STRUCT(kernel_param),
	FIELD(kernel_param, name),
	FIELD(kernel_param, mod),
	FIELD(kernel_param, ops),
	FIELD(kernel_param, perm),
	FIELD(kernel_param, level),
	FIELD(kernel_param, flags),
	FIELD(kernel_param, arg),

	STRUCT(kparam_array),
	FIELD(kparam_array, max),
	FIELD(kparam_array, elemsize),
	FIELD(kparam_array, num),
	FIELD(kparam_array, ops),
	FIELD(kparam_array, elem),

	STRUCT(kobj_attribute),
	FIELD(kobj_attribute, attr),
	FIELD(kobj_attribute, attr.name),
	FIELD(kobj_attribute, attr.mode),
	FIELD(kobj_attribute, show),
	FIELD(kobj_attribute, store),

	STRUCT(list_head),
	FIELD(list_head, next),
	FIELD(list_head, prev),

	STRUCT(task_struct),
	FIELD(task_struct, thread_info),
	FIELD(task_struct, stack),
	FIELD(task_struct, se),
	FIELD(task_struct, rt),
	FIELD(task_struct, dl),
	FIELD(task_struct, sched_info),
	FIELD(task_struct, tasks),
	FIELD(task_struct, mm),
	FIELD(task_struct, exit_state),
	FIELD(task_struct, jobctl),
	FIELD(task_struct, personality),
	FIELD(task_struct, atomic_flags),
	FIELD(task_struct, restart_block),
	FIELD(task_struct, pid),
	FIELD(task_struct, tgid),
	FIELD(task_struct, real_parent),
	FIELD(task_struct, comm),
	FIELD(task_struct, thread),
};

static ssize_t layout_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	int len = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(klp_rs_layout); i++)
		len += sysfs_emit_at(buf, len, "%s: %s %zu, %s %zu\n",
				     klp_rs_layout[i].name,
				     klp_rs_layout[i].first,
				     klp_rs_layout[i].first_value,
				     klp_rs_layout[i].second,
				     klp_rs_layout[i].second_value);
	return len;
}

static struct kobj_attribute layout_attr = __ATTR_RO(layout);
static struct kobject *klp_rs_layout_kobj;

static int __init klp_rs_layout_c_init(void)
{
	int ret;

	klp_rs_layout_kobj = kobject_create_and_add("klp_rs_layout_c", kernel_kobj);
	if (!klp_rs_layout_kobj)
		return -ENOMEM;
	ret = sysfs_create_file(klp_rs_layout_kobj, &layout_attr.attr);
	if (ret)
		kobject_put(klp_rs_layout_kobj);
	return ret;
}

static void __exit klp_rs_layout_c_exit(void)
{
	kobject_put(klp_rs_layout_kobj);
}

module_init(klp_rs_layout_c_init);
module_exit(klp_rs_layout_c_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("klp-rs: C layout of the kernel structs Rust reads");
