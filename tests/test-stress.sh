# SPDX-License-Identifier: GPL-2.0
# Stress: the cmdline patch (Rust, and its C twin) loaded, enabled, disabled
# and unloaded STRESS_CYCLES times while klp_rs_caller, pinned to each CPU,
# calls the patched cmdline_proc_show() without pause: every call must return
# the booted or the patched line, both must be seen, and the kernel must log
# no report (tests/suite-stress-calls.sh). And SAMPLE_CYCLES of the same
# cycle for every sample patch (tests/suite-stress-samples.sh).
#
# No transition can complete at its first try on an SMP machine: the kernel
# cannot check the stack of a task running on another CPU, and there always
# is one, a caller or that CPU's idle task. Those switch themselves (on the
# way back to user space, or in the idle loop once woken) and the transition
# completes at the kernel's retry, scheduled on a whole second: a cycle takes
# two seconds or more whatever the CPU speed. Hence the two suites, each a
# boot of its own that `make check` runs beside the others.

STRESS_CYCLES=200
SAMPLE_CYCLES=50
STRESS_DIR=/tmp/stress

# Wait, polling often, until the shell condition $1 holds (at most 30 s).
wait_fast() {
	POLL_INTERVAL=0.01 POLL_MAX=3000 loop_until "$1"
}

# Seconds since $1 (a date +%s.%N), to a tenth.
seconds_since() {
	awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }'
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

# $STRESS_CYCLES cycles of the cmdline patch $1 while klp_rs_caller, pinned
# to each CPU, calls cmdline_proc_show() without pause. The callers run at
# nice 19: they take all the CPU the shell running the cycles leaves, and the
# shell is not slowed past the kernel's next retry.
test_stress_cmdline() {
	local ko=$1 start elapsed cpu calls old new bad total=0 pids=()
	reset_livepatch
	rm -rf $STRESS_DIR
	mkdir -p $STRESS_DIR
	echo 'file kernel/livepatch/* -p' >/sys/kernel/debug/dynamic_debug/control
	for cpu in $(seq 0 $(($(nproc) - 1))); do
		klp_rs_caller $cpu /proc/cmdline "$CMDLINE_BOOT" "$CMDLINE_PATCHED" \
			>$STRESS_DIR/$cpu 2>&1 &
		pids+=($!)
	done
	# If a cycle fails, the callers must not outlive the test.
	trap 'kill ${pids[*]} 2>/dev/null' EXIT
	sleep 0.5
	for cpu in "${!pids[@]}"; do
		[[ -e /proc/${pids[$cpu]} ]] || fail "the caller on CPU $cpu did not start: $(cat $STRESS_DIR/$cpu)"
	done
	start=$(date +%s.%N)
	for ((i = 1; i <= STRESS_CYCLES; i++)); do
		patch_cycle "$ko" $CMDLINE_PATCH
		((i % 50)) || echo "$i cycles after $(seconds_since "$start") s"
	done
	elapsed=$(seconds_since "$start")
	# A caller that ended early fails in the wait below, with its output.
	kill -TERM "${pids[@]}" 2>/dev/null || true
	for cpu in "${!pids[@]}"; do
		wait "${pids[$cpu]}" || fail "the caller on CPU $cpu failed: $(cat $STRESS_DIR/$cpu)"
	done
	trap - EXIT
	enable_klp_debug
	for cpu in $(seq 0 $(($(nproc) - 1))); do
		read -r _ calls _ old _ new _ bad <$STRESS_DIR/$cpu ||
			fail "no counts from the caller on CPU $cpu"
		[[ $bad == 0 ]] || fail "CPU $cpu: $bad unexpected results: $(cat $STRESS_DIR/$cpu)"
		((old > 0 && new > 0)) || fail "CPU $cpu saw old $old and new $new results: both must appear"
		total=$((total + calls))
		echo "CPU $cpu: $calls calls, $old old results, $new new, 0 unexpected"
	done
	echo "$STRESS_CYCLES enable/disable cycles in ${elapsed}s, $total calls," \
		"$(awk -v n=$total -v t="$elapsed" 'BEGIN { printf "%d", n / t }') calls/s"
	assert_no_kernel_splat
}

# $SAMPLE_CYCLES cycles of each sample patch in $@ (module files).
test_stress_samples() {
	local ko start
	reset_livepatch
	echo 'file kernel/livepatch/* -p' >/sys/kernel/debug/dynamic_debug/control
	for ko in "$@"; do
		start=$SECONDS
		for ((i = 0; i < SAMPLE_CYCLES; i++)); do
			patch_cycle "$ko" "$(modname "$ko")"
		done
		echo "${ko##*/}: $SAMPLE_CYCLES cycles in $((SECONDS - start))s"
	done
	enable_klp_debug
	assert_no_kernel_splat
}

