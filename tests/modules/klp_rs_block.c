// SPDX-License-Identifier: GPL-2.0
/*
 * klp_rs_block: a function that tasks can be made to sleep in, for the tests
 * of the consistency model (tests/test-consistency.sh).
 *
 * klp_rs_block_wait() sleeps, interruptibly, until "release" is written. It
 * is called by a read of /sys/kernel/debug/klp_rs_block/wait, from the
 * reading user task, and by the kthread klp_rs_blockd once per write to
 * .../kthread (its pid is in .../kthread_pid). The read returns what
 * klp_rs_block_wait() returned: 1 unpatched, a patch's value otherwise.
 *
 * After a write to .../kthread_once instead, the kthread's next sleep ends at
 * any wake-up, as in a kthread that sleeps once per turn of its loop: that is
 * the sleep the livepatch core's fake wake-up of kthreads can end.
 *
 * A Rust module registers its patchable functions with klp_rs_block_set_rust()
 * (tests/modules/klp_rs_patchable.rs, tests/test-patchable.sh): a read of
 * .../rust_wait calls its wait function, which sleeps here too, and a read of
 * .../rust_sum its six-argument function, with the arguments 1 to 6.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/wait.h>

static DECLARE_WAIT_QUEUE_HEAD(release_wq);
static atomic_t releases = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(kthread_wq);
static bool kthread_requested;
static bool kthread_once;
static struct task_struct *blockd;
static struct dentry *dir;

void klp_rs_block_sleep(void);

/*
 * Sleep until the next release; a (fake) signal ends the sleep early, and so
 * does any wake-up of the kthread after a write to kthread_once.
 */
void klp_rs_block_sleep(void)
{
	int seen = atomic_read(&releases);
	DEFINE_WAIT(wait);

	if (current == blockd && READ_ONCE(kthread_once)) {
		WRITE_ONCE(kthread_once, false);
		prepare_to_wait(&release_wq, &wait, TASK_INTERRUPTIBLE);
		if (atomic_read(&releases) == seen)
			schedule();
		finish_wait(&release_wq, &wait);
		return;
	}
	wait_event_interruptible(release_wq, atomic_read(&releases) != seen);
}
EXPORT_SYMBOL_GPL(klp_rs_block_sleep);

/*
 * What klp_rs_block_wait() returns, read after the sleep: a constant would let
 * the compiler turn the call into a tail call and leave no frame of
 * klp_rs_block_wait() on the sleeper's stack for the livepatch core to find.
 */
static int unpatched_result = 1;

static noinline int klp_rs_block_wait(void)
{
	klp_rs_block_sleep();
	return READ_ONCE(unpatched_result);
}

/* The Rust module's functions, called through these pointers under rust_lock. */
static DEFINE_MUTEX(rust_lock);
static int (*rust_wait)(void);
static long (*rust_sum6)(long, long, long, long, long, long);

void klp_rs_block_set_rust(int (*wait)(void),
			   long (*sum6)(long, long, long, long, long, long));

/* Register (or, with NULLs, unregister) the Rust module's functions. */
void klp_rs_block_set_rust(int (*wait)(void),
			   long (*sum6)(long, long, long, long, long, long))
{
	mutex_lock(&rust_lock);
	rust_wait = wait;
	rust_sum6 = sum6;
	mutex_unlock(&rust_lock);
}
EXPORT_SYMBOL_GPL(klp_rs_block_set_rust);

static int blockd_fn(void *unused)
{
	while (!kthread_should_stop()) {
		wait_event_interruptible(kthread_wq, READ_ONCE(kthread_requested) ||
					 kthread_should_stop());
		if (READ_ONCE(kthread_requested)) {
			WRITE_ONCE(kthread_requested, false);
			pr_info("klp_rs_blockd: klp_rs_block_wait() = %d\n",
				klp_rs_block_wait());
		}
	}
	return 0;
}

static ssize_t wait_read(struct file *file, char __user *buf, size_t count,
			 loff_t *ppos)
{
	char out[16];
	int len;

	if (*ppos)
		return 0;
	len = scnprintf(out, sizeof(out), "%d\n", klp_rs_block_wait());
	return simple_read_from_buffer(buf, count, ppos, out, len);
}

