# SPDX-License-Identifier: GPL-2.0
# A function of a Rust module cannot be live patched: rustc emits no
# __fentry__ call, so it has no ftrace location. The kernel must refuse the
# patch cleanly, in either load order. Sourced by tests/suite-check.sh.

RUST_TARGET=klp_rs_rust_target
RUST_PATCH=klp_rs_patch_rust

# Target loaded first: insmod of the patch fails with EINVAL (kmod's insmod
# says "Invalid parameters").
test_rust_target_first() {
	reset_livepatch $RUST_TARGET
	start_transcript
	load_mod $RUST_MODULES/$RUST_TARGET.ko
	load_failing_mod $RUST_MODULES/$RUST_PATCH.ko "Invalid parameters"
	assert_absent $SYSFS_KLP/$RUST_PATCH
	unload_mod $RUST_TARGET
	assert_no_kernel_splat
	check_transcript $RUST_TARGET <<-EOT
		% insmod $RUST_TARGET.ko
		$RUST_TARGET: klp_rs_rust_answer() = 42
		% insmod $RUST_PATCH.ko
		$(failed_patching_transcript $RUST_PATCH $RUST_TARGET \
		"livepatch: failed to find location for function 'klp_rs_rust_answer'")
		% rmmod $RUST_TARGET
	EOT
}

# Patch loaded first: the module loader refuses the Rust target instead.
test_rust_target_later() {
	reset_livepatch $RUST_TARGET
	start_transcript
	load_lp $RUST_MODULES/$RUST_PATCH.ko
	load_failing_mod $RUST_MODULES/$RUST_TARGET.ko "Invalid parameters"
	disable_lp $RUST_PATCH
	unload_mod $RUST_PATCH
	assert_no_kernel_splat
	check_transcript $RUST_TARGET <<-EOT
		% insmod $RUST_PATCH.ko
		livepatch: enabling patch '$RUST_PATCH'
		livepatch: '$RUST_PATCH': initializing patching transition
		livepatch: '$RUST_PATCH': starting patching transition
		livepatch: '$RUST_PATCH': completing patching transition
		livepatch: '$RUST_PATCH': patching complete
		% insmod $RUST_TARGET.ko
		livepatch: applying patch '$RUST_PATCH' to loading module '$RUST_TARGET'
		livepatch: failed to find location for function 'klp_rs_rust_answer'
		livepatch: failed to apply patch '$RUST_PATCH' to module '$RUST_TARGET' (-22)
		livepatch: patch '$RUST_PATCH' failed for module '$RUST_TARGET', refusing to load module '$RUST_TARGET'
		% echo 0 > $SYSFS_KLP/$RUST_PATCH/enabled
		livepatch: '$RUST_PATCH': initializing unpatching transition
		livepatch: '$RUST_PATCH': starting unpatching transition
		livepatch: '$RUST_PATCH': completing unpatching transition
		livepatch: '$RUST_PATCH': unpatching complete
		% rmmod $RUST_PATCH
	EOT
}

klp_test "rust target: patching a Rust function is refused at insmod" test_rust_target_first
klp_test "rust target: a Rust target loading under a patch is refused" test_rust_target_later
