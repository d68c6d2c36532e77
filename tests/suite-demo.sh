# SPDX-License-Identifier: GPL-2.0
# `make demo` inside the guest: the Rust cmdline patch, step by step.
source ./lib.sh
enable_klp_debug
PATCH_DIR=$SYSFS_KLP/livepatch_sample

# Print a section header.
section() {
	printf '\n### %s\n' "$1"
}

# Show the shell command $1, then run it.
run() {
	echo "\$ $1"
	eval "$1"
}

# Print the livepatch lines the kernel logged since the last call; clear the log.
kernel_log() {
	dmesg -c | grep livepatch | sed -E 's/^\[ *[0-9]+\.[0-9]+\] /  kernel: /'
}

# /proc/cmdline in each state, for the final check.
cmdline=()
show_cmdline() {
	cmdline+=("$(cat /proc/cmdline)")
	run "cat /proc/cmdline"
}

dmesg -c >/dev/null
section "Before: /proc/cmdline as booted"
show_cmdline

section "Load the Rust live patch and wait for its transition to finish"
run "insmod $RUST_MODULES/livepatch_sample.ko"
wait_for_transition livepatch_sample
kernel_log
run "cat $PATCH_DIR/enabled"

section "Patched: /proc/cmdline now comes from the Rust replacement"
show_cmdline

section "Disable the patch through sysfs and wait for the kernel to free it"
run "echo 0 > $PATCH_DIR/enabled"
loop_until "[[ ! -e $PATCH_DIR ]]"
kernel_log

section "Unpatched: /proc/cmdline as booted again"
show_cmdline

section "Unload the module"
run "rmmod livepatch_sample"

echo
echo "1..1"
if [[ ${cmdline[0]} != "this has been live patched" &&
	${cmdline[1]} == "this has been live patched" &&
	${cmdline[2]} == "${cmdline[0]}" ]]; then
	echo "ok 1 demo: /proc/cmdline booted, patched, booted again"
else
	echo "not ok 1 demo: /proc/cmdline read: ${cmdline[*]}"
	exit 1
fi
