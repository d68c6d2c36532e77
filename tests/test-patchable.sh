# SPDX-License-Identifier: GPL-2.0
# Live-patching Rust code: klp::patchable! makes the Rust functions of
# tests/modules/klp_rs_patchable.rs ftrace locations, which a Rust and a C
# patch replace under the full consistency model. klp_rs_block's debugfs files
# call them: rust_sum calls klp_rs_patchable_sum6(1, ..., 6) (91 unpatched, 21
# under the Rust patch, 441 under the C one), rust_wait calls
# klp_rs_patchable_wait(), which sleeps until released and returns 1 (the
# patches return 2 and 3 at once). Sourced by tests/suite-check.sh.

PATCHABLE=klp_rs_patchable
PATCHABLE_BLOCK=klp_rs_block
PATCHABLE_RUST=klp_rs_patch_patchable
PATCHABLE_C=klp_rs_patch_patchable_c
PATCHABLE_DIR=/sys/kernel/debug/klp_rs_block
PATCHABLE_OUT=/tmp/patchable-wait.out
if [[ -e /sys/kernel/tracing/trace ]]; then
	PATCHABLE_TRACING=/sys/kernel/tracing
else
	PATCHABLE_TRACING=/sys/kernel/debug/tracing
fi

# Load klp_rs_block and, unless $1 is "block-only", the Rust target.
setup_patchable() {
	reset_livepatch $PATCHABLE $PATCHABLE_BLOCK
	echo 'func klp_try_switch_task +p' >/sys/kernel/debug/dynamic_debug/control
	load_mod $RUST_MODULES/$PATCHABLE_BLOCK.ko
	[[ ${1-} == block-only ]] || load_mod $RUST_MODULES/$PATCHABLE.ko
}

# The cleanup of each test here: wake every sleeper, stop tracing, silence
# the per-task messages.
release_patchable() {
	[[ ! -e $PATCHABLE_DIR/release ]] || echo 1 >$PATCHABLE_DIR/release
	echo nop >$PATCHABLE_TRACING/current_tracer
	echo >$PATCHABLE_TRACING/set_ftrace_filter
	echo 'func klp_try_switch_task -p' >/sys/kernel/debug/dynamic_debug/control
}

# Fail unless klp_rs_patchable_sum6(1, ..., 6) returns $1, called from C.
assert_sum() {
	assert_eq "$(cat $PATCHABLE_DIR/rust_sum)" "$1" "klp_rs_patchable_sum6(1, 2, 3, 4, 5, 6)"
}

# Start a user task that reads rust_wait, and so sleeps in the body of
# whatever klp_rs_patchable_wait() is current; set PATCHABLE_PID.
sleep_in_rust() {
	cat $PATCHABLE_DIR/rust_wait >$PATCHABLE_OUT &
	PATCHABLE_PID=$!
	loop_until "[[ \$(cat /proc/$PATCHABLE_PID/wchan) == klp_rs_block_sleep ]]"
}

# Wait until the kernel has found task $1 asleep in klp_rs_patchable_wait()
# at two successive attempts to switch it.
wait_held_by() {
	loop_until "[[ \$(log_since_mark_grep -c ':$1 is sleeping on function klp_rs_patchable_wait') -ge 2 ]]"
}

# The reader $PATCHABLE_PID must end, having read $1.
assert_reader_read() {
	wait $PATCHABLE_PID || fail "the reader of rust_wait failed"
	assert_eq "$(cat $PATCHABLE_OUT)" "$1" "what the reader of rust_wait read"
}

# Remove the patches $@, the last loaded first, then the target and klp_rs_block.
teardown_patchable() {
	local patch
	for patch; do disable_lp "$patch"; done
	for patch; do unload_mod "$patch"; done
	echo 'func klp_try_switch_task -p' >/sys/kernel/debug/dynamic_debug/control
	reset_livepatch $PATCHABLE $PATCHABLE_BLOCK
}

# The functions are ftrace locations under their own names: listed in
# available_filter_functions, accepted by set_ftrace_filter, traced.
test_patchable_traced() {
	local f trace
	setup_patchable
	for f in klp_rs_patchable_sum6 klp_rs_patchable_wait; do
		grep -qx "$f \[$PATCHABLE\]" $PATCHABLE_TRACING/available_filter_functions ||
			fail "$f is not in available_filter_functions"
	done
	echo klp_rs_patchable_sum6 >$PATCHABLE_TRACING/set_ftrace_filter ||
		fail "set_ftrace_filter refused klp_rs_patchable_sum6"
	echo function >$PATCHABLE_TRACING/current_tracer
	echo >$PATCHABLE_TRACING/trace
	assert_sum 91
	# Read before the tracer changes: a change empties the buffer.
	trace=$(cat $PATCHABLE_TRACING/trace)
	echo nop >$PATCHABLE_TRACING/current_tracer
	echo >$PATCHABLE_TRACING/set_ftrace_filter
	grep -m1 ' klp_rs_patchable_sum6 <-' <<<"$trace" ||
		fail "the function tracer did not trace klp_rs_patchable_sum6: $trace"
	teardown_patchable
}

