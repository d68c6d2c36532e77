# SPDX-License-Identifier: GPL-2.0
# livepatch-shadow-fix1/fix2 and their Rust twins on the tree's C
# livepatch-shadow-mod: fix1 stops the leak of dummies created after it,
# fix2 extends fix1 with a check counter. Sourced by tests/suite-check.sh.

# livepatch-shadow-mod prints without a module prefix.
SHADOW_MOD=livepatch_shadow_mod
SHADOW_MOD_KO=$C_MODULES/livepatch-shadow-mod.ko
# Dummies expire 12 s after they are created and are freed within 3 s more.
SHADOW_POLL_MAX=400

# The dummy addresses (as printed with %p) in the lines of the kernel log $1
# that match the extended regex $2.
addresses() {
	{ grep -E "$2" <<<"$1" || true; } | sed -nE 's/.*dummy @ ([0-9a-f]+).*/\1/p' | sort -u
}

# Print the first line of the kernel log $1 that matches the extended regex
# $2, without its timestamp.
first_line() {
	local line
	line=$(grep -m1 -E "$2" <<<"$1") || fail "no kernel log line matches '$2'"
	sed -E 's/^\[ *[0-9]+\.[0-9]+\] //' <<<"$line"
}

# Whether the kernel logged a line matching the extended regex $1 since the
# test began.
logged() {
	log_since_mark_grep -qE -- "$1"
}

# Fail unless every address in $1 is one of those in $2; $3 says what.
assert_subset() {
	local extra
	extra=$(grep -vxF -f <(echo "$2") <<<"$1" || true)
	[[ -z $extra ]] || fail "$3: $extra"
}

# Wait until the shell condition $1 holds, allowing for dummies to expire.
wait_for_dummies() {
	POLL_MAX=$SHADOW_POLL_MAX loop_until "$1"
}

# On a kernel with kmemleak (the debug flavor): the allocation that the
# unpatched dummy_alloc() loses for each dummy it creates, $1 of them before
# fix1, is the leak fix1 exists for. kmemleak must find exactly those, and
# nothing else; they are then cleared, so that the suite's final scan reports
# only leaks nobody expected. A young object, or a stale copy of a pointer
# (on a stack, say), can hide a leak from one scan, hence the tries.
expect_dummy_leaks() {
	local expected=$1 report n i other
	[[ -e $KMEMLEAK ]] || return 0
	# kmemleak reports only objects older than 5 s: up to 15 tries, a second apart.
	for ((i = 0; i < 15; i++)); do
		report=$(kmemleak_scan)
		n=$(kmemleak_count "$report")
		((n < expected)) || break
		sleep 1
	done
	other=$(awk '/^unreferenced object/ { if (obj != "" && !ok) print obj; obj = $0; ok = 0 }
		/(^|[] ])dummy_alloc\+/ { ok = 1 }
		END { if (obj != "" && !ok) print obj }' <<<"$report")
	[[ -z $other ]] || fail "kmemleak objects not allocated by dummy_alloc():"$'\n'"$other"$'\n'"$report"
	((n == expected)) || fail "kmemleak found $n unreferenced objects, expected $expected (one per dummy before fix1)"
	echo clear >$KMEMLEAK
	echo "kmemleak: $n unreferenced objects, one per dummy before fix1, all lost by dummy_alloc()"
}

# Where both tests start: the leaking target loaded, a dummy allocated by it,
# and fix1 ($1) loaded over it.
start_fix1() {
	reset_livepatch $SHADOW_MOD
	load_mod "$SHADOW_MOD_KO"
	wait_for_dummies "logged '] dummy_alloc: dummy @'"
	load_lp "$1"
}

# Unload the target, its remaining dummies freed by the patched dummy_free(),
# then disable and remove the patches $@, the last loaded first: in this order
# nothing leaks (the unpatched dummy_alloc() would leak one allocation a
# second until rmmod).
stop_shadow() {
	local patch
	unload_mod $SHADOW_MOD
	for patch; do disable_lp "$patch"; done
	for patch; do unload_mod "$patch"; done
}

