# SPDX-License-Identifier: GPL-2.0
# tools/klpctl on the real kernel: load and unload of a Rust and a C patch
# with --wait; the task asleep in klp_rs_block_wait() named by blockers with
# that function marked on its stack, and --revert-on-timeout reverting; info
# on a good and on broken .ko files; install and load --all; its errors.
# Sourced by tests/suite-check.sh (needs test-consistency.sh's helpers).

KLPCTL_OUT=/tmp/klpctl.out
# The --timeout of the waits that must finish: a transition that hangs fails
# its test, not the whole boot (whose limit is the guest's). Generous: the
# kernel retries every second and these take 1-3 s.
KLPCTL_WAIT=300

# Run klpctl with the arguments $@, logged to the kernel log; its output
# (stdout and stderr) goes to $KLPCTL_OUT and to the test's output, its exit
# status to KLPCTL_RC.
klpctl_run() {
	log "% klpctl $*"
	echo "\$ klpctl $*"
	KLPCTL_RC=0
	klpctl "$@" >$KLPCTL_OUT 2>&1 || KLPCTL_RC=$?
	sed 's/^/  /' $KLPCTL_OUT
}

# Fail unless klpctl's last output holds the text $1.
assert_klpctl_said() {
	grep -qF -- "$1" $KLPCTL_OUT || fail "klpctl's output lacks: $1"
}

# Fail unless klpctl's last exit status is $1.
assert_klpctl_rc() {
	assert_eq "$KLPCTL_RC" "$1" "klpctl's exit status"
}

# Load the cmdline patch $1 (a file) with klpctl, check it in list and
# list --json, unload it with klpctl.
klpctl_load_unload() {
	reset_livepatch
	klpctl_run load "$1" --wait --timeout $KLPCTL_WAIT
	assert_klpctl_rc 0
	assert_klpctl_said "done: $CMDLINE_PATCH loaded, and every task runs it"
	assert_eq "$(cat $SYSFS_KLP/$CMDLINE_PATCH/transition)" 0 "transition"
	assert_eq "$(cat /proc/cmdline)" "$CMDLINE_PATCHED" "/proc/cmdline, patched"
	klpctl_run list
	assert_klpctl_rc 0
	assert_klpctl_said "$CMDLINE_PATCH: enabled yes, transition no, replace no, refcount 1"
	assert_klpctl_said "  vmlinux (patched)"
	assert_klpctl_said "    cmdline_proc_show,1"
	klpctl_run list --json
	assert_klpctl_said '{"schema":"klpctl/1","patches":[{"name":"'$CMDLINE_PATCH'","enabled":true,"transition":false,"replace":false,"refcount":1,"objects":[{"name":"vmlinux","patched":true,"functions":[{"name":"cmdline_proc_show","sympos":1}]}]}]}'
	klpctl_run unload $CMDLINE_PATCH --timeout $KLPCTL_WAIT
	assert_klpctl_rc 0
	assert_klpctl_said "done: $CMDLINE_PATCH disabled and its module removed"
	! module_loaded $CMDLINE_PATCH || fail "$CMDLINE_PATCH still loaded"
	assert_eq "$(cat /proc/cmdline)" "$CMDLINE_BOOT" "/proc/cmdline, unpatched"
}

test_klpctl_rust() {
	klpctl_load_unload $RUST_MODULES/$CMDLINE_PATCH.ko
}

test_klpctl_c() {
	klpctl_load_unload $C_MODULES/livepatch-sample.ko
}