# A patch ($1, module file) replaces both functions, with the results $2
# (sum) and $3 (wait), and disabling it gives the Rust originals back.
test_patchable_replaced() {
	setup_patchable
	assert_sum 91
	load_lp "$1"
	assert_sum "$2"
	assert_eq "$(cat $PATCHABLE_DIR/rust_wait)" "$3" "klp_rs_patchable_wait() patched"
	disable_lp "$(modname "$1")"
	assert_sum 91
	unload_mod "$(modname "$1")"
	teardown_patchable
}

# The patch first, waiting for its object; the Rust target is patched as it
# loads, and unpatched as it goes away while the patch stays.
test_patchable_target_later() {
	setup_patchable block-only
	load_lp $RUST_MODULES/$PATCHABLE_RUST.ko
	load_mod $RUST_MODULES/$PATCHABLE.ko
	assert_sum 21
	log_since_mark_contains "applying patch '$PATCHABLE_RUST' to loading module '$PATCHABLE'" ||
		fail "the livepatch core did not patch $PATCHABLE as it loaded"
	unload_mod $PATCHABLE
	log_since_mark_contains "reverting patch '$PATCHABLE_RUST' on unloading module '$PATCHABLE'" ||
		fail "the livepatch core did not unpatch $PATCHABLE as it went away"
	teardown_patchable $PATCHABLE_RUST
}

# A task asleep in the Rust body of klp_rs_patchable_wait() has the
# function's frame on its stack: it stays unpatched and holds the transition
# until it returns; then new calls run the replacement.
test_patchable_held() {
	setup_patchable
	sleep_in_rust
	load_mod $RUST_MODULES/$PATCHABLE_RUST.ko
	wait_held_by $PATCHABLE_PID
	assert_eq "$(cat $SYSFS_KLP/$PATCHABLE_RUST/transition)" 1 "transition"
	assert_eq "$(cat /proc/$PATCHABLE_PID/patch_state)" 0 "patch_state of the sleeper"
	echo 1 >$PATCHABLE_DIR/release
	assert_reader_read 1
	wait_for_transition $PATCHABLE_RUST
	assert_eq "$(cat $PATCHABLE_DIR/rust_wait)" 2 "klp_rs_patchable_wait() patched"
	teardown_patchable $PATCHABLE_RUST
}

# Left alone, the transition completes anyway: after 15 retries the kernel
# sends the task asleep in the Rust body a fake signal, the interruptible
# sleep ends, the task returns through the old function and switches on its
# way back to user space.
test_patchable_fake_signal() {
	local start
	setup_patchable
	sleep_in_rust
	start=$SECONDS
	load_mod $RUST_MODULES/$PATCHABLE_RUST.ko
	wait_held_by $PATCHABLE_PID
	POLL_MAX=400 loop_until "[[ \$(cat $SYSFS_KLP/$PATCHABLE_RUST/transition) == 0 ]]"
	((SECONDS - start >= 15)) ||
		fail "the transition completed after $((SECONDS - start)) s, before any fake signal"
	log_since_mark_contains 'livepatch: signaling remaining tasks' || fail "no fake signal in dmesg"
	assert_reader_read 1
	assert_sum 21
	teardown_patchable $PATCHABLE_RUST
}

# The Rust patch loaded with replace=1 atomically replaces the C patch: the
# kernel disables and frees the C one as the Rust one's transition completes.
test_patchable_atomic_replace() {
	setup_patchable
	load_lp $RUST_MODULES/$PATCHABLE_C.ko
	assert_sum 441
	load_lp $RUST_MODULES/$PATCHABLE_RUST.ko replace=1
	assert_sum 21
	loop_until "[[ ! -e $SYSFS_KLP/$PATCHABLE_C ]]"
	unload_mod $PATCHABLE_C
	disable_lp $PATCHABLE_RUST
	assert_sum 91
	unload_mod $PATCHABLE_RUST
	teardown_patchable
}

# Register a test of this file, "patchable: $1", run as the command $2...,
# with release_patchable as its cleanup.
patchable_test() {
	klp_test --cleanup release_patchable "patchable: $1" "${@:2}"
}

patchable_test "Rust functions are ftrace locations, listed and traced" test_patchable_traced
patchable_test "a Rust patch replaces Rust functions, and gives them back" \
	test_patchable_replaced $RUST_MODULES/$PATCHABLE_RUST.ko 21 2
patchable_test "a C patch replaces Rust functions, and gives them back" \
	test_patchable_replaced $RUST_MODULES/$PATCHABLE_C.ko 441 3
patchable_test "a Rust target loaded after the patch is patched as it loads" \
	test_patchable_target_later
patchable_test "a task asleep in the Rust body holds the patching" test_patchable_held
patchable_test "the fake signal ends a sleep in the Rust body" test_patchable_fake_signal
patchable_test "a Rust patch atomically replaces a C patch of Rust functions" \
	test_patchable_atomic_replace
