# SPDX-License-Identifier: GPL-2.0
# Helpers for the guest tests, sourced by tests/suite-*.sh. In the manner of
# the kernel's tools/testing/selftests/livepatch/functions.sh: small helpers,
# polling instead of sleeping, and expected dmesg transcripts compared with diff.

SYSFS_KLP=/sys/kernel/livepatch
RUST_MODULES=/lib/modules/klp-rs
C_MODULES=/lib/modules/samples
TAINT_LIVEPATCH=$((1 << 15))
# The cmdline patch (livepatch-sample and its Rust twin): its module name,
# what /proc/cmdline reads with it, and without it.
CMDLINE_PATCH=livepatch_sample
CMDLINE_PATCHED="this has been live patched"
CMDLINE_BOOT=$(cat /proc/cmdline)
# loop_until polls every 0.1 s, at most this many times (15 s).
POLL_MAX=150

# Fail the running test with a message; tests run in a subshell, so this ends it.
# On stderr, which the runner keeps with stdout: inside a command substitution
# the message must not vanish into the variable.
fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# Poll every POLL_INTERVAL seconds (0.1 unless set) until the shell condition
# $1 holds; fail after POLL_MAX tries.
loop_until() {
	local i
	for ((i = 0; i < POLL_MAX; i++)); do
		eval "$1" && return 0
		sleep "${POLL_INTERVAL:-0.1}"
	done
	fail "timed out waiting for: $1"
}

# Fail unless $1 equals $2; $3 names what was compared.
assert_eq() {
	[[ $1 == "$2" ]] || fail "$3: expected '$2', got '$1'"
}

# Fail unless the file $1 exists.
assert_exists() {
	[[ -e $1 ]] || fail "$1 does not exist"
}

# Fail if the file $1 exists.
assert_absent() {
	[[ ! -e $1 ]] || fail "$1 still exists"
}

# Fail unless writing $1 to the file $2 is refused with the error text $3.
assert_write_refused() {
	local err
	if err=$( { echo "$1" >"$2"; } 2>&1); then
		fail "writing '$1' to $2 succeeded"
	fi
	[[ $err == *"$3"* ]] || fail "writing '$1' to $2: expected '$3', got '$err'"
	echo "writing '$1' to $2 refused: ${err##*: }"
}

# Fail if the kernel logged a report (KERNEL_REPORT_RE below) since the test
# began: a warning, oops, BUG, lockdep report, RCU stall...
assert_no_kernel_splat() {
	! log_since_mark_grep -E "$KERNEL_REPORT_RE" || fail "kernel report in dmesg"
}

# Whether module $1 is loaded.
module_loaded() {
	grep -q "^$1 " /proc/modules
}

# Write a marker line to the kernel log, as functions.sh does, so that
# transcripts show which command caused which kernel messages.
log() {
	echo "$*" >/dev/kmsg
}

# Load the module file $1 (with parameters $2...); fail if insmod fails.
load_mod() {
	log "% insmod ${1##*/}${2+ ${*:2}}"
	insmod "$@" || fail "insmod $* failed"
}

# Load the livepatch module file $1 and wait for its transition to finish.
load_lp() {
	local mod
	mod=$(modname "$1")
	load_mod "$@"
	loop_until "[[ -e $SYSFS_KLP/$mod/transition ]]"
	wait_for_transition "$mod"
}

# Try to load the module file $1 (with parameters $2...); fail unless insmod
# fails with the error text given last.
load_failing_mod() {
	local err expected=${*: -1}
	set -- "${@:1:$#-1}"
	log "% insmod ${1##*/}${2+ ${*:2}}"
	if err=$(insmod "$@" 2>&1); then
		fail "insmod $* succeeded"
	fi
	[[ $err == *"$expected" ]] || fail "insmod $*: expected '$expected', got '$err'"
	! module_loaded "$(modname "$1")" || fail "$1 loaded although insmod failed"
	echo "$err"
}

# The kernel's name for the module file $1 (dashes become underscores).
modname() {
	local name=${1##*/}
	name=${name%.ko}
	echo "${name//-/_}"
}

# Wait until patch $1 is not in transition.
wait_for_transition() {
	loop_until "[[ \$(cat $SYSFS_KLP/$1/transition) == 0 ]]"
}

# Disable patch $1 through sysfs and wait until the kernel has freed it.
disable_lp() {
	log "% echo 0 > $SYSFS_KLP/$1/enabled"
	echo 0 >"$SYSFS_KLP/$1/enabled" || fail "disabling $1 failed"
	loop_until "[[ ! -e $SYSFS_KLP/$1 ]]"
}

# Wait until nothing holds module $1, then remove it; fail if rmmod fails.
unload_mod() {
	loop_until "[[ \$(cat /sys/module/$1/refcnt) == 0 ]]"
	log "% rmmod $1"
	rmmod "$1" || fail "rmmod $1 failed"
	! module_loaded "$1" || fail "$1 still loaded after rmmod"
}

# Disable every patch and remove its module, then remove the modules named as
# arguments if they are loaded: a clean slate even after a failed test.
reset_livepatch() {
	local dir mod
	for dir in "$SYSFS_KLP"/*; do
		[[ -d $dir ]] || continue
		mod=${dir##*/}
		loop_until "[[ \$(cat $dir/transition) == 0 ]]"
		[[ $(cat "$dir/enabled") == 0 ]] || disable_lp "$mod"
		unload_mod "$mod"
	done
	for mod in "$@"; do
		! module_loaded "$mod" || unload_mod "$mod"
	done
}

