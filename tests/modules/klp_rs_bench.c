// SPDX-License-Identifier: GPL-2.0
/*
 * klp_rs_bench: the target of `make bench`'s per-call cost
 * (tests/suite-bench.sh).
 *
 * klp_rs_bench_fn() is a small function, arithmetic on its arguments, which
 * the C patch klp_rs_bench_patch_c and the Rust patch klp_rs_bench_patch
 * replace with the same body. Writing N to /sys/kernel/debug/klp_rs_bench/run
 * calls it N times in a loop, each call's result an argument of the next (so
 * that no call can be skipped), timed with ktime; reading that file gives
 * "calls N ns T result R" of the last run. The result is the same whichever
 * body ran: the loop checks that the patches change only who computes it.
 */
#include <linux/debugfs.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/uaccess.h>

noinline unsigned int klp_rs_bench_fn(unsigned int a, unsigned int b);
noinline unsigned int klp_rs_bench_fn(unsigned int a, unsigned int b)
{
	return a * 3 + (b ^ 5);
}

/* Called through a pointer the compiler cannot see through. */
static unsigned int (*volatile bench_fn)(unsigned int, unsigned int) = klp_rs_bench_fn;

/*
 * The Rust module klp_rs_bench_rust's functions of the same body, one plain,
 * one declared with klp::patchable! (the wrapper's cost): writing "plain",
 * "patchable" or "c" to .../target points the loop at one of them.
 */
static unsigned int (*rust_plain)(unsigned int, unsigned int);
static unsigned int (*rust_patchable)(unsigned int, unsigned int);

void klp_rs_bench_set_rust(unsigned int (*plain)(unsigned int, unsigned int),
			   unsigned int (*patchable)(unsigned int, unsigned int));

static DEFINE_MUTEX(run_lock);
static u64 last_calls, last_ns;
static unsigned int last_result;
static struct dentry *dir;

static ssize_t run_write(struct file *file, const char __user *buf, size_t count,
			 loff_t *ppos)
{
	unsigned int (*fn)(unsigned int, unsigned int);
	unsigned int result = 0;
	u64 n, i, start, end;
	int ret;

	ret = kstrtou64_from_user(buf, count, 0, &n);
	if (ret)
		return ret;
	if (!n || n > 1000000000ULL)
		return -EINVAL;
	mutex_lock(&run_lock);
	/* Under the lock: klp_rs_bench_set_rust() changes it, and the module goes away after. */
	fn = bench_fn;
	start = ktime_get_ns();
	for (i = 0; i < n; i++) {
		result = fn((unsigned int)i, result);
		/* A long run under TCG must not look like a soft lockup. */
		if (!(i & 0xffff))
			cond_resched();
	}
	end = ktime_get_ns();
	last_calls = n;
	last_ns = end - start;
	last_result = result;
	mutex_unlock(&run_lock);
	return count;
}

static ssize_t run_read(struct file *file, char __user *buf, size_t count,
			loff_t *ppos)
{
	char out[96];
	int len;

	mutex_lock(&run_lock);
	len = scnprintf(out, sizeof(out), "calls %llu ns %llu result %u\n",
			last_calls, last_ns, last_result);
	mutex_unlock(&run_lock);
	return simple_read_from_buffer(buf, count, ppos, out, len);
}

/* Register (or, with NULLs, unregister: the loop goes back to C) the Rust functions. */
void klp_rs_bench_set_rust(unsigned int (*plain)(unsigned int, unsigned int),
			   unsigned int (*patchable)(unsigned int, unsigned int))
{
	mutex_lock(&run_lock);
	rust_plain = plain;
	rust_patchable = patchable;
	bench_fn = klp_rs_bench_fn;
	mutex_unlock(&run_lock);
}
EXPORT_SYMBOL_GPL(klp_rs_bench_set_rust);

static ssize_t target_write(struct file *file, const char __user *buf, size_t count,
			    loff_t *ppos)
{
	char name[16];
	unsigned int (*fn)(unsigned int, unsigned int);
	ssize_t ret = count;

	if (count >= sizeof(name) || copy_from_user(name, buf, count))
		return -EINVAL;
	name[count] = 0;
	strim(name);
	mutex_lock(&run_lock);
	if (!strcmp(name, "c"))
		fn = klp_rs_bench_fn;
	else if (!strcmp(name, "plain"))
		fn = rust_plain;
	else if (!strcmp(name, "patchable"))
		fn = rust_patchable;
	else
		fn = ERR_PTR(-EINVAL);
	if (IS_ERR(fn))
		ret = PTR_ERR(fn);
	else if (!fn)
		ret = -ENODEV;
	else
		bench_fn = fn;
	mutex_unlock(&run_lock);
	return ret;
}

static const struct file_operations target_fops = { .write = target_write };

static const struct file_operations run_fops = {
	.read = run_read,
	.write = run_write,
};

static int __init klp_rs_bench_init(void)
{
	dir = debugfs_create_dir("klp_rs_bench", NULL);
	debugfs_create_file("run", 0600, dir, NULL, &run_fops);
	debugfs_create_file("target", 0200, dir, NULL, &target_fops);
	return 0;
}

static void __exit klp_rs_bench_exit(void)
{
	debugfs_remove_recursive(dir);
}

module_init(klp_rs_bench_init);
module_exit(klp_rs_bench_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("klp-rs bench target: a small function called in a timed loop");