static ssize_t release_write(struct file *file, const char __user *buf,
			     size_t count, loff_t *ppos)
{
	atomic_inc(&releases);
	wake_up_all(&release_wq);
	return count;
}

static ssize_t kthread_write(struct file *file, const char __user *buf,
			     size_t count, loff_t *ppos)
{
	WRITE_ONCE(kthread_requested, true);
	wake_up(&kthread_wq);
	return count;
}

static ssize_t kthread_once_write(struct file *file, const char __user *buf,
				  size_t count, loff_t *ppos)
{
	WRITE_ONCE(kthread_once, true);
	return kthread_write(file, buf, count, ppos);
}

static ssize_t kthread_pid_read(struct file *file, char __user *buf,
				size_t count, loff_t *ppos)
{
	char out[16];
	int len = scnprintf(out, sizeof(out), "%d\n", task_pid_nr(blockd));

	return simple_read_from_buffer(buf, count, ppos, out, len);
}

/*
 * Call the Rust module's function: the module cannot go away meanwhile, its
 * exit unregisters under the same lock. A sleeper in rust_wait holds the lock,
 * so that unregistering waits for it: "release" ends the sleep first.
 */
static ssize_t rust_read(struct file *file, char __user *buf, size_t count,
			 loff_t *ppos, bool wait)
{
	char out[24];
	long result;
	int len;

	if (*ppos)
		return 0;
	mutex_lock(&rust_lock);
	if (!rust_wait || !rust_sum6) {
		mutex_unlock(&rust_lock);
		return -ENODEV;
	}
	result = wait ? rust_wait() : rust_sum6(1, 2, 3, 4, 5, 6);
	mutex_unlock(&rust_lock);
	len = scnprintf(out, sizeof(out), "%ld\n", result);
	return simple_read_from_buffer(buf, count, ppos, out, len);
}

static ssize_t rust_wait_read(struct file *file, char __user *buf, size_t count,
			      loff_t *ppos)
{
	return rust_read(file, buf, count, ppos, true);
}

static ssize_t rust_sum_read(struct file *file, char __user *buf, size_t count,
			     loff_t *ppos)
{
	return rust_read(file, buf, count, ppos, false);
}

static const struct file_operations wait_fops = { .read = wait_read };
static const struct file_operations rust_wait_fops = { .read = rust_wait_read };
static const struct file_operations rust_sum_fops = { .read = rust_sum_read };
static const struct file_operations release_fops = { .write = release_write };
static const struct file_operations kthread_fops = { .write = kthread_write };
static const struct file_operations kthread_once_fops = { .write = kthread_once_write };
static const struct file_operations kthread_pid_fops = { .read = kthread_pid_read };

static int __init klp_rs_block_init(void)
{
	blockd = kthread_run(blockd_fn, NULL, "klp_rs_blockd");
	if (IS_ERR(blockd))
		return PTR_ERR(blockd);
	dir = debugfs_create_dir("klp_rs_block", NULL);
	debugfs_create_file("wait", 0444, dir, NULL, &wait_fops);
	debugfs_create_file("release", 0200, dir, NULL, &release_fops);
	debugfs_create_file("kthread", 0200, dir, NULL, &kthread_fops);
	debugfs_create_file("kthread_once", 0200, dir, NULL, &kthread_once_fops);
	debugfs_create_file("kthread_pid", 0444, dir, NULL, &kthread_pid_fops);
	debugfs_create_file("rust_wait", 0444, dir, NULL, &rust_wait_fops);
	debugfs_create_file("rust_sum", 0444, dir, NULL, &rust_sum_fops);
	return 0;
}

static void __exit klp_rs_block_exit(void)
{
	debugfs_remove_recursive(dir);
	atomic_inc(&releases);
	wake_up_all(&release_wq);
	kthread_stop(blockd);
}

module_init(klp_rs_block_init);
module_exit(klp_rs_block_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("klp-rs consistency model test target");
