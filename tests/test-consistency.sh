# SPDX-License-Identifier: GPL-2.0
# The hybrid consistency model: a task sleeping in a function under patch
# keeps the transition open and stays in the old state while the others
# switch; releasing it completes the transition. Also its escape hatches:
# the fake signal, reversal, EBUSY for a second patch, and force. The target
# is the C module klp_rs_block, the patch the Rust klp_rs_patch_block.
# Sourced by tests/suite-check.sh; the force test must come last, as it
# leaves a module that can never be removed.

BLOCK=klp_rs_block
BLOCK_PATCH=klp_rs_patch_block
BLOCK_DIR=/sys/kernel/debug/klp_rs_block
BLOCKED_OUT=/tmp/blocked.out

# Load the target, with the kernel's per-task transition messages on.
setup_block() {
	reset_livepatch $BLOCK
	echo 'func klp_try_switch_task +p' >/sys/kernel/debug/dynamic_debug/control
	load_mod $RUST_MODULES/$BLOCK.ko
}

# Wake every sleeper and silence the per-task messages: the runner's cleanup
# after each test here, passed or failed, before it removes the modules (a
# sleeper would hold a transition open, and the messages would reach the
# next tests' transcripts).
release_block() {
	[[ ! -e $BLOCK_DIR/release ]] || echo 1 >$BLOCK_DIR/release
	echo 'func klp_try_switch_task -p' >/sys/kernel/debug/dynamic_debug/control
}

# Silence the per-task messages again and remove the target.
teardown_block() {
	echo 'func klp_try_switch_task -p' >/sys/kernel/debug/dynamic_debug/control
	reset_livepatch $BLOCK
}

# Wait until the task $1 sleeps in klp_rs_block_sleep(), which both the old
# and the new klp_rs_block_wait() call (/proc/<pid>/wchan names it).
wait_sleeping() {
	loop_until "[[ \$(cat /proc/$1/wchan) == klp_rs_block_sleep ]]"
}

# Start a user task that reads $BLOCK_DIR/wait, and so sleeps in whatever
# klp_rs_block_wait() is current; set BLOCKED_PID.
block_user_task() {
	cat $BLOCK_DIR/wait >$BLOCKED_OUT &
	BLOCKED_PID=$!
	wait_sleeping $BLOCKED_PID
}

# Wait until the kernel has found task $1 sleeping in klp_rs_block_wait() at
# two successive attempts to switch it.
wait_retried() {
	loop_until "[[ \$(log_since_mark_grep -c ':$1 is sleeping on function klp_rs_block_wait') -ge 2 ]]"
}

# Block a user task in the old function, load the patch and wait until the
# kernel has found the task holding the transition.
start_stuck_patching() {
	block_user_task
	load_mod $RUST_MODULES/$BLOCK_PATCH.ko
	wait_retried $BLOCKED_PID
}

# Release every sleeper; then the reader $BLOCKED_PID must end having read $1.
release_user_task() {
	echo 1 >$BLOCK_DIR/release
	wait $BLOCKED_PID || fail "the blocked reader failed"
	assert_eq "$(cat $BLOCKED_OUT)" "$1" "what the blocked reader read"
}

# Wait until the kernel has freed $BLOCK_PATCH; fail unless it has logged the
# string $1, which says how the transition ended, since the test began.
wait_patch_freed() {
	loop_until "[[ ! -e $SYSFS_KLP/$BLOCK_PATCH ]]"
	log_since_mark_contains "$1" || fail "not in dmesg since the test began: $1"
}

# Fail unless /proc/$1/patch_state is $2.
assert_patch_state() {
	assert_eq "$(cat /proc/$1/patch_state)" "$2" "patch_state of pid $1"
}

# Patching with a user task asleep in the old function: it stays unpatched (0)
# while this shell switches (1), until it is released.
test_consistency_user_patching() {
	setup_block
	start_stuck_patching
	assert_eq "$(cat $SYSFS_KLP/$BLOCK_PATCH/transition)" 1 "transition"
	assert_patch_state $BLOCKED_PID 0
	assert_patch_state $BASHPID 1
	release_user_task 1
	wait_for_transition $BLOCK_PATCH
	assert_patch_state $BASHPID -1
	# New readers run the replacement, which returns 2.
	block_user_task
	release_user_task 2
	disable_lp $BLOCK_PATCH
	unload_mod $BLOCK_PATCH
	teardown_block
}

