# SPDX-License-Identifier: GPL-2.0
# patches/livepatch_cmdline_redact.rs, a fix that reads the unexported
# saved_command_line through klp::private!: /proc/cmdline shows every
# parameter but the values of those named as secrets. scripts/run-qemu boots
# the check suite with four parameters for it (REDACT_BOOT below), which the
# kernel ignores (their names have a dot). Sourced by tests/suite-check.sh.

REDACT=livepatch_cmdline_redact
# As scripts/run-qemu appends them, then as the fix shows them.
REDACT_BOOT='rd.luks.key=/klp-rs-test.key "klp_rs.api_token=two words" "klp_rs.db_password"=letmein klp_rs.keyboard=us'
REDACT_SHOWN='rd.luks.key=*** "klp_rs.api_token=***" "klp_rs.db_password"=*** klp_rs.keyboard=us'

test_redact() {
	[[ $CMDLINE_BOOT == *"$REDACT_BOOT"* ]] ||
		fail "the boot command line lacks the test parameters '$REDACT_BOOT'"
	reset_livepatch
	load_lp $RUST_MODULES/$REDACT.ko
	assert_eq "$(cat /proc/cmdline)" "${CMDLINE_BOOT/"$REDACT_BOOT"/"$REDACT_SHOWN"}" \
		"/proc/cmdline, patched"
	disable_lp $REDACT
	assert_eq "$(cat /proc/cmdline)" "$CMDLINE_BOOT" "/proc/cmdline, unpatched"
	unload_mod $REDACT
}

klp_test "redact: /proc/cmdline hides secret values, through a private variable" test_redact
