# SPDX-License-Identifier: GPL-2.0
# `make bench` inside the guest: what a live-patched call costs, unpatched,
# patched by C and patched by Rust, measured side by side in this one boot.
# Each sample is a line 'bench: {JSON}' in the test's output, which
# tools/klp-bench turns into the tables and plots on the host. With
# klp_bench=quick on the kernel command line (make check's bench-quick), one
# short iteration of each part: that it runs, not what it measures.
source ./lib.sh

BENCH=klp_rs_bench
BENCH_RUN=/sys/kernel/debug/klp_rs_bench/run
BENCH_TARGET=/sys/kernel/debug/klp_rs_bench/target
# The per-call and read parts run in rounds (CALL_ROUNDS), each measuring
# every variant, the patched ones in alternating order, so that a drift over
# the boot (of the host, of QEMU's code cache) weighs on all variants alike.
if [[ ${klp_bench-} == quick ]]; then
	CALLS=10000 CALL_REPS=1 READ_SECONDS=0.3 READ_REPS=1 CALL_ROUNDS=1
	TASK_COUNTS="0 10" TASK_REPS=1
else
	CALLS=1000000 CALL_REPS=3 READ_SECONDS=2 READ_REPS=2 CALL_ROUNDS=3
	TASK_COUNTS="0 100 1000 5000" TASK_REPS=3
fi
TRACING=/sys/kernel/debug/tracing

# Print a sample: part $1, variant $2, then "key":value pairs from $3...
sample() {
	local part=$1 variant=$2 fields
	shift 2
	fields=$(printf ',%s' "$@")
	echo "bench: {\"part\":\"$part\",\"variant\":\"$variant\"$fields}"
}

# The patch module of variant $1 (c or rust) of the per-call bench.
bench_patch() {
	case $1 in
	c) echo $RUST_MODULES/klp_rs_bench_patch_c.ko ;;
	rust) echo $RUST_MODULES/klp_rs_bench_patch.ko ;;
	esac
}

# Run the timed loop of $CALLS calls $CALL_REPS times (after one warm-up run)
# as variant $1 of part $3 (default call); every run must end with the same
# result, $2.
bench_calls() {
	local rep calls ns result out
	echo $CALLS >$BENCH_RUN
	for ((rep = 1; rep <= CALL_REPS; rep++)); do
		echo $CALLS >$BENCH_RUN
		out=$(cat $BENCH_RUN)
		read -r _ calls _ ns _ result <<<"$out"
		assert_eq "$calls" "$CALLS" "calls of run $rep"
		assert_eq "$result" "$2" "result of run $rep ($1)"
		sample "${3:-call}" "$1" "\"rep\":$rep" "\"calls\":$calls" "\"ns\":$ns"
	done
}

# Per-call cost: the same loop over klp_rs_bench_fn() unpatched, then
# redirected to the C replacement, then to the Rust one (same body).
test_bench_calls() {
	local variant expected round order
	reset_livepatch $BENCH
	load_mod $RUST_MODULES/$BENCH.ko
	echo $CALLS >$BENCH_RUN
	read -r _ _ _ _ _ expected <"$BENCH_RUN"
	for ((round = 1; round <= CALL_ROUNDS; round++)); do
		order="c rust"
		((round % 2)) || order="rust c"
		bench_calls unpatched "$expected"
		for variant in $order; do
			load_lp "$(bench_patch $variant)"
			bench_calls $variant "$expected"
			disable_lp "$(modname "$(bench_patch $variant)")"
			unload_mod "$(modname "$(bench_patch $variant)")"
		done
	done
	unload_mod $BENCH
}

# Read /proc/cmdline for $READ_SECONDS with klp_rs_caller on CPU 1,
# $READ_REPS times, as variant $1; every read must return $2.
bench_reads() {
	local rep start end out calls
	for ((rep = 1; rep <= READ_REPS; rep++)); do
		start=$EPOCHREALTIME
		klp_rs_caller 1 /proc/cmdline "$2" "$2" >/tmp/bench-reads.out &
		sleep "$READ_SECONDS"
		kill -TERM $!
		wait $! || fail "klp_rs_caller: $(cat /tmp/bench-reads.out)"
		end=$EPOCHREALTIME
		out=$(cat /tmp/bench-reads.out)
		read -r _ calls _ <<<"$out"
		sample cmdline "$1" "\"rep\":$rep" "\"reads\":$calls" \
			"\"us\":$(((${end/./} - ${start/./})))"
	done
}

# What klp::patchable!'s wrapper costs a call: the loop of bench_calls over
# the same body in Rust, a plain function and a patchable one
# (tests/modules/klp_rs_bench_rust.rs), alternating, each through a pointer.
test_bench_wrapper() {
	local expected round variant order
	reset_livepatch klp_rs_bench_rust $BENCH
	load_mod $RUST_MODULES/$BENCH.ko
	load_mod $RUST_MODULES/klp_rs_bench_rust.ko
	echo $CALLS >$BENCH_RUN
	read -r _ _ _ _ _ expected <"$BENCH_RUN"
	for ((round = 1; round <= CALL_ROUNDS; round++)); do
		order="plain patchable"
		((round % 2)) || order="patchable plain"
		for variant in $order; do
			echo $variant >$BENCH_TARGET || fail "klp_rs_bench refused the target $variant"
			bench_calls $variant "$expected" wrapper
		done
	done
	echo c >$BENCH_TARGET
	unload_mod klp_rs_bench_rust
	unload_mod $BENCH
}

