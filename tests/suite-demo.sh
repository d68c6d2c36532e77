# SPDX-License-Identifier: GPL-2.0
# `make demo` inside the guest: the Rust cmdline patch, step by step.
source ./lib.sh
enable_klp_debug

# Print a step header, run the command $@ showing it, then what the kernel logged.
step() {
	echo
	echo "### $1"
	shift
	[[ $# == 0 ]] || echo "\$ $*"
	dmesg -c >/dev/null
	"$@"
	dmesg | sed -E 's/^\[ *[0-9]+\.[0-9]+\] /  dmesg: /'
}

# The three states of /proc/cmdline, collected for the final check.
states=()
show_cmdline() {
	echo "\$ cat /proc/cmdline"
	states+=("$(cat /proc/cmdline)")
	echo "${states[-1]}"
}

ko=$RUST_MODULES/livepatch_sample.ko
step "Before: /proc/cmdline as booted" show_cmdline
step "Load the Rust live patch" insmod "$ko"
loop_until "[[ \$(cat $SYSFS_KLP/livepatch_sample/transition 2>/dev/null) == 0 ]]"
step "After insmod: /proc/cmdline is patched" show_cmdline
step "Disable the patch through sysfs" \
	bash -c "echo 0 > $SYSFS_KLP/livepatch_sample/enabled"
loop_until "[[ ! -e $SYSFS_KLP/livepatch_sample ]]"
step "After disabling: /proc/cmdline as booted again" show_cmdline
step "Unload the module" rmmod livepatch_sample

echo
echo "1..1"
if [[ ${states[0]} != "this has been live patched" &&
	${states[1]} == "this has been live patched" &&
	${states[2]} == "${states[0]}" ]]; then
	echo "ok 1 demo: /proc/cmdline booted, patched, booted again"
else
	echo "not ok 1 demo: /proc/cmdline states were: ${states[*]}"
	exit 1
fi
