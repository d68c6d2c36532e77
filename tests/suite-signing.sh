# SPDX-License-Identifier: GPL-2.0
# `make check-signing` inside the guest: a kernel that enforces module
# signatures and the Rust cmdline patch, signed and unsigned
# (scripts/check-signing packs both). klp_signing= on the kernel command line
# says what the kernel trusts:
#   trusted    the patch is signed with a key the kernel trusts (the key the
#              test kernel's build generated; booted with
#              module.sig_enforce=1): the signed patch loads and works;
#   untrusted  the patch is signed with a key the kernel does not know
#              (Debian's kernel, booted with module.sig_enforce=1): both are
#              refused, each with the kernel's reason.
# In both cases the unsigned patch is refused.
source ./lib.sh

SIGNING=$(sed -n 's/.*klp_signing=\([a-z]*\).*/\1/p' /proc/cmdline)
SIGNED=$RUST_MODULES/livepatch_sample.ko
UNSIGNED=$RUST_MODULES/livepatch_sample_unsigned.ko

# The kernel enforces signatures: the parameter the kernel shows for it.
test_enforcing() {
	assert_eq "$(cat /sys/module/module/parameters/sig_enforce)" Y \
		"/sys/module/module/parameters/sig_enforce"
}

# insmod of the module file $1 fails with EKEYREJECTED, the kernel logs why
# ($2), and no patch appears.
refused() {
	load_failing_mod "$1" "Key was rejected by service"
	log_since_mark_grep -F "$2" || fail "the kernel did not log '$2'"
	assert_absent "$SYSFS_KLP/$CMDLINE_PATCH"
	assert_eq "$(cat /proc/cmdline)" "$CMDLINE_BOOT" "/proc/cmdline"
}

test_unsigned_refused() {
	refused "$UNSIGNED" "Loading of unsigned module is rejected"
}

test_signed_loads() {
	load_lp "$SIGNED"
	assert_eq "$(cat /proc/cmdline)" "$CMDLINE_PATCHED" "/proc/cmdline, patched"
	disable_lp "$CMDLINE_PATCH"
	unload_mod "$CMDLINE_PATCH"
	assert_eq "$(cat /proc/cmdline)" "$CMDLINE_BOOT" "/proc/cmdline, unpatched"
}

test_untrusted_refused() {
	refused "$SIGNED" "Loading of module with unavailable key is rejected"
}

klp_test "signing: the kernel enforces module signatures" test_enforcing
klp_test "signing: the unsigned patch is refused" test_unsigned_refused
case $SIGNING in
trusted) klp_test "signing: the patch signed with the kernel's key loads and patches" test_signed_loads ;;
untrusted) klp_test "signing: the patch signed with a key the kernel does not trust is refused" test_untrusted_refused ;;
*) klp_test "signing: klp_signing=trusted|untrusted on the kernel command line" fail "klp_signing='$SIGNING'" ;;
esac
run_tests