# Reads of the patched /proc/cmdline per second: unpatched, through the C
# sample's replacement and through the Rust one.
test_bench_cmdline() {
	local round variant order file
	reset_livepatch
	for ((round = 1; round <= CALL_ROUNDS; round++)); do
		order="c rust"
		((round % 2)) || order="rust c"
		bench_reads unpatched "$CMDLINE_BOOT"
		for variant in $order; do
			file=$RUST_MODULES/$CMDLINE_PATCH.ko
			[[ $variant == rust ]] || file=$C_MODULES/livepatch-sample.ko
			load_lp "$file"
			bench_reads $variant "$CMDLINE_PATCHED"
			disable_lp $CMDLINE_PATCH
			unload_mod $CMDLINE_PATCH
		done
	done
}

# lib.sh's loop_until at the resolution of the times measured (20 ms), up to
# 600 s, far beyond what any transition here takes.
bench_poll() {
	POLL_INTERVAL=0.02 POLL_MAX=30000 loop_until "$1"
}

# Load the patch module $1 and print the µs from before insmod until its
# transition ends and how many times the kernel tried to complete it (calls
# of klp_try_complete_transition(), counted by the function tracer); then
# disable it and print the µs until the kernel has freed it; remove it. Prints
# '"load_us":N,"attempts":N,"disable_us":N'.
time_patch() {
	local mod start loaded stop disabled attempts
	mod=$(modname "$1")
	echo >$TRACING/trace
	start=$EPOCHREALTIME
	insmod "$1" || fail "insmod $1 failed"
	bench_poll "[[ \$(cat $SYSFS_KLP/$mod/transition) == 0 ]]"
	loaded=$EPOCHREALTIME
	attempts=$(grep -c ' klp_try_complete_transition' $TRACING/trace || true)
	stop=$EPOCHREALTIME
	echo 0 >$SYSFS_KLP/$mod/enabled
	bench_poll "[[ ! -e $SYSFS_KLP/$mod ]]"
	disabled=$EPOCHREALTIME
	unload_mod "$mod"
	echo "\"load_us\":$((${loaded/./} - ${start/./})),\"attempts\":$attempts,\"disable_us\":$((${disabled/./} - ${stop/./}))"
}

# Start sleeping tasks until there are $1; their pids go to $SLEEPERS, a file,
# so that the cleanup, which runs in another subshell, finds them too.
SLEEPERS=/tmp/bench-sleepers
sleepers() {
	local have
	have=$(wc -l <$SLEEPERS 2>/dev/null || echo 0)
	while ((have < $1)); do
		sleep 100000 &
		echo $! >>$SLEEPERS
		have=$((have + 1))
	done
}

# Stop the sleeping tasks and the function tracer: the test's cleanup, passed
# or failed.
stop_sleepers() {
	local pid
	if [[ -f $SLEEPERS ]]; then
		while read -r pid; do
			kill "$pid" 2>/dev/null || true
		done <$SLEEPERS
		rm -f $SLEEPERS
	fi
	echo nop >$TRACING/current_tracer
	echo >$TRACING/set_ftrace_filter
}

# Transition time with more and more extra tasks asleep (outside the patched
# function), the C and the Rust cmdline patch in turn at each count.
test_bench_tasks() {
	local count rep variant file times
	reset_livepatch
	rm -f $SLEEPERS
	echo klp_try_complete_transition >$TRACING/set_ftrace_filter
	echo function >$TRACING/current_tracer
	for count in $TASK_COUNTS; do
		sleepers "$count"
		for ((rep = 1; rep <= TASK_REPS; rep++)); do
			for variant in c rust; do
				file=$RUST_MODULES/$CMDLINE_PATCH.ko
				[[ $variant == rust ]] || file=$C_MODULES/livepatch-sample.ko
				times=$(time_patch "$file")
				sample tasks $variant "\"rep\":$rep" "\"tasks\":$count" "$times"
			done
		done
	done
	stop_sleepers
}

# Patch-size scaling: for each generated target of N functions
# (/lib/modules/extra, scripts/bench), the C and the Rust patch of all N.
test_bench_scale() {
	local ko n target variant times rep
	reset_livepatch
	echo klp_try_complete_transition >$TRACING/set_ftrace_filter
	echo function >$TRACING/current_tracer
	for ko in /lib/modules/extra/klp_rs_scale_target_*.ko; do
		[[ -f $ko ]] || fail "no generated targets in /lib/modules/extra"
		target=$(modname "$ko")
		n=${target##*_}
		load_mod "$ko"
		for ((rep = 1; rep <= TASK_REPS; rep++)); do
			for variant in c rust; do
				times=$(time_patch /lib/modules/extra/klp_rs_scale_${variant}_$n.ko)
				sample scale $variant "\"rep\":$rep" "\"functions\":$n" "$times"
			done
		done
		unload_mod "$target"
	done
	stop_sleepers
}

klp_test "bench: per-call cost, unpatched, C and Rust" test_bench_calls
klp_test "bench: /proc/cmdline reads per second, unpatched, C and Rust" test_bench_cmdline
klp_test "bench: per-call cost of a Rust function, plain and patchable" test_bench_wrapper
klp_test --cleanup stop_sleepers "bench: transition time by extra sleeping tasks, C and Rust" \
	test_bench_tasks
klp_test --cleanup stop_sleepers "bench: load and disable times by patch size, C and Rust" \
	test_bench_scale
run_tests