# A user task asleep in the old klp_rs_block_wait() holds the patching: load
# --wait --timeout says so and names it, so does blockers, and a second patch
# meanwhile is refused with EBUSY, explained.
test_klpctl_blockers() {
	setup_block
	block_user_task
	klpctl_run load $RUST_MODULES/$BLOCK_PATCH.ko --wait --timeout 3
	assert_klpctl_rc 3
	assert_klpctl_said "timeout: $BLOCK_PATCH: the transition did not finish within 3 s"
	assert_klpctl_said "$BLOCKED_PID cat (user) patch_state 0"
	assert_klpctl_said "  => klp_rs_block_wait+"
	klpctl_run blockers
	assert_klpctl_rc 0
	assert_klpctl_said "$BLOCK_PATCH is being enabled:"
	assert_klpctl_said "$BLOCKED_PID cat (user) patch_state 0"
	assert_klpctl_said "  => klp_rs_block_wait+"
	klpctl_run blockers $BLOCK_PATCH --json
	assert_klpctl_rc 0
	assert_klpctl_said "{\"schema\":\"klpctl/1\",\"patch\":\"$BLOCK_PATCH\",\"target\":1,"
	assert_klpctl_said "{\"tid\":$BLOCKED_PID,\"pid\":$BLOCKED_PID,\"comm\":\"cat\",\"kthread\":false,\"patch_state\":0,"
	assert_klpctl_said '"function":"klp_rs_block_wait","patched":true'
	klpctl_run info $BLOCK_PATCH
	assert_klpctl_said "$BLOCK_PATCH: enabled yes, transition yes"
	assert_klpctl_said "$BLOCKED_PID cat (user) patch_state 0"
	klpctl_run load $RUST_MODULES/$CMDLINE_PATCH.ko
	assert_klpctl_rc 1
	assert_klpctl_said "finit_module failed: EBUSY: another patch is in transition"
	release_user_task 1
	wait_for_transition $BLOCK_PATCH
	klpctl_run blockers
	assert_klpctl_said "no patch is in transition"
	klpctl_run unload $BLOCK_PATCH --timeout $KLPCTL_WAIT
	assert_klpctl_rc 0
	teardown_block
}

# --revert-on-timeout: the stuck patching is reversed and the module removed.
test_klpctl_revert() {
	setup_block
	block_user_task
	klpctl_run load $RUST_MODULES/$BLOCK_PATCH.ko --wait --timeout 10 --revert-on-timeout
	assert_klpctl_rc 3
	assert_klpctl_said "$BLOCKED_PID cat (user) patch_state 0"
	assert_klpctl_said "reverted: $BLOCK_PATCH: the transition did not finish within 10 s; reverted: the patch is disabled and its module removed"
	assert_absent $SYSFS_KLP/$BLOCK_PATCH
	! module_loaded $BLOCK_PATCH || fail "$BLOCK_PATCH still loaded"
	release_user_task 1
	teardown_block
}

# info on files: a good patch, one whose targets the kernel would refuse,
# one built for another kernel (which the kernel then refuses, explained),
# and what is no livepatch module at all.
test_klpctl_info() {
	local off
	reset_livepatch $PRIVATE_TARGET
	klpctl_run info $RUST_MODULES/$CMDLINE_PATCH.ko
	assert_klpctl_rc 0
	assert_klpctl_said "running kernel $(uname -r): built for it"
	assert_klpctl_said "replaced function vmlinux:cmdline_proc_show,0: ok"
	assert_klpctl_said "no problem found"
	klpctl_run info $RUST_MODULES/klp_rs_bad_input.ko
	assert_klpctl_rc 0
	assert_klpctl_said "replaced function klp_rs_target:klp_rs_no_such_function,0: waiting for module"
	load_mod $RUST_MODULES/$PRIVATE_TARGET.ko
	klpctl_run info $RUST_MODULES/klp_rs_bad_input.ko
	assert_klpctl_rc 1
	assert_klpctl_said "replaced function klp_rs_target:klp_rs_no_such_function,0: missing"
	assert_klpctl_said "replaced function klp_rs_target:klp_rs_target_dup,0: ambiguous"
	assert_klpctl_said "replaced function klp_rs_target:klp_rs_target_dup,3: sympos out of range"
	assert_klpctl_said "replaced function klp_rs_target:klp_rs_target_dup,2: ok"
	assert_klpctl_said "replaced function klp_rs_target:klp_rs_target_notrace,0: not traceable"
	assert_klpctl_said "replaced function klp_rs_target:klp_rs_target_value,0: ok"
	klpctl_run info $RUST_MODULES/klp_rs_bad_input.ko --json
	assert_klpctl_said '{"kind":"replaced function","object":"klp_rs_target","name":"klp_rs_target_dup","sympos":3,"status":"sympos out of range","count":2}'
	unload_mod $PRIVATE_TARGET
	# The same patch built for another release: the vermagic's first digit
	# changed (busybox strings gives its offset). The kernels tested here are
	# built without CONFIG_MODVERSIONS (which would make the kernel compare
	# symbol versions instead of the release, and klpctl only warn).
	cp $RUST_MODULES/$CMDLINE_PATCH.ko /tmp/$CMDLINE_PATCH.ko
	off=$(strings -t d /tmp/$CMDLINE_PATCH.ko | awk '$2 ~ /^vermagic=/ && !n { print $1; n = 1 }')
	[[ -n $off ]] || fail "no vermagic= in $CMDLINE_PATCH.ko"
	printf 0 | dd of=/tmp/$CMDLINE_PATCH.ko bs=1 seek=$((off + 9)) conv=notrunc 2>/dev/null
	klpctl_run info /tmp/$CMDLINE_PATCH.ko
	assert_klpctl_rc 1
	assert_klpctl_said "NOT built for it"
	assert_klpctl_said "built for another kernel: vermagic '0"
	klpctl_run load /tmp/$CMDLINE_PATCH.ko --wait --timeout $KLPCTL_WAIT
	assert_klpctl_rc 1
	assert_klpctl_said "finit_module failed: ENOEXEC: not a module this kernel can load: built for another kernel (vermagic), or damaged"
	assert_klpctl_said "kernel: $CMDLINE_PATCH: version magic '0"
	! module_loaded $CMDLINE_PATCH || fail "$CMDLINE_PATCH loaded"
	# Not a livepatch module, and not a module.
	klpctl_run info $RUST_MODULES/$BLOCK.ko
	assert_klpctl_rc 1
	assert_klpctl_said "not a livepatch module: .modinfo has no livepatch=Y"
	klpctl_run load $RUST_MODULES/$BLOCK.ko
	assert_klpctl_rc 1
	assert_klpctl_said "not a livepatch module (no livepatch=Y in its .modinfo): load it with insmod"
	! module_loaded $BLOCK || fail "$BLOCK loaded"
	klpctl_run info /tests/lib.sh
	assert_klpctl_rc 1
	assert_klpctl_said "/tests/lib.sh: not an ELF file"
}