# The kernel log since a mark -------------------------------------------------
#
# As functions.sh does with its start marker, the runner writes a mark line to
# the kernel log when each test starts, and a test reads only what follows it:
# an earlier test's lines can neither satisfy nor spoil its checks. The log is
# read into a variable first: under pipefail, grep -q reading dmesg's pipe fails with
# SIGPIPE (status 141) when grep stops at the first match before dmesg is done.

# Write a mark line, unique in the boot, to the kernel log and set the
# variable named $1 to it; the rest of the arguments say what it marks. Fail
# if it did not reach the log.
write_log_mark() {
	local mark="klp-rs mark $EPOCHREALTIME: ${*:2}"
	echo "$mark" >/dev/kmsg
	log_since "$mark" >/dev/null
	printf -v "$1" '%s' "$mark"
}

# Print the kernel log (as dmesg prints it) after the mark line $1; fail if
# the log no longer holds that line (the ring buffer overwrote it).
log_since() {
	local kernel_log
	kernel_log=$(dmesg) || fail "dmesg failed"
	MARK=$1 awk 'BEGIN { mark = "] " ENVIRON["MARK"]; n = length(mark) }
		found { print }
		substr($0, length($0) - n + 1) == mark { found = 1 }
		END { exit !found }' <<<"$kernel_log" ||
		fail "the kernel log no longer holds the line '$1'"
}

# Print the kernel log since the running test began.
log_since_mark() {
	log_since "${TEST_MARK:?set by run_tests as each test starts}"
}

# grep, with the arguments given, the kernel log since the running test began.
log_since_mark_grep() {
	local kernel_log
	kernel_log=$(log_since_mark) || exit 1 # log_since has said why
	grep "$@" <<<"$kernel_log"
}

# Whether the kernel logged a line containing the string $1 since the running
# test began.
log_since_mark_contains() {
	log_since_mark_grep -qF -- "$1"
}

# Start a dmesg transcript: check_transcript compares what follows.
start_transcript() {
	write_log_mark TRANSCRIPT_MARK "transcript"
}

