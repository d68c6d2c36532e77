# SPDX-License-Identifier: GPL-2.0
# Stress: the cmdline patch (Rust, and its C twin) enabled and disabled
# STRESS_CYCLES times while a reader pinned to each CPU reads /proc/cmdline
# without pause: every read must be the booted or the patched line, and the
# kernel must log no BUG, WARNING, Oops, Call Trace, lockdep report or RCU
# stall. Then SAMPLE_CYCLES load/enable/disable/unload cycles of every sample
# patch. Sourced by tests/suite-check.sh.
#
# The counts are below the 200 and 50 we aim for: with the readers running,
# each transition waits for the kernel's next retry, one second later, so a
# cycle takes about 2.9 s on TCG (200 cycles of the Rust patch: 570 s).

STRESS_CYCLES=20
SAMPLE_CYCLES=5
STRESS_DIR=/tmp/stress

# Fail if the kernel logged anything that looks like a kernel problem.
assert_no_kernel_problem() {
	! dmesg | grep -E 'BUG|WARNING|Oops|Call Trace|lockdep|rcu.*stall' ||
		fail "kernel problem in dmesg"
}

# Read /proc/cmdline until SIGTERM, pinned to CPU $1; then write "reads bad"
# to $STRESS_DIR/$1. Any line other than the booted or the patched one is bad.
cmdline_reader() {
	local reads=0 bad=0 line stop=0
	taskset -p -c "$1" $BASHPID >/dev/null
	trap 'stop=1' TERM
	while ((!stop)); do
		read -r line </proc/cmdline
		[[ $line == "$CMDLINE_BOOT" || $line == "$CMDLINE_PATCHED" ]] || {
			bad=$((bad + 1))
			echo "$line" >>"$STRESS_DIR/$1.bad"
		}
		reads=$((reads + 1))
	done
	echo "$reads $bad" >"$STRESS_DIR/$1"
}

# Wait, polling often, until the shell condition $1 holds (at most 30 s).
wait_fast() {
	local i
	for ((i = 0; i < 3000; i++)); do
		eval "$1" && return 0
		sleep 0.01
	done
	fail "timed out waiting for: $1"
}

# One cycle of the patch module file $1 (module $2): load, wait for the
# transition, disable, wait for the kernel to free it, unload.
patch_cycle() {
	insmod "$1" || fail "insmod $1 failed"
	wait_fast "[[ -e $SYSFS_KLP/$2/transition && \$(<$SYSFS_KLP/$2/transition) == 0 ]]"
	echo 0 >"$SYSFS_KLP/$2/enabled"
	wait_fast "[[ ! -e $SYSFS_KLP/$2 && \$(</sys/module/$2/refcnt) == 0 ]]"
	rmmod "$2" || fail "rmmod $2 failed"
}

# $STRESS_CYCLES cycles of the cmdline patch $1 under two pinned readers.
test_stress_cmdline() {
	local ko=$1 start elapsed cpu reads bad total=0
	reset_livepatch
	rm -rf $STRESS_DIR
	mkdir -p $STRESS_DIR
	dmesg -c >/dev/null
	echo 'file kernel/livepatch/* -p' >/sys/kernel/debug/dynamic_debug/control
	cmdline_reader 0 &
	local reader0=$!
	cmdline_reader 1 &
	local reader1=$!
	start=$(date +%s.%N)
	for ((i = 0; i < STRESS_CYCLES; i++)); do
		patch_cycle "$ko" $CMDLINE_PATCH
	done
	elapsed=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
	kill -TERM $reader0 $reader1
	wait $reader0 $reader1
	enable_klp_debug
	for cpu in 0 1; do
		read -r reads bad <$STRESS_DIR/$cpu
		[[ $bad == 0 ]] || fail "CPU $cpu read $bad unexpected lines: $(head -3 $STRESS_DIR/$cpu.bad)"
		((reads > 0)) || fail "CPU $cpu read nothing"
		total=$((total + reads))
		echo "CPU $cpu: $reads reads of /proc/cmdline, all booted or patched"
	done
	echo "$STRESS_CYCLES enable/disable cycles in ${elapsed}s, $total reads," \
		"$(awk -v n=$total -v t="$elapsed" 'BEGIN { printf "%d", n / t }') reads/s"
	assert_no_kernel_problem
}

# $SAMPLE_CYCLES cycles of each sample patch in $@ (module files).
test_stress_samples() {
	local ko start
	reset_livepatch
	dmesg -c >/dev/null
	echo 'file kernel/livepatch/* -p' >/sys/kernel/debug/dynamic_debug/control
	for ko in "$@"; do
		start=$SECONDS
		for ((i = 0; i < SAMPLE_CYCLES; i++)); do
			patch_cycle "$ko" "$(modname "$ko")"
		done
		echo "${ko##*/}: $SAMPLE_CYCLES cycles in $((SECONDS - start))s"
	done
	enable_klp_debug
	assert_no_kernel_problem
}

klp_test "stress: Rust cmdline patch, $STRESS_CYCLES cycles under two readers" \
	test_stress_cmdline $RUST_MODULES/livepatch_sample.ko
klp_test "stress: C cmdline patch, $STRESS_CYCLES cycles under two readers" \
	test_stress_cmdline $C_MODULES/livepatch-sample.ko
klp_test "stress: $SAMPLE_CYCLES cycles of every Rust sample patch" test_stress_samples \
	$RUST_MODULES/livepatch_{sample,callbacks_demo,shadow_fix1,shadow_fix2}.ko
klp_test "stress: $SAMPLE_CYCLES cycles of every C sample patch" test_stress_samples \
	$C_MODULES/livepatch-{sample,callbacks-demo,shadow-fix1,shadow-fix2}.ko
