# SPDX-License-Identifier: GPL-2.0
# livepatch-callbacks-demo and its Rust twin, against the kernel tree's C
# target modules: callbacks in the documented order for loaded and later-loaded
# targets, pre_patch failures refusing the patch or the target, and the
# replacement of busymod_work_func(). Sourced by tests/suite-check.sh.

DEMO=livepatch_callbacks_demo
TARGET=livepatch_callbacks_mod
TARGET_KO=$C_MODULES/livepatch-callbacks-mod.ko
BUSY=livepatch_callbacks_busymod
BUSY_KO=$C_MODULES/livepatch-callbacks-busymod.ko
LIVE="[MODULE_STATE_LIVE] Normal state"
COMING="[MODULE_STATE_COMING] Full formed, running module_init"
GOING="[MODULE_STATE_GOING] Going away"

# The transcript of enabling the demo patch ($1: its .ko path), with the
# target module $2, if given, already loaded.
enable_transcript() {
	cat <<-EOT
		% insmod ${1##*/}
		livepatch: enabling patch '$DEMO'
		livepatch: '$DEMO': initializing patching transition
		$DEMO: pre_patch_callback: vmlinux
	EOT
	[[ -z ${2-} ]] || echo "$DEMO: pre_patch_callback: $2 -> $LIVE"
	cat <<-EOT
		livepatch: '$DEMO': starting patching transition
		livepatch: '$DEMO': completing patching transition
		$DEMO: post_patch_callback: vmlinux
	EOT
	[[ -z ${2-} ]] || echo "$DEMO: post_patch_callback: $2 -> $LIVE"
	echo "livepatch: '$DEMO': patching complete"
}

# The transcript of disabling and removing the demo patch, with the target
# module $1, if given, still loaded.
disable_transcript() {
	cat <<-EOT
		% echo 0 > $SYSFS_KLP/$DEMO/enabled
		livepatch: '$DEMO': initializing unpatching transition
		$DEMO: pre_unpatch_callback: vmlinux
	EOT
	[[ -z ${1-} ]] || echo "$DEMO: pre_unpatch_callback: $1 -> $LIVE"
	cat <<-EOT
		livepatch: '$DEMO': starting unpatching transition
		livepatch: '$DEMO': completing unpatching transition
		$DEMO: post_unpatch_callback: vmlinux
	EOT
	[[ -z ${1-} ]] || echo "$DEMO: post_unpatch_callback: $1 -> $LIVE"
	cat <<-EOT
		livepatch: '$DEMO': unpatching complete
		% rmmod $DEMO
	EOT
}

# Target loaded before the patch: callbacks run for vmlinux and the target.
test_callbacks_target_first() {
	reset_livepatch $TARGET $BUSY
	start_transcript
	load_mod "$TARGET_KO"
	load_lp "$1"
	assert_eq "$(cat $SYSFS_KLP/$DEMO/$TARGET/patched)" 1 "target object patched"
	disable_lp $DEMO
	unload_mod $DEMO
	unload_mod $TARGET
	check_transcript livepatch_callbacks_ <<-EOT
		% insmod ${TARGET_KO##*/}
		$TARGET: ${TARGET}_init
		$(enable_transcript "$1" $TARGET)
		$(disable_transcript $TARGET)
		% rmmod $TARGET
		$TARGET: ${TARGET}_exit
	EOT
}

# Target loaded after the patch: the kernel patches it as it loads (deferred
# patching), running its pre/post_patch callbacks while it is COMING.
test_callbacks_target_later() {
	reset_livepatch $TARGET $BUSY
	start_transcript
	load_lp "$1"
	assert_eq "$(cat $SYSFS_KLP/$DEMO/$TARGET/patched)" 0 "target object patched"
	load_mod "$TARGET_KO"
	assert_eq "$(cat $SYSFS_KLP/$DEMO/$TARGET/patched)" 1 "target object patched"
	disable_lp $DEMO
	unload_mod $DEMO
	unload_mod $TARGET
	check_transcript livepatch_callbacks_ <<-EOT
		$(enable_transcript "$1")
		% insmod ${TARGET_KO##*/}
		livepatch: applying patch '$DEMO' to loading module '$TARGET'
		$DEMO: pre_patch_callback: $TARGET -> $COMING
		$DEMO: post_patch_callback: $TARGET -> $COMING
		$TARGET: ${TARGET}_init
		$(disable_transcript $TARGET)
		% rmmod $TARGET
		$TARGET: ${TARGET}_exit
	EOT
}

# Target unloaded while patched: its unpatch callbacks run while it is GOING.
test_callbacks_target_going() {
	reset_livepatch $TARGET $BUSY
	start_transcript
	load_mod "$TARGET_KO"
	load_lp "$1"
	unload_mod $TARGET
	disable_lp $DEMO
	unload_mod $DEMO
	check_transcript livepatch_callbacks_ <<-EOT
		% insmod ${TARGET_KO##*/}
		$TARGET: ${TARGET}_init
		$(enable_transcript "$1" $TARGET)
		% rmmod $TARGET
		$TARGET: ${TARGET}_exit
		$DEMO: pre_unpatch_callback: $TARGET -> $GOING
		livepatch: reverting patch '$DEMO' on unloading module '$TARGET'
		$DEMO: post_unpatch_callback: $TARGET -> $GOING
		$(disable_transcript)
	EOT
}

# A failing pre_patch callback (pre_patch_ret=-19 at insmod) aborts the patch:
# insmod fails with ENODEV and no patch is left behind.
test_callbacks_pre_patch_fails() {
	reset_livepatch $TARGET $BUSY
	start_transcript
	load_failing_mod "$1" pre_patch_ret=-19 "No such device"
	assert_absent $SYSFS_KLP/$DEMO
	check_transcript livepatch_callbacks_ <<-EOT
		% insmod ${1##*/} pre_patch_ret=-19
		livepatch: enabling patch '$DEMO'
		livepatch: '$DEMO': initializing patching transition
		$DEMO: pre_patch_callback: vmlinux
		livepatch: pre-patch callback failed for object 'vmlinux'
		livepatch: failed to enable patch '$DEMO'
		livepatch: '$DEMO': canceling patching transition, going to unpatch
		livepatch: '$DEMO': completing unpatching transition
		livepatch: '$DEMO': unpatching complete
	EOT
}

# pre_patch_ret set through sysfs (0644) makes the module loader refuse a
# target module that loads later, with ENODEV; the patch stays enabled.
test_callbacks_param_refuses_target() {
	local param=/sys/module/$DEMO/parameters/pre_patch_ret
	reset_livepatch $TARGET $BUSY
	start_transcript
	load_lp "$1"
	assert_eq "$(stat -c %a $param)" 644 "permissions of $param"
	assert_eq "$(cat $param)" 0 "$param"
	log "% echo -19 > $param"
	echo -19 >$param
	assert_eq "$(cat $param)" -19 "$param"
	load_failing_mod "$TARGET_KO" "No such device"
	assert_eq "$(cat $SYSFS_KLP/$DEMO/enabled)" 1 "enabled"
	disable_lp $DEMO
	unload_mod $DEMO
	check_transcript livepatch_callbacks_ <<-EOT
		$(enable_transcript "$1")
		% echo -19 > $param
		% insmod ${TARGET_KO##*/}
		livepatch: applying patch '$DEMO' to loading module '$TARGET'
		$DEMO: pre_patch_callback: $TARGET -> $COMING
		livepatch: pre-patch callback failed for object '$TARGET'
		livepatch: patch '$DEMO' failed for module '$TARGET', refusing to load module '$TARGET'
		$(disable_transcript)
	EOT
}

# busymod loaded after the patch runs the replacement of its work function.
test_callbacks_busymod_replaced() {
	reset_livepatch $TARGET $BUSY
	start_transcript
	load_lp "$1"
	load_mod "$BUSY_KO"
	loop_until "log_since_mark_contains '$DEMO: patched_work_func'"
	disable_lp $DEMO
	unload_mod $DEMO
	unload_mod $BUSY
	check_transcript livepatch_callbacks_ <<-EOT
		$(enable_transcript "$1")
		% insmod ${BUSY_KO##*/}
		livepatch: applying patch '$DEMO' to loading module '$BUSY'
		$DEMO: pre_patch_callback: $BUSY -> $COMING
		$DEMO: post_patch_callback: $BUSY -> $COMING
		$BUSY: livepatch_callbacks_mod_init
		$DEMO: patched_work_func
		$(disable_transcript $BUSY)
		% rmmod $BUSY
		$BUSY: livepatch_callbacks_mod_exit
	EOT
}

for impl in "rust:$RUST_MODULES/livepatch_callbacks_demo.ko" \
	"c:$C_MODULES/livepatch-callbacks-demo.ko"; do
	label=${impl%%:*}
	ko=${impl#*:}
	klp_test "$label callbacks: target loaded first" test_callbacks_target_first "$ko"
	klp_test "$label callbacks: target loaded later is patched on load" \
		test_callbacks_target_later "$ko"
	klp_test "$label callbacks: target unloaded while patched" test_callbacks_target_going "$ko"
	klp_test "$label callbacks: failing pre_patch refuses the patch" \
		test_callbacks_pre_patch_fails "$ko"
	klp_test "$label callbacks: pre_patch_ret via sysfs refuses the target" \
		test_callbacks_param_refuses_target "$ko"
	klp_test "$label callbacks: busymod runs the replacement" \
		test_callbacks_busymod_replaced "$ko"
done