# Compare with stdin what the kernel logged since start_transcript: the
# command markers and the lines matching `livepatch:` or any extended regex
# given as an argument, timestamps and the one-time taint notices removed. The
# same filter as functions.sh's check_result: whether the taint notices appear
# depends on which module loaded first, and other subsystems may log meanwhile.
check_transcript() {
	local expected actual kernel_log pattern='^% |livepatch:'
	expected=$(cat)
	(($# == 0)) || pattern+=$(printf '|%s' "$@")
	kernel_log=$(log_since "${TRANSCRIPT_MARK:?call start_transcript first}") || exit 1
	actual=$(sed -E 's/^\[ *[0-9]+\.[0-9]+\] //' <<<"$kernel_log" |
		{ grep -E "$pattern" || true; } | { grep -vE '(tainting|taints) kernel' || true; })
	if [[ $expected != "$actual" ]]; then
		# diff exits 1 on the difference it shows: under errexit and pipefail
		# that must not end the test before the FAIL line.
		echo "dmesg transcript differs (- expected, + actual):"
		diff -u --label expected --label actual <(echo "$expected") <(echo "$actual") || true
		fail "unexpected dmesg transcript"
	fi
}

# The kernel's lines when it enables patch $1, fails to patch object $2 for
# the reason logged in line $3, and cancels the transition.
failed_patching_transcript() {
	cat <<-EOT
		livepatch: enabling patch '$1'
		livepatch: '$1': initializing patching transition
		$3
		livepatch: failed to patch object '$2'
		livepatch: failed to enable patch '$1'
		livepatch: '$1': canceling patching transition, going to unpatch
		livepatch: '$1': completing unpatching transition
		livepatch: '$1': unpatching complete
	EOT
}

# Enable the livepatch core's debug messages but the per-task one, as
# functions.sh does, so that transcripts show every transition step.
enable_klp_debug() {
	cat >/sys/kernel/debug/dynamic_debug/control <<-EOF
		file kernel/livepatch/* +p
		func klp_try_switch_task -p
	EOF
}

# Kernel health ---------------------------------------------------------------

# What the kernel prints when something went wrong in it: BUG (KASAN, sleeping
# in atomic context, soft lockup), WARN splats and lockdep reports, oopses and
# traces, hung tasks, RCU stalls, debugobjects and list corruption, kmemleak
# turning itself off. (Leaks kmemleak finds are not here: the shadow tests
# expect some, and the kmemleak test at the end of a suite fails on the rest.)
KERNEL_REPORT_RE='BUG:|WARNING:|Oops|Call Trace|general protection fault|kernel BUG|lockdep is turned off|INFO: task .* blocked for more than|rcu: INFO:|detected stalls? on CPU|ODEBUG:|list_(add|del) corruption|kmemleak: .*disabled'
KMEMLEAK=/sys/kernel/debug/kmemleak

# Fail if the kernel logged a report since boot. guest-init copies every
# message to /tmp/kmsg.log, so the tests' dmesg -c hides nothing from this.
test_no_kernel_report() {
	local reports
	[[ -s /tmp/kmsg.log ]] || fail "no kernel log captured in /tmp/kmsg.log"
	reports=$(grep -E "$KERNEL_REPORT_RE" /tmp/kmsg.log || true)
	[[ -z $reports ]] || fail "kernel reports during the suite:"$'\n'"$(head -n 40 <<<"$reports")"
	echo "$(wc -l </tmp/kmsg.log) kernel log lines since boot, none a report"
}

# kmemleak's report after two scans (it reports an object only once its
# contents are unchanged since the previous scan, and only if it is older than
# 5 s).
kmemleak_scan() {
	echo scan >$KMEMLEAK || fail "kmemleak scan refused (is kmemleak disabled? see dmesg)"
	echo scan >$KMEMLEAK
	cat $KMEMLEAK
}

# The number of objects in the kmemleak report $1.
kmemleak_count() {
	grep -c '^unreferenced object' <<<"$1" || true
}

# Fail if kmemleak finds any unreferenced object.
test_kmemleak_clean() {
	local report
	sleep 6 # let objects freed by the last test's work age past kmemleak's 5 s
	report=$(kmemleak_scan)
	[[ -z $report ]] || fail "kmemleak: $(kmemleak_count "$report") unreferenced objects:"$'\n'"$(head -n 60 <<<"$report")"
	echo "kmemleak: no unreferenced object"
}

# KTAP harness ---------------------------------------------------------------

TEST_NAMES=()
TEST_CMDS=()
TEST_CLEANUPS=()
declare -A TEST_RESULTS=() # by test name: ok, not ok, todo (a known failure) or ok(todo)
# The modules tests leave loaded on purpose (keep_module), one a line: a test
# runs in a subshell, so it tells the runner through a file.
KEPT_MODULES=/tmp/kept-modules
# The reason the running test is a known failure, if it is one (known_failure).
KNOWN_FAILURE=/tmp/known-failure

# Register a test: description $1, run as the command $2 with arguments $3...
# With --cleanup CMD first, the runner runs the shell command CMD after the
# test, passed or failed, before it removes what the test left behind
# (clean_up_after_test). With klp_filter=REGEX on the kernel command line,
# only the tests whose description matches are registered; with klp_shard=I/N,
# only this boot's share of them.
klp_test() {
	local cleanup=
	if [[ $1 == --cleanup ]]; then
		cleanup=$2
		shift 2
	fi
	[[ -z ${klp_filter-} || $1 =~ $klp_filter ]] || return 0
	# klp_shard=I/N (scripts/run-qemu --shards N): every Nth test the filter
	# lets through, from the Ith on, counted from 0; the other boots run the rest.
	if [[ -n ${klp_shard-} ]]; then
		KLP_TESTS_SEEN=$((${KLP_TESTS_SEEN:-0} + 1))
		(((KLP_TESTS_SEEN - 1) % ${klp_shard#*/} == ${klp_shard%/*})) || return 0
	fi
	TEST_NAMES+=("$1")
	TEST_CMDS+=("$(printf '%q ' "${@:2}")")
	TEST_CLEANUPS+=("$cleanup")
}

# Declare the running test a known failure, for the reason $1: the runner
# reports it with KTAP's TODO directive, 'not ok N NAME # TODO REASON', which
# counts as neither passed nor failed (scripts/run-qemu) and does not fail
# the suite; should the test pass, 'ok N NAME # TODO REASON' says so. A test
# calls it only once it has the evidence that it failed for that reason. A
# failed cleanup after the test stays a failure.
known_failure() {
	echo "$1" >"$KNOWN_FAILURE"
}

# Declare that the running test leaves module $1 loaded on purpose (because
# it can never be removed): the runner neither removes it nor counts it as
# left behind.
keep_module() {
	echo "$1" >>"$KEPT_MODULES"
}

# The names of the loaded modules, the last loaded first.
loaded_modules() {
	awk '{ print $1 }' /proc/modules
}

# The modules loaded now but not before (when the names in $1 were), less
# those declared with keep_module; the last loaded first.
new_modules() {
	local mod
	for mod in $(loaded_modules); do
		if ! grep -qxF "$mod" <<<"$1" && ! grep -qxF "$mod" "$KEPT_MODULES"; then
			echo "$mod"
		fi
	done
}

# After each test, passed or not ($2: its status): run its cleanup command
# $3, disable every patch and remove the modules it loaded (new_modules, with
# the names in $1 loaded before it), so that the next test starts from a
# clean slate. A test that passed must have removed them itself: fail if it
# left any.
clean_up_after_test() {
	local left mod
	left=$(new_modules "$1")
	[[ -z $3 ]] || eval "$3"
	reset_livepatch
	for mod in $(new_modules "$1"); do
		unload_mod "$mod"
	done
	[[ $2 != 0 || -z $left ]] || fail "the test left modules loaded: ${left//$'\n'/ }"
}

# Run the suite's setup, the command $@ if given, then the registered tests in
# order, each in a subshell after a mark in the kernel log (write_log_mark)
# and followed by clean_up_after_test, printing KTAP; the output of a failing
# test and the end of what the kernel logged since its mark follow as
# diagnostics. Returns non-zero if any test failed; a known failure
# (known_failure) does not count.
#
# Every suite ends with a check of the whole boot's kernel log for reports
# and, on a kernel with kmemleak (the debug flavor), a leak scan; the filter
# does not apply to them.
#
# With KLP_LIST_TESTS=1 in the environment (scripts/check-each runs a suite
# so on the host), only print the names of the registered tests, one a line.
run_tests() {
	local i rc cleanup_rc before todo started elapsed status=0 out=/tmp/test-output
	if [[ -n ${KLP_LIST_TESTS-} ]]; then
		printf '%s\n' "${TEST_NAMES[@]}"
		return 0
	fi
	(($# == 0)) || "$@"
	TEST_NAMES+=("kernel log: no report from the kernel during the suite")
	TEST_CMDS+=(test_no_kernel_report)
	TEST_CLEANUPS+=("")
	if [[ -e $KMEMLEAK ]]; then
		TEST_NAMES+=("kmemleak: no leak after the suite")
		TEST_CMDS+=(test_kmemleak_clean)
		TEST_CLEANUPS+=("")
	fi
	: >"$KEPT_MODULES"
	echo "KTAP version 1"
	echo "1..${#TEST_NAMES[@]}"
	for i in "${!TEST_NAMES[@]}"; do
		started=${EPOCHREALTIME/./}
		write_log_mark TEST_MARK "test $((i + 1)): ${TEST_NAMES[$i]}"
		before=$(loaded_modules)
		: >"$KNOWN_FAILURE"
		# Not in an `if` or `||`: errexit must stay in force inside.
		(set -euo pipefail; eval "${TEST_CMDS[$i]}") >"$out" 2>&1
		rc=$?
		sed 's/^/# /' "$out"
		if ((rc != 0)); then
			echo "# kernel log since the test began, last 20 lines:"
			log_since "$TEST_MARK" 2>&1 | tail -n 20 | sed 's/^/#   /'
		fi
		(set -euo pipefail; clean_up_after_test "$before" "$rc" "${TEST_CLEANUPS[$i]}") >"$out" 2>&1
		cleanup_rc=$?
		sed 's/^/# cleanup: /' "$out"
		todo=$(<"$KNOWN_FAILURE")
		# Where a suite's time goes: each test's wall time, its cleanup included.
		elapsed=$((${EPOCHREALTIME/./} - started))
		printf '# time: %d.%02d s\n' $((elapsed / 1000000)) $((elapsed % 1000000 / 10000))
		if ((cleanup_rc != 0)); then
			rc=1 todo=
		fi
		if ((rc == 0)); then
			TEST_RESULTS[${TEST_NAMES[$i]}]=ok${todo:+(todo)}
			echo "ok $((i + 1)) ${TEST_NAMES[$i]}${todo:+ # TODO $todo}"
		elif [[ -n $todo ]]; then
			TEST_RESULTS[${TEST_NAMES[$i]}]=todo
			echo "not ok $((i + 1)) ${TEST_NAMES[$i]} # TODO $todo"
		else
			TEST_RESULTS[${TEST_NAMES[$i]}]="not ok"
			echo "not ok $((i + 1)) ${TEST_NAMES[$i]}"
			status=1
		fi
	done
	return "$status"
}
