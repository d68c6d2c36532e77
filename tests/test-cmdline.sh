# SPDX-License-Identifier: GPL-2.0
# The cmdline patch (livepatch-sample and its Rust twin) through its whole
# lifecycle, one step a test. Each test loads the patch (module file $1)
# itself and removes it at its end, so that it passes alone. Sourced by
# tests/suite-check.sh; every step is registered for both modules, with the
# same assertions.

# From a clean slate, load the cmdline patch $1 and wait for its transition.
start_cmdline_patch() {
	reset_livepatch
	load_lp "$1"
}

# Disable the cmdline patch and remove its module.
stop_cmdline_patch() {
	disable_lp $CMDLINE_PATCH
	unload_mod $CMDLINE_PATCH
}

# insmod enables the patch: the transition completes, /proc/cmdline is
# patched and the kernel and the module are tainted with K. The module loader
# taints a module K only when its modinfo has livepatch=Y, and
# klp_enable_patch() refuses modules without it.
test_cmdline_enable() {
	reset_livepatch
	[[ $CMDLINE_BOOT != "$CMDLINE_PATCHED" ]] || fail "boot command line already reads patched"
	start_transcript
	load_lp "$1"
	assert_eq "$(cat $SYSFS_KLP/$CMDLINE_PATCH/enabled)" 1 "enabled"
	assert_eq "$(cat /proc/cmdline)" "$CMDLINE_PATCHED" "/proc/cmdline"
	(($(cat /proc/sys/kernel/tainted) & TAINT_LIVEPATCH)) || fail "kernel not tainted with K"
	[[ $(cat /sys/module/$CMDLINE_PATCH/taint) == *K* ]] || fail "module taint lacks K"
	check_transcript <<-EOT
		% insmod ${1##*/}
		livepatch: enabling patch '$CMDLINE_PATCH'
		livepatch: '$CMDLINE_PATCH': initializing patching transition
		livepatch: '$CMDLINE_PATCH': starting patching transition
		livepatch: '$CMDLINE_PATCH': completing patching transition
		livepatch: '$CMDLINE_PATCH': patching complete
	EOT
	stop_cmdline_patch
}

# rmmod of the enabled patch is refused and changes nothing.
test_cmdline_rmmod_enabled() {
	local err
	start_cmdline_patch "$1"
	start_transcript
	log "% rmmod $CMDLINE_PATCH"
	if err=$(rmmod $CMDLINE_PATCH 2>&1); then
		fail "rmmod of an enabled patch succeeded"
	fi
	# The kernel holds a reference on an enabled patch's module.
	[[ $err == *"Module $CMDLINE_PATCH is in use" ]] || fail "rmmod: unexpected error '$err'"
	echo "$err"
	module_loaded $CMDLINE_PATCH || fail "module gone after refused rmmod"
	assert_eq "$(cat $SYSFS_KLP/$CMDLINE_PATCH/enabled)" 1 "enabled"
	assert_eq "$(cat $SYSFS_KLP/$CMDLINE_PATCH/transition)" 0 "transition"
	assert_eq "$(cat /proc/cmdline)" "$CMDLINE_PATCHED" "/proc/cmdline"
	check_transcript <<<"% rmmod $CMDLINE_PATCH"
	stop_cmdline_patch
}

# Writing 1 to an enabled patch is refused with EINVAL and changes nothing.
test_cmdline_reenable() {
	start_cmdline_patch "$1"
	assert_write_refused 1 $SYSFS_KLP/$CMDLINE_PATCH/enabled "Invalid argument"
	assert_eq "$(cat $SYSFS_KLP/$CMDLINE_PATCH/enabled)" 1 "enabled"
	assert_eq "$(cat $SYSFS_KLP/$CMDLINE_PATCH/transition)" 0 "transition"
	assert_eq "$(cat /proc/cmdline)" "$CMDLINE_PATCHED" "/proc/cmdline"
	stop_cmdline_patch
}

# Writing 0 to enabled unpatches: /proc/cmdline reads as booted again and the
# kernel frees the patch (its sysfs directory goes away).
test_cmdline_disable() {
	start_cmdline_patch "$1"
	start_transcript
	log "% echo 0 > $SYSFS_KLP/$CMDLINE_PATCH/enabled"
	echo 0 >$SYSFS_KLP/$CMDLINE_PATCH/enabled
	# A second 0 is refused: with EINVAL while the disabled patch is still in
	# sysfs, with ENOENT once the kernel has freed it (asynchronously).
	local err
	if err=$( { echo 0 >$SYSFS_KLP/$CMDLINE_PATCH/enabled; } 2>&1); then
		fail "writing 0 to a disabled patch succeeded"
	fi
	[[ $err == *"Invalid argument" || $err == *"No such file or directory" ]] ||
		fail "writing 0 to a disabled patch: unexpected error '$err'"
	echo "second write of 0 refused: ${err##*: }"
	loop_until "[[ ! -e $SYSFS_KLP/$CMDLINE_PATCH ]]"
	assert_eq "$(cat /proc/cmdline)" "$CMDLINE_BOOT" "/proc/cmdline"
	module_loaded $CMDLINE_PATCH || fail "module unloaded by disabling"
	check_transcript <<-EOT
		% echo 0 > $SYSFS_KLP/$CMDLINE_PATCH/enabled
		livepatch: '$CMDLINE_PATCH': initializing unpatching transition
		livepatch: '$CMDLINE_PATCH': starting unpatching transition
		livepatch: '$CMDLINE_PATCH': completing unpatching transition
		livepatch: '$CMDLINE_PATCH': unpatching complete
	EOT
	unload_mod $CMDLINE_PATCH
}

# Once disabled, the module can be removed, and nothing is left behind.
test_cmdline_rmmod() {
	start_cmdline_patch "$1"
	disable_lp $CMDLINE_PATCH
	unload_mod $CMDLINE_PATCH
	assert_absent $SYSFS_KLP/$CMDLINE_PATCH
	assert_eq "$(cat /proc/cmdline)" "$CMDLINE_BOOT" "/proc/cmdline"
}

for impl in "rust:$RUST_MODULES/livepatch_sample.ko" "c:$C_MODULES/livepatch-sample.ko"; do
	label=${impl%%:*}
	ko=${impl#*:}
	klp_test "$label cmdline: insmod patches /proc/cmdline and taints K" test_cmdline_enable "$ko"
	klp_test "$label cmdline: rmmod of the enabled patch is refused" test_cmdline_rmmod_enabled "$ko"
	klp_test "$label cmdline: enabling an enabled patch is refused" test_cmdline_reenable "$ko"
	klp_test "$label cmdline: disabling through sysfs unpatches" test_cmdline_disable "$ko"
	klp_test "$label cmdline: rmmod after disabling succeeds" test_cmdline_rmmod "$ko"
done
