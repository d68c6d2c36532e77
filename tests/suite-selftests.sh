# SPDX-License-Identifier: GPL-2.0
# `make selftests` inside the guest: the kernel's own livepatch selftest
# scripts, unmodified, run once against the tree's C test modules and once
# against our Rust ports (scripts/run-qemu --selftests lays out both runs).
source ./lib.sh

SELFTESTS=/selftests
# The scripts to run, in order: those the kernel tree's selftest Makefile
# lists in TEST_PROGS (scripts/run-qemu writes them to this file).
mapfile -t SCRIPTS <$SELFTESTS/TEST_PROGS

# Run the selftest script $2 in run directory $1 (c or rust). A skip (exit 4)
# is a failure here.
run_selftest() {
	local dir=$SELFTESTS/$1 rc=0
	reset_livepatch $(cd $dir/test_modules && ls | sed 's/\.ko$//')
	(cd $dir && sha256sum -c ../SHA256SUMS >/dev/null) ||
		fail "the scripts in $dir differ from the kernel tree's"
	# functions.sh wants a KDIR to build modules from; ours are prebuilt.
	(cd $dir && KDIR=$SELFTESTS "./$2") || rc=$?
	((rc == 0)) || fail "$2 exited with $rc$( ((rc == 4)) && echo ' (skipped)')"
}

for script in "${SCRIPTS[@]}"; do
	klp_test "c $script" run_selftest c "$script"
	klp_test "rust $script" run_selftest rust "$script"
done
run_tests
status=$?

# The side-by-side report: one line per script, C and Rust columns.
echo "# selftest script       C        Rust"
for script in "${SCRIPTS[@]}"; do
	printf '# %-20s %-8s %s\n' "$script" "${TEST_RESULTS[c $script]--}" \
		"${TEST_RESULTS[rust $script]--}"
done
exit $status
