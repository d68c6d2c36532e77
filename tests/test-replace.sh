# SPDX-License-Identifier: GPL-2.0
# Atomic replace and klp_state with the test patches of
# tests/modules/klp_rs_replace_*.rs. Sourced by tests/suite-check.sh.

BASE=klp_rs_replace_base
V2=klp_rs_replace_v2
V0=klp_rs_replace_v0

# The transcript of loading the base patch, which carries state 1 version 1.
base_enable_transcript() {
	cat <<-EOT
		% insmod $BASE.ko
		livepatch: enabling patch '$BASE'
		livepatch: '$BASE': initializing patching transition
		$BASE: pre_patch: no previous state 1
		livepatch: '$BASE': starting patching transition
		livepatch: '$BASE': completing patching transition
		$BASE: post_patch: state 1 version 1
		livepatch: '$BASE': patching complete
	EOT
}

# A replacing patch takes over from the patch before it, which the kernel
# frees; disabling the replacing patch restores the original function, and
# each callback sees the states the kernel reports.
test_replace_atomic() {
	local boot
	boot=$(cat /proc/cmdline)
	reset_livepatch
	start_transcript
	load_lp $RUST_MODULES/$BASE.ko
	assert_eq "$(cat /proc/cmdline)" "klp-rs base patch" "/proc/cmdline"
	load_lp $RUST_MODULES/$V2.ko
	assert_eq "$(cat /proc/cmdline)" "klp-rs replace v2" "/proc/cmdline"
	loop_until "[[ ! -e $SYSFS_KLP/$BASE ]]"
	# The replaced patch's module is free to go while the new patch is on.
	unload_mod $BASE
	disable_lp $V2
	assert_eq "$(cat /proc/cmdline)" "$boot" "/proc/cmdline"
	unload_mod $V2
	check_transcript $BASE $V2 <<-EOT
		$(base_enable_transcript)
		% insmod $V2.ko
		livepatch: enabling patch '$V2'
		livepatch: '$V2': initializing patching transition
		$V2: pre_patch: previous state 1 version 1
		livepatch: '$V2': starting patching transition
		livepatch: '$V2': completing patching transition
		$V2: post_patch: state 1 version 2
		livepatch: '$V2': patching complete
		% rmmod $BASE
		% echo 0 > $SYSFS_KLP/$V2/enabled
		livepatch: '$V2': initializing unpatching transition
		livepatch: '$V2': starting unpatching transition
		livepatch: '$V2': completing unpatching transition
		livepatch: '$V2': unpatching complete
		% rmmod $V2
	EOT
}

# A replacing patch that would downgrade a state (version 0 over version 1)
# is refused with EINVAL (kmod's insmod says "Invalid parameters") and changes
# nothing.
test_replace_state_downgrade() {
	reset_livepatch
	start_transcript
	load_lp $RUST_MODULES/$BASE.ko
	load_failing_mod $RUST_MODULES/$V0.ko "Invalid parameters"
	assert_absent $SYSFS_KLP/$V0
	assert_eq "$(cat $SYSFS_KLP/$BASE/enabled)" 1 "$BASE enabled"
	assert_eq "$(cat /proc/cmdline)" "klp-rs base patch" "/proc/cmdline"
	disable_lp $BASE
	unload_mod $BASE
	check_transcript $BASE $V0 <<-EOT
		$(base_enable_transcript)
		% insmod $V0.ko
		livepatch: Livepatch patch ($V0) is not compatible with the already installed livepatches.
		% echo 0 > $SYSFS_KLP/$BASE/enabled
		livepatch: '$BASE': initializing unpatching transition
		livepatch: '$BASE': starting unpatching transition
		livepatch: '$BASE': completing unpatching transition
		livepatch: '$BASE': unpatching complete
		% rmmod $BASE
	EOT
}

klp_test "rust replace: a replacing patch takes over and reports states" test_replace_atomic
klp_test "rust replace: a state downgrade is refused" test_replace_state_downgrade