# Unpatching with a user task asleep in the new (Rust) function: it stays
# patched (1) while this shell switches back (0), until it is released.
test_consistency_user_unpatching() {
	setup_block
	load_lp $RUST_MODULES/$BLOCK_PATCH.ko
	block_user_task
	log "% echo 0 > $SYSFS_KLP/$BLOCK_PATCH/enabled"
	echo 0 >$SYSFS_KLP/$BLOCK_PATCH/enabled
	wait_retried $BLOCKED_PID
	assert_eq "$(cat $SYSFS_KLP/$BLOCK_PATCH/transition)" 1 "transition"
	assert_patch_state $BLOCKED_PID 1
	assert_patch_state $BASHPID 0
	release_user_task 2
	loop_until "[[ ! -e $SYSFS_KLP/$BLOCK_PATCH ]]"
	unload_mod $BLOCK_PATCH
	teardown_block
}

# Patching with a kthread asleep in the old function: same as a user task.
test_consistency_kthread() {
	local kpid
	setup_block
	kpid=$(cat $BLOCK_DIR/kthread_pid)
	echo 1 >$BLOCK_DIR/kthread
	wait_sleeping "$kpid"
	load_mod $RUST_MODULES/$BLOCK_PATCH.ko
	wait_retried "$kpid"
	assert_eq "$(cat $SYSFS_KLP/$BLOCK_PATCH/transition)" 1 "transition"
	assert_patch_state "$kpid" 0
	assert_patch_state $BASHPID 1
	echo 1 >$BLOCK_DIR/release
	wait_for_transition $BLOCK_PATCH
	loop_until "log_since_mark_contains 'klp_rs_blockd: klp_rs_block_wait() = 1'"
	disable_lp $BLOCK_PATCH
	unload_mod $BLOCK_PATCH
	teardown_block
}

# Writing 0 to enabled mid-transition reverses it: the sleeping task never
# left the unpatched state, so the reversal completes without releasing it,
# and the kernel frees the patch.
test_consistency_reversal() {
	setup_block
	start_stuck_patching
	log "% echo 0 > $SYSFS_KLP/$BLOCK_PATCH/enabled"
	echo 0 >$SYSFS_KLP/$BLOCK_PATCH/enabled
	wait_patch_freed "'$BLOCK_PATCH': reversing transition from patching to unpatching"
	assert_patch_state $BLOCKED_PID -1
	release_user_task 1
	unload_mod $BLOCK_PATCH
	teardown_block
}

# While a patch is in transition, another patch is refused with EBUSY.
test_consistency_busy() {
	setup_block
	start_stuck_patching
	load_failing_mod $RUST_MODULES/klp_rs_replace_base.ko "Device or resource busy"
	assert_absent $SYSFS_KLP/klp_rs_replace_base
	assert_eq "$(cat $SYSFS_KLP/$BLOCK_PATCH/transition)" 1 "transition"
	release_user_task 1
	wait_for_transition $BLOCK_PATCH
	disable_lp $BLOCK_PATCH
	unload_mod $BLOCK_PATCH
	teardown_block
}

# Wait, up to 40 s, for the transition of $BLOCK_PATCH started $1 seconds
# after boot (SECONDS) to complete by itself; fail if it did before the
# kernel's fake signals, sent after 15 retries, one a second.
wait_fake_signal_completion() {
	POLL_MAX=400 loop_until "[[ \$(cat $SYSFS_KLP/$BLOCK_PATCH/transition) == 0 ]]"
	((SECONDS - $1 >= 15)) ||
		fail "the transition completed after $((SECONDS - $1)) s, before any fake signal"
	log_since_mark_contains 'livepatch: signaling remaining tasks' || fail "no fake signal in dmesg"
	echo "the transition completed by itself after $((SECONDS - $1)) s"
}