# install, then load --all as at boot: the patch is loaded once, in place
# after a second load --all; uninstall leaves it loaded.
test_klpctl_install() {
	reset_livepatch
	rm -rf /var/lib/klp-rs
	klpctl_run install $RUST_MODULES/$CMDLINE_PATCH.ko
	assert_klpctl_rc 0
	assert_exists /var/lib/klp-rs/$(uname -r)/0001-$CMDLINE_PATCH.ko
	klpctl_run installed
	assert_klpctl_said "$CMDLINE_PATCH /var/lib/klp-rs/$(uname -r)/0001-$CMDLINE_PATCH.ko"
	klpctl_run load --all --wait --timeout $KLPCTL_WAIT
	assert_klpctl_rc 0
	assert_klpctl_said "$CMDLINE_PATCH: done: $CMDLINE_PATCH loaded, and every task runs it"
	assert_eq "$(cat /proc/cmdline)" "$CMDLINE_PATCHED" "/proc/cmdline, patched"
	klpctl_run load --all --wait --timeout $KLPCTL_WAIT --json
	assert_klpctl_rc 0
	assert_klpctl_said '"patch":"'$CMDLINE_PATCH'","result":"skipped"'
	klpctl_run uninstall $CMDLINE_PATCH
	assert_klpctl_rc 0
	assert_absent /var/lib/klp-rs/$(uname -r)/0001-$CMDLINE_PATCH.ko
	assert_exists $SYSFS_KLP/$CMDLINE_PATCH
	klpctl_run unload $CMDLINE_PATCH --timeout $KLPCTL_WAIT
	assert_klpctl_rc 0
	rm -rf /var/lib/klp-rs
}

# What klpctl refuses, with its exit codes.
test_klpctl_errors() {
	reset_livepatch
	klpctl_run unload no_such_patch
	assert_klpctl_rc 1
	assert_klpctl_said "no patch 'no_such_patch' is loaded"
	klpctl_run unload no_such_patch --json
	assert_klpctl_rc 1
	assert_klpctl_said '{"schema":"klpctl/1","error":"no patch '"'no_such_patch'"' is loaded (klpctl list shows those that are)","exit_code":1}'
	klpctl_run load
	assert_klpctl_rc 2
	klpctl_run list
	assert_klpctl_rc 0
	assert_klpctl_said "no patches loaded"
}

klp_test "klpctl: load --wait, list and unload a Rust patch" test_klpctl_rust
klp_test "klpctl: load --wait, list and unload a C patch" test_klpctl_c
klp_test --cleanup release_block "klpctl: blockers names the sleeping task, its patched function marked" \
	test_klpctl_blockers
klp_test --cleanup release_block "klpctl: --revert-on-timeout reverts a stuck patching" test_klpctl_revert
klp_test "klpctl: info on a good patch, on broken ones, and on what is no patch" test_klpctl_info
klp_test --cleanup "rm -rf /var/lib/klp-rs" "klpctl: install, then load --all as at boot" \
	test_klpctl_install
klp_test "klpctl: refusals and exit codes" test_klpctl_errors
