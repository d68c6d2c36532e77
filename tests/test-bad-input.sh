# SPDX-License-Identifier: GPL-2.0
# Bad input: patches of the C module klp_rs_target that the kernel must refuse
# at insmod with EINVAL, naming the problem, leaving /sys/kernel/livepatch and
# the functions as they were, without a warning; and sympos picking the right
# one of two same-named functions. Sourced by tests/suite-check.sh.

BAD=klp_rs_bad_input
TARGET_C=klp_rs_target
TARGET_FILE=/sys/kernel/debug/klp_rs_target
TARGET_VALUES="value=1 dup_a=10 dup_b=20 notrace=3"

# Load the target and check what its functions return, unpatched.
load_target() {
	reset_livepatch klp_rs_ipmodify $TARGET_C
	load_mod $RUST_MODULES/$TARGET_C.ko
	assert_eq "$(cat $TARGET_FILE)" "$TARGET_VALUES" "$TARGET_FILE"
}

# insmod of patch case $1 fails with EINVAL (kmod's insmod says "Invalid
# parameters") and the kernel logs the lines on stdin: a name it cannot
# resolve before it enables anything, a function without an ftrace location
# when patching, which it then cancels; nothing changes.
test_bad_input() {
	local case=$1
	load_target
	start_transcript
	load_failing_mod $RUST_MODULES/$BAD.ko case=$case "Invalid parameters"
	assert_eq "$(ls $SYSFS_KLP)" "" "patches in $SYSFS_KLP"
	assert_eq "$(cat $TARGET_FILE)" "$TARGET_VALUES" "$TARGET_FILE"
	assert_no_kernel_splat
	check_transcript <<-EOT
		% insmod $BAD.ko case=$case
		$(cat)
	EOT
	unload_mod $TARGET_C
}

test_bad_unknown() {
	test_bad_input 1 <<-EOT
		livepatch: symbol 'klp_rs_no_such_function' not found in symbol table
	EOT
}

test_bad_ambiguous() {
	test_bad_input 2 <<-EOT
		livepatch: unresolvable ambiguity for symbol 'klp_rs_target_dup' in object '$TARGET_C'
	EOT
}

test_bad_sympos() {
	test_bad_input 3 <<-EOT
		livepatch: symbol position 3 for symbol 'klp_rs_target_dup' in object '$TARGET_C' not found
	EOT
}

test_bad_notrace() {
	failed_patching_transcript $BAD $TARGET_C \
		"livepatch: failed to find location for function 'klp_rs_target_notrace'" |
		test_bad_input 4
}

# sympos 2 picks the second of the two klp_rs_target_dup(), in link order the
# one of klp_rs_target_dup_b.c, and only that one.
test_sympos() {
	load_target
	load_lp $RUST_MODULES/$BAD.ko case=5
	assert_eq "$(cat $TARGET_FILE)" "value=1 dup_a=10 dup_b=42 notrace=3" "$TARGET_FILE"
	assert_exists "$SYSFS_KLP/$BAD/$TARGET_C/klp_rs_target_dup,2"
	disable_lp $BAD
	assert_eq "$(cat $TARGET_FILE)" "$TARGET_VALUES" "$TARGET_FILE"
	unload_mod $BAD
	unload_mod $TARGET_C
}

# The target unloaded while its patch is enabled, then loaded again: the
# kernel reverts the patch from it as it goes and applies it as it comes back.
test_target_reload() {
	load_target
	load_lp $RUST_MODULES/$BAD.ko case=5
	start_transcript
	unload_mod $TARGET_C
	assert_eq "$(cat $SYSFS_KLP/$BAD/enabled)" 1 "$BAD enabled"
	assert_eq "$(cat $SYSFS_KLP/$BAD/$TARGET_C/patched)" 0 "$TARGET_C patched"
	load_mod $RUST_MODULES/$TARGET_C.ko
	assert_eq "$(cat $SYSFS_KLP/$BAD/$TARGET_C/patched)" 1 "$TARGET_C patched"
	assert_eq "$(cat $TARGET_FILE)" "value=1 dup_a=10 dup_b=42 notrace=3" "$TARGET_FILE"
	assert_no_kernel_splat
	check_transcript <<-EOT
		% rmmod $TARGET_C
		livepatch: reverting patch '$BAD' on unloading module '$TARGET_C'
		% insmod $TARGET_C.ko
		livepatch: applying patch '$BAD' to loading module '$TARGET_C'
	EOT
	disable_lp $BAD
	unload_mod $BAD
	unload_mod $TARGET_C
}

# Another ftrace user with IPMODIFY on the function first: the patch is
# refused with EBUSY and the function keeps running unpatched.
test_ipmodify_first() {
	load_target
	load_mod $RUST_MODULES/klp_rs_ipmodify.ko
	start_transcript
	load_failing_mod $RUST_MODULES/$BAD.ko case=6 "Device or resource busy"
	assert_eq "$(ls $SYSFS_KLP)" "" "patches in $SYSFS_KLP"
	assert_eq "$(cat $TARGET_FILE)" "$TARGET_VALUES" "$TARGET_FILE"
	assert_no_kernel_splat
	check_transcript <<-EOT
		% insmod $BAD.ko case=6
		$(failed_patching_transcript $BAD $TARGET_C \
		"livepatch: failed to register ftrace handler for function 'klp_rs_target_value' (-16)")
	EOT
	unload_mod klp_rs_ipmodify
	unload_mod $TARGET_C
}

# The patch first: the other IPMODIFY user is refused with EBUSY and the
# patch stays in charge.
test_ipmodify_second() {
	load_target
	load_lp $RUST_MODULES/$BAD.ko case=6
	start_transcript
	load_failing_mod $RUST_MODULES/klp_rs_ipmodify.ko "Device or resource busy"
	assert_eq "$(cat $SYSFS_KLP/$BAD/enabled)" 1 "$BAD enabled"
	assert_eq "$(cat $TARGET_FILE)" "value=42 dup_a=10 dup_b=20 notrace=3" "$TARGET_FILE"
	assert_no_kernel_splat
	check_transcript klp_rs_ipmodify <<-EOT
		% insmod klp_rs_ipmodify.ko
		klp_rs_ipmodify: cannot trace klp_rs_target_value: -16
	EOT
	disable_lp $BAD
	unload_mod $BAD
	unload_mod $TARGET_C
}

klp_test "bad input: an unknown function is refused" test_bad_unknown
klp_test "bad input: an ambiguous name without sympos is refused" test_bad_ambiguous
klp_test "bad input: a sympos out of range is refused" test_bad_sympos
klp_test "bad input: a notrace function is refused" test_bad_notrace
klp_test "sympos: sympos 2 patches the second of two same-named functions" test_sympos
klp_test "target: unloaded while patched, then patched again as it reloads" test_target_reload
klp_test "bad input: an IPMODIFY ftrace user first refuses the patch" test_ipmodify_first
klp_test "bad input: the patch first refuses an IPMODIFY ftrace user" test_ipmodify_second
