# SPDX-License-Identifier: GPL-2.0
# Private symbols through livepatch relocations (klp::private!,
# tools/klp-convert): a replacement that calls a static function of vmlinux
# and reads variables the kernel does not export; a replacement that reads a
# module's static variable and calls one of its two same-named static
# functions, with the patch loaded before and after that module and across
# its reload; and a module left unconverted, which the patch refuses to
# enable. Sourced by tests/suite-check.sh.

PRIVATE=klp_rs_private
PRIVATE_TARGET=klp_rs_target
PRIVATE_TARGET_FILE=/sys/kernel/debug/klp_rs_target
PRIVATE_TARGET_VALUES="value=1 dup_a=10 dup_b=20 notrace=3"
# value * 1000 + the second klp_rs_target_dup() (dup_b.c): 1 * 1000 + 20.
PRIVATE_TARGET_PATCHED="value=1020 dup_a=10 dup_b=20 notrace=3"

# What the patched /proc/cmdline shows: /proc/version, through the static
# version_proc_show(), then the boot command line and its length, read from
# saved_command_line and saved_command_line_len.
private_cmdline() {
	cat /proc/version
	echo "klp_rs_private: saved_command_line_len=${#CMDLINE_BOOT} saved_command_line=$CMDLINE_BOOT"
}

# The symbols the patch reaches are private: none of them is exported to
# modules. /proc/kallsyms lists an exported symbol's __ksymtab_ entry.
test_private_not_exported() {
	local sym
	for sym in version_proc_show saved_command_line saved_command_line_len; do
		grep -qE " $sym\$" /proc/kallsyms || fail "$sym not in /proc/kallsyms"
		! grep -qE " __ksymtab_$sym\$" /proc/kallsyms || fail "$sym is exported"
	done
}

test_private_vmlinux() {
	reset_livepatch $PRIVATE_TARGET
	load_lp $RUST_MODULES/$PRIVATE.ko
	assert_eq "$(cat /proc/cmdline)" "$(private_cmdline)" "/proc/cmdline, patched"
	disable_lp $PRIVATE
	assert_eq "$(cat /proc/cmdline)" "$CMDLINE_BOOT" "/proc/cmdline, unpatched"
	unload_mod $PRIVATE
}

# Load the module klp_rs_target and check what its functions return.
private_load_target() {
	load_mod $RUST_MODULES/$PRIVATE_TARGET.ko
	assert_eq "$(cat $PRIVATE_TARGET_FILE)" "${1-$PRIVATE_TARGET_VALUES}" "$PRIVATE_TARGET_FILE"
}

# The target first: the kernel applies the module's relocations when the
# patch is enabled.
test_private_module_loaded_first() {
	reset_livepatch $PRIVATE_TARGET
	private_load_target
	load_lp $RUST_MODULES/$PRIVATE.ko
	assert_eq "$(cat $PRIVATE_TARGET_FILE)" "$PRIVATE_TARGET_PATCHED" "$PRIVATE_TARGET_FILE, patched"
	disable_lp $PRIVATE
	assert_eq "$(cat $PRIVATE_TARGET_FILE)" "$PRIVATE_TARGET_VALUES" "$PRIVATE_TARGET_FILE, unpatched"
	unload_mod $PRIVATE
	unload_mod $PRIVATE_TARGET
}

# The patch first: the kernel applies the module's relocations when the
# module loads, then reverts and clears them when it goes, and applies them
# again when it comes back.
test_private_module_loaded_later() {
	reset_livepatch $PRIVATE_TARGET
	load_lp $RUST_MODULES/$PRIVATE.ko
	assert_eq "$(cat $SYSFS_KLP/$PRIVATE/$PRIVATE_TARGET/patched)" 0 "$PRIVATE_TARGET patched"
	start_transcript
	private_load_target "$PRIVATE_TARGET_PATCHED"
	assert_eq "$(cat $SYSFS_KLP/$PRIVATE/$PRIVATE_TARGET/patched)" 1 "$PRIVATE_TARGET patched"
	unload_mod $PRIVATE_TARGET
	private_load_target "$PRIVATE_TARGET_PATCHED"
	assert_no_kernel_splat
	check_transcript <<-EOT
		% insmod $PRIVATE_TARGET.ko
		livepatch: applying patch '$PRIVATE' to loading module '$PRIVATE_TARGET'
		% rmmod $PRIVATE_TARGET
		livepatch: reverting patch '$PRIVATE' on unloading module '$PRIVATE_TARGET'
		% insmod $PRIVATE_TARGET.ko
		livepatch: applying patch '$PRIVATE' to loading module '$PRIVATE_TARGET'
	EOT
	disable_lp $PRIVATE
	assert_eq "$(cat $PRIVATE_TARGET_FILE)" "$PRIVATE_TARGET_VALUES" "$PRIVATE_TARGET_FILE, unpatched"
	unload_mod $PRIVATE
	unload_mod $PRIVATE_TARGET
}

# A module whose private symbol was not converted: its reference is a weak
# symbol the module loader resolved to 0, and Patch::enable refuses the
# patch with ENOEXEC before the kernel sees it.
test_private_unconverted() {
	reset_livepatch
	start_transcript
	load_failing_mod $RUST_MODULES/klp_rs_unconverted.ko "Invalid module format"
	assert_eq "$(ls $SYSFS_KLP)" "" "patches in $SYSFS_KLP"
	assert_eq "$(cat /proc/cmdline)" "$CMDLINE_BOOT" "/proc/cmdline"
	check_transcript klp_rs_unconverted <<-EOT
		% insmod klp_rs_unconverted.ko
		klp_rs_unconverted: klp: .klp.sym.vmlinux.saved_command_line,0 is undefined: this module was not converted by tools/klp-convert
	EOT
}

klp_test "private: the symbols the test patch uses are not exported" test_private_not_exported
klp_test "private: a vmlinux static function called and unexported variables read" test_private_vmlinux
klp_test "private: a module's static variable and sympos-2 function, module loaded first" \
	test_private_module_loaded_first
klp_test "private: a module's relocations applied on load and again after a reload" \
	test_private_module_loaded_later
klp_test "private: an unconverted module is refused (ENOEXEC)" test_private_unconverted
