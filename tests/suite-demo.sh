# SPDX-License-Identifier: GPL-2.0
# `make demo` inside the guest: the Rust cmdline patch, step by step.
source ./lib.sh
enable_klp_debug

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

section "Load the Rust live patch with klpctl; it waits for the transition to finish"
run "klpctl load $RUST_MODULES/livepatch_sample.ko --wait"
kernel_log

section "What is loaded, and what it patches"
run "klpctl list"

section "Patched: /proc/cmdline now comes from the Rust replacement"
show_cmdline

section "Unload: klpctl disables the patch, waits until the kernel has freed it, removes the module"
run "klpctl unload livepatch_sample"
kernel_log
run "klpctl list"

section "Unpatched: /proc/cmdline as booted again"
show_cmdline

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
