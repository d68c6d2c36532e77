# SPDX-License-Identifier: GPL-2.0
# `make selftests` inside the guest: the kernel's own livepatch selftest
# scripts, unmodified, run once against the tree's C test modules and once
# against our Rust ports (scripts/run-qemu --selftests lays out both runs).
source ./lib.sh

SELFTESTS=/selftests
# The scripts to run, in order: those the kernel tree's selftest Makefile
# lists in TEST_PROGS (scripts/run-qemu writes them to this file).
mapfile -t SCRIPTS <$SELFTESTS/TEST_PROGS
# Each script runs at most this long (seconds; klp_selftest_timeout= on the
# kernel command line changes it). A script takes 10-30 s under TCG on an
# idle host: the limit only keeps a hung one from taking the rest with it.
SCRIPT_TIMEOUT=${klp_selftest_timeout:-600}
# How long each run took, 'DIR SCRIPT SECONDS' a line, for the report.
DURATIONS=/tmp/selftest-durations
if [[ -e /sys/kernel/tracing/trace ]]; then
	TRACING=/sys/kernel/tracing
else
	TRACING=/sys/kernel/debug/tracing
fi

# The names of the modules of both runs.
selftest_modules() {
	local ko
	for ko in $SELFTESTS/{c,rust}/test_modules/*.ko; do
		modname "$ko"
	done | sort -u
}

# Whether the function tracer is tracing every kernel function, which slows
# a TCG guest to a crawl. No script means to: test-ftrace.sh's trace test
# does when its set_ftrace_filter write fails. Checked in this order because
# trace_function() (functions.sh) sets the tracer first, then the filter,
# then tracing_on.
tracer_unfiltered() {
	[[ $(<$TRACING/tracing_on) == 1 && $(<$TRACING/current_tracer) == function ]] &&
		grep -q '^#### all functions enabled ####' $TRACING/set_ftrace_filter
}

# Put the guest back as a script expects to find it, whatever a stopped
# script left: no tracer, no filter, tracing on, kprobes and ftrace enabled,
# no livepatch debug messages, no patch and none of the test modules loaded.
restore_guest() {
	echo nop >$TRACING/current_tracer
	echo >$TRACING/set_ftrace_filter
	echo >$TRACING/set_ftrace_notrace
	echo >$TRACING/trace
	echo 1 >$TRACING/tracing_on
	[[ ! -e /sys/kernel/debug/kprobes/enabled ]] || echo 1 >/sys/kernel/debug/kprobes/enabled
	echo 1 >/proc/sys/kernel/ftrace_enabled
	echo 'file kernel/livepatch/* -p' >/sys/kernel/debug/dynamic_debug/control
	reset_livepatch $(selftest_modules)
}

# Run the command $2... in a session of its own, its output in the file $1,
# and wait for it; return its exit status. Every half second, if the
# function tracer runs unfiltered, as it did half a second before (not a
# script's passing state while it sets up tracing), stop it (tracer nop; the
# script then runs on to its own verdict); after SCRIPT_TIMEOUT seconds, kill
# the session and restore the guest (restore_guest). Says on stdout what it
# did.
watch_selftest() {
	local out=$1 pid rc=0 start=$SECONDS unfiltered=0
	shift
	# A background child of this shell leads no process group, so setsid
	# needs no fork: $! is the session's leader.
	setsid "$@" >"$out" 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		if ((SECONDS - start >= SCRIPT_TIMEOUT)); then
			kill -KILL -- -"$pid"
			wait "$pid" || true
			echo "killed after ${SCRIPT_TIMEOUT} s (klp_selftest_timeout)"
			restore_guest
			return 124
		fi
		if ! tracer_unfiltered; then
			unfiltered=0
		elif ((++unfiltered == 2)); then
			unfiltered=0
			echo nop >$TRACING/current_tracer
			echo "stopped the unfiltered function tracer after $((SECONDS - start)) s"
		fi
		sleep 0.5
	done
	wait "$pid" || rc=$?
	return "$rc"
}

# Run the selftest script $2 in run directory $1 (c or rust). A skip (exit 4)
# is a failure here; so is running out of time.
run_selftest() {
	local dir=$SELFTESTS/$1 rc=0 start=$SECONDS out=/tmp/selftest-output report
	reset_livepatch $(selftest_modules)
	(cd $dir && sha256sum -c ../SHA256SUMS >/dev/null) ||
		fail "the scripts in $dir differ from the kernel tree's"
	# functions.sh wants a KDIR to build modules from; ours are prebuilt.
	report=$(cd $dir && watch_selftest $out env KDIR=$SELFTESTS "./$2") || rc=$?
	cat $out
	[[ -z $report ]] || echo "$report"
	echo "$1 $2 $((SECONDS - start))" >>$DURATIONS
	((rc != 0)) || return 0
	case $rc in
	4) fail "$2 exited with 4 (skipped)" ;;
	124) fail "$2 did not finish within ${SCRIPT_TIMEOUT} s" ;;
	*) fail "$2 exited with $rc" ;;
	esac
}

: >$DURATIONS
for script in "${SCRIPTS[@]}"; do
	klp_test "c $script" run_selftest c "$script"
	klp_test "rust $script" run_selftest rust "$script"
done
run_tests
status=$?

# The side-by-side report: one line per script, C and Rust columns with
# how long each run took.
echo "# selftest script       C         s   Rust      s"
for script in "${SCRIPTS[@]}"; do
	printf '# %-20s %-8s %3s   %-8s %3s\n' "$script" \
		"${TEST_RESULTS[c $script]--}" "$(awk -v s="$script" '$1 == "c" && $2 == s { print $3 }' $DURATIONS)" \
		"${TEST_RESULTS[rust $script]--}" "$(awk -v s="$script" '$1 == "rust" && $2 == s { print $3 }' $DURATIONS)"
done
exit $status
