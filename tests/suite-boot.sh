# SPDX-License-Identifier: GPL-2.0
# `make check-boot` inside the guest: the cmdline patch was installed with
# klpctl install (scripts/run-qemu --install), and the guest's /init loaded it
# with klpctl load --all --wait, as klpctl.service does at boot, before this
# suite began.
source ./lib.sh
source ./test-klpctl.sh

# What /init's klpctl load --all said, and that the patch was enabled before
# any test ran.
test_boot_loaded() {
	assert_eq "$(cat /tmp/klpctl-boot.rc)" 0 "klpctl load --all's exit status at boot"
	cat /tmp/klpctl-boot.log
	grep -qxF "$CMDLINE_PATCH: done: $CMDLINE_PATCH loaded, and every task runs it" /tmp/klpctl-boot.log ||
		fail "klpctl load --all did not load $CMDLINE_PATCH at boot"
	assert_eq "$(cat $SYSFS_KLP/$CMDLINE_PATCH/enabled)" 1 "enabled"
	assert_eq "$(cat $SYSFS_KLP/$CMDLINE_PATCH/transition)" 0 "transition"
	assert_eq "$(cat /proc/cmdline)" "$CMDLINE_PATCHED" "/proc/cmdline"
}

# Installed for this release: load --all loads it if it is not loaded (the
# runner disables every patch after each test), and a second load --all
# loads nothing; then unload.
test_boot_again() {
	klpctl_run installed
	assert_klpctl_said "$CMDLINE_PATCH /var/lib/klp-rs/$(uname -r)/0001-$CMDLINE_PATCH.ko"
	klpctl_run load --all --wait --timeout $KLPCTL_WAIT
	assert_klpctl_rc 0
	assert_eq "$(cat /proc/cmdline)" "$CMDLINE_PATCHED" "/proc/cmdline"
	klpctl_run load --all --wait --timeout $KLPCTL_WAIT
	assert_klpctl_rc 0
	assert_klpctl_said "$CMDLINE_PATCH: skipped: $CMDLINE_PATCH is already loaded"
	klpctl_run unload $CMDLINE_PATCH --timeout $KLPCTL_WAIT
	assert_klpctl_rc 0
	# (lib.sh's CMDLINE_BOOT was read with the patch already on.)
	[[ $(cat /proc/cmdline) == *" klp_suite=boot"* ]] ||
		fail "/proc/cmdline, unpatched: '$(cat /proc/cmdline)'"
}

# Only these two: test-klpctl.sh's own tests are the check suite's.
TEST_NAMES=() TEST_CMDS=() TEST_CLEANUPS=()
klp_test "boot: the installed patch was loaded by klpctl load --all before the suite" test_boot_loaded
klp_test "boot: load --all loads what is installed once; unload" test_boot_again
run_tests enable_klp_debug
