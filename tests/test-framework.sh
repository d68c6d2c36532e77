# SPDX-License-Identifier: GPL-2.0
# Framework features without a C sample to compare with: module parameters,
# and a replacement typed from a prototype in the bindings. Sourced by
# tests/suite-check.sh.

PARAMS=klp_rs_params
RANDOM_PATCH=klp_rs_patch_random
CONSTANT_UUID=42424242-4242-4242-8242-424242424242

# Fail unless /sys/module/$PARAMS/parameters/$1 has mode $2 and reads $3.
assert_param() {
	local file=/sys/module/$PARAMS/parameters/$1
	assert_eq "$(stat -c %a "$file")" "$2" "mode of $file"
	assert_eq "$(cat "$file")" "$3" "$file"
}

# int, bool and int-array parameters: parsed from insmod by the kernel's own
# param_ops, visible in the module, and in sysfs with their permissions.
test_framework_params() {
	reset_livepatch $PARAMS
	start_transcript
	load_mod $RUST_MODULES/$PARAMS.ko level=-5 flag=1 values=3,-1,9
	assert_param level 600 -5
	assert_param flag 644 Y
	assert_param values 444 3,-1,9
	echo N >/sys/module/$PARAMS/parameters/flag
	assert_param flag 644 N
	unload_mod $PARAMS
	load_mod $RUST_MODULES/$PARAMS.ko
	assert_param level 600 7
	assert_param flag 644 N
	assert_param values 444 ""
	unload_mod $PARAMS
	check_transcript $PARAMS <<-EOT
		% insmod $PARAMS.ko level=-5 flag=1 values=3,-1,9
		$PARAMS: level=-5 flag=true
		$PARAMS: values[0]=3
		$PARAMS: values[1]=-1
		$PARAMS: values[2]=9
		% rmmod $PARAMS
		% insmod $PARAMS.ko
		$PARAMS: level=7 flag=false
		% rmmod $PARAMS
	EOT
}

# get_random_bytes() replaced by a constant fill whose prototype the macro
# took from the bindings: the kernel's random UUIDs become constant, and
# random again once the patch is disabled.
test_framework_bindings_prototype() {
	local uuid
	reset_livepatch
	uuid=/proc/sys/kernel/random/uuid
	[[ $(cat $uuid) != "$CONSTANT_UUID" ]] || fail "unpatched uuid is the constant"
	load_lp $RUST_MODULES/$RANDOM_PATCH.ko
	assert_eq "$(cat $uuid)" "$CONSTANT_UUID" "$uuid"
	assert_eq "$(cat $uuid)" "$CONSTANT_UUID" "$uuid, read again"
	disable_lp $RANDOM_PATCH
	unload_mod $RANDOM_PATCH
	[[ $(cat $uuid) != "$CONSTANT_UUID" ]] || fail "uuid still constant after disabling"
	[[ $(cat $uuid) != "$(cat $uuid)" ]] || fail "uuid not random after disabling"
}

klp_test "framework: int, bool and int-array module parameters" test_framework_params
klp_test "framework: replacement typed from the bindings' prototype" \
	test_framework_bindings_prototype
