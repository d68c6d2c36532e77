# SPDX-License-Identifier: GPL-2.0
# The layout of the kernel structs that klp-rs and its tests access through
# Rust bindings (kernel::bindings and the generated klp bindings), as C and
# Rust see them in this kernel: every size, alignment and field offset must
# agree, or Rust code reads and writes the wrong bytes. Sourced by
# tests/suite-check.sh.

LAYOUT_C=klp_rs_layout_c
LAYOUT_RUST=klp_rs_layout

# klp_rs_layout_c and klp_rs_layout print the same lines, from C's offsetof
# and from Rust's offset_of!: they must be identical.
test_layout_c_and_rust() {
	local c rust
	reset_livepatch $LAYOUT_C $LAYOUT_RUST
	load_mod $RUST_MODULES/$LAYOUT_C.ko
	load_mod $RUST_MODULES/$LAYOUT_RUST.ko
	c=$(cat /sys/kernel/$LAYOUT_C/layout)
	rust=$(cat /sys/kernel/$LAYOUT_RUST/layout)
	unload_mod $LAYOUT_RUST
	unload_mod $LAYOUT_C
	[[ -n $c ]] || fail "$LAYOUT_C shows no layout"
	if [[ $c != "$rust" ]]; then
		echo "layouts differ (- C, + Rust):"
		diff -u <(echo "$c") <(echo "$rust") | tail -n +3
		fail "Rust's layout differs from C's"
	fi
	echo "$(wc -l <<<"$c") sizes, alignments and offsets agree"
}

# task_struct::pid and ::tgid read through kernel::bindings are the reading
# task's: bash prints its pid, then becomes cat, which reads the file.
test_layout_current_pid() {
	local lines
	reset_livepatch $LAYOUT_RUST
	load_mod $RUST_MODULES/$LAYOUT_RUST.ko
	lines=$(bash -c 'echo "pid $$ tgid $$"; exec cat "$1"' bash /sys/kernel/$LAYOUT_RUST/current)
	unload_mod $LAYOUT_RUST
	assert_eq "$(sed -n 2p <<<"$lines")" "$(sed -n 1p <<<"$lines")" \
		"current's pid and tgid read through kernel::bindings"
	echo "read through kernel::bindings: $(sed -n 2p <<<"$lines")"
}

klp_test "layout: C and Rust agree on every struct klp-rs reads" test_layout_c_and_rust
klp_test "layout: task_struct::pid read through kernel::bindings" test_layout_current_pid