# fix1 loaded over the leaking module: dummies created before it are freed
# with "leaked!", those it creates are freed with their leak released.
test_shadow_fix1() {
	local fix1=$1 kernel_log old new leaked released
	start_fix1 "$fix1"
	wait_for_dummies "logged 'livepatch_fix1_dummy_leak_dtor: dummy @ .*, prevented leak @'"
	wait_for_dummies "logged 'livepatch_fix1_dummy_free: dummy @ .* leaked!'"
	kernel_log=$(log_since_mark)
	old=$(addresses "$kernel_log" "] dummy_alloc:")
	new=$(addresses "$kernel_log" "livepatch_fix1_dummy_alloc:")
	leaked=$(addresses "$kernel_log" 'livepatch_fix1_dummy_free: .* leaked!')
	released=$(addresses "$kernel_log" 'livepatch_fix1_dummy_leak_dtor:')
	[[ -n $old && -n $new ]] || fail "no dummies allocated"
	assert_subset "$leaked" "$old" "dummies reported leaked that fix1 allocated"
	assert_subset "$released" "$new" "leaks released for dummies fix1 did not allocate"
	echo "dummies before fix1: $(wc -w <<<"$old"), allocated by fix1: $(wc -w <<<"$new")"
	first_line "$kernel_log" 'livepatch_fix1_dummy_leak_dtor:'
	first_line "$kernel_log" 'livepatch_fix1_dummy_free: .* leaked!'
	expect_dummy_leaks "$(wc -w <<<"$old")"
	stop_shadow livepatch_shadow_fix1
}

# fix2 ($2) loaded over fix1 ($1): dummies get a check counter, printed when
# freed, and fix2's dummy_free() keeps releasing fix1's saved allocations.
# Then the target is unloaded, its remaining dummies freed by fix2's
# dummy_free(), and both patches are disabled and unloaded.
test_shadow_fix2() {
	local fix1=$1 fix2=$2 kernel_log old counted released allocated
	start_fix1 "$fix1"
	module_loaded livepatch_shadow_fix1 || fail "fix1 is not loaded"
	load_lp "$fix2"
	wait_for_dummies "logged 'livepatch_fix2_dummy_free: dummy @ .*, check counter = [1-9]'"
	wait_for_dummies "logged 'livepatch_fix2_dummy_leak_dtor: dummy @ .*, prevented leak @'"
	kernel_log=$(log_since_mark)
	counted=$(addresses "$kernel_log" 'livepatch_fix2_dummy_free: .*check counter')
	released=$(addresses "$kernel_log" 'livepatch_fix2_dummy_leak_dtor:')
	allocated=$(addresses "$kernel_log" 'livepatch_fix1_dummy_alloc:')
	old=$(addresses "$kernel_log" "] dummy_alloc:")
	assert_subset "$released" "$allocated" "fix2 released leaks of dummies fix1 did not allocate"
	echo "dummies counted by fix2: $(wc -w <<<"$counted"), leaks released by fix2: $(wc -w <<<"$released")"
	first_line "$kernel_log" 'check counter'
	expect_dummy_leaks "$(wc -w <<<"$old")"
	stop_shadow livepatch_shadow_fix2 livepatch_shadow_fix1
}

for impl in "rust:$RUST_MODULES/livepatch_shadow_fix1.ko:$RUST_MODULES/livepatch_shadow_fix2.ko" \
	"c:$C_MODULES/livepatch-shadow-fix1.ko:$C_MODULES/livepatch-shadow-fix2.ko"; do
	IFS=: read -r label fix1 fix2 <<<"$impl"
	klp_test "$label shadow: fix1 stops the leak of new dummies" test_shadow_fix1 "$fix1"
	klp_test "$label shadow: fix2 counts checks and keeps fix1's fix" test_shadow_fix2 "$fix1" "$fix2"
done