# Left alone, the transition completes anyway: after 15 s the kernel sends
# the blocking task a fake signal, its interruptible sleep ends, and it
# switches on its way back to user space.
test_consistency_fake_signal() {
	local start
	setup_block
	block_user_task
	start=$SECONDS
	load_mod $RUST_MODULES/$BLOCK_PATCH.ko
	wait_retried $BLOCKED_PID
	wait_fake_signal_completion $start
	wait $BLOCKED_PID || fail "the blocked reader failed"
	assert_eq "$(cat $BLOCKED_OUT)" 1 "what the signalled reader read"
	disable_lp $BLOCK_PATCH
	unload_mod $BLOCK_PATCH
	teardown_block
}

# The same for a kthread that sleeps once per turn of its loop: the kernel's
# fake wake-up ends its sleep in the old function, the kthread returns to its
# loop, outside the function, and the next retry switches it.
test_consistency_kthread_wakeup() {
	local kpid start
	setup_block
	kpid=$(cat $BLOCK_DIR/kthread_pid)
	echo 1 >$BLOCK_DIR/kthread_once
	wait_sleeping "$kpid"
	start=$SECONDS
	load_mod $RUST_MODULES/$BLOCK_PATCH.ko
	wait_retried "$kpid"
	assert_patch_state "$kpid" 0
	wait_fake_signal_completion $start
	log_since_mark_contains 'klp_rs_blockd: klp_rs_block_wait() = 1' ||
		fail "the kthread did not return from the old function"
	disable_lp $BLOCK_PATCH
	unload_mod $BLOCK_PATCH
	teardown_block
}

# klpctl force (echo 1 > force) completes a stuck unpatching transition at once; as
# documented, the patch module can then never be removed (the kernel keeps
# its reference, since a task may still run the new code), and neither can
# the target, whose klp_rs_block_sleep() it calls. Must run last.
test_consistency_force() {
	local err
	setup_block
	load_lp $RUST_MODULES/$BLOCK_PATCH.ko
	block_user_task
	echo 0 >$SYSFS_KLP/$BLOCK_PATCH/enabled
	wait_retried $BLOCKED_PID
	assert_patch_state $BLOCKED_PID 1
	# Through klpctl (tools/klpctl), which refuses without the confirmation.
	if err=$(klpctl force $BLOCK_PATCH 2>&1); then
		fail "klpctl force without --yes-i-understand-the-module-stays forced"
	fi
	[[ $err == *"can never be removed afterwards"* ]] || fail "klpctl force: unexpected error '$err'"
	assert_eq "$(cat $SYSFS_KLP/$BLOCK_PATCH/transition)" 1 "transition"
	log "% klpctl force $BLOCK_PATCH --yes-i-understand-the-module-stays"
	klpctl force $BLOCK_PATCH --yes-i-understand-the-module-stays || fail "klpctl force failed"
	wait_patch_freed 'livepatch: forcing remaining tasks to the patched state'
	assert_patch_state $BLOCKED_PID -1
	release_user_task 2
	assert_eq "$(cat /sys/module/$BLOCK_PATCH/refcnt)" 1 "refcnt of $BLOCK_PATCH"
	if err=$(rmmod $BLOCK_PATCH 2>&1); then
		fail "a module whose unpatching was forced could be removed"
	fi
	[[ $err == *"Module $BLOCK_PATCH is in use" ]] || fail "rmmod: unexpected error '$err'"
	echo "$err"
	keep_module $BLOCK_PATCH
	keep_module $BLOCK
	echo 'func klp_try_switch_task -p' >/sys/kernel/debug/dynamic_debug/control
}

# Register a test of this file, "consistency: $1", run as the command $2...,
# with release_block as its cleanup.
consistency_test() {
	klp_test --cleanup release_block "consistency: $1" "${@:2}"
}

consistency_test "a user task asleep in the old function holds the patching" \
	test_consistency_user_patching
consistency_test "a user task asleep in the new function holds the unpatching" \
	test_consistency_user_unpatching
consistency_test "a kthread asleep in the old function holds the patching" test_consistency_kthread
consistency_test "disabling mid-transition reverses it" test_consistency_reversal
consistency_test "a second patch is refused with EBUSY mid-transition" test_consistency_busy
consistency_test "the fake signal completes a stuck transition" test_consistency_fake_signal
consistency_test "the fake wake-up completes a transition a kthread holds" \
	test_consistency_kthread_wakeup
consistency_test "force completes a stuck unpatching, the module stays" test_consistency_force
