# SPDX-License-Identifier: GPL-2.0
# Shared by the host scripts in scripts/: sourced, never run.

# The kernel versions klp-rs builds test kernels of (`make ... KERNEL=7.2`),
# each from Debian's unmodified linux-source package of that version. 7.2
# comes from trixie-backports, pinned to one version (scripts/setup).
KLP_KERNELS=(6.12 7.2)
KLP_KERNEL=${KLP_KERNEL:-6.12}
KLP_KERNEL_PKG=linux-source-$KLP_KERNEL
KLP_SOURCE_7_2_VERSION=7.2.12-1~bpo13+1
# Toolchain the test kernels are built with.
KLP_LLVM_SUFFIX=-19
# bindgen-cli 0.73.0 and 0.73.2 lay out 6.12's task_struct wrongly (0.73.0's
# padding fields are 8-byte aligned, so `se` and all after it land 64 bytes
# late; 0.73.2 drops the padding before the empty, cacheline-aligned `stats`):
# tests/test-layout.sh fails with them.
KLP_BINDGEN_VERSION=0.72.1

KLP_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KLP_CACHE_DIR=${KLP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/klp-rs}

# Print an error naming the script and exit non-zero.
die() {
	printf '%s: error: %s\n' "$(basename "$0")" "$*" >&2
	exit 1
}

# Copy the klp-rs tree $1 into the directory $2: in a git checkout, its tracked
# and untracked files but no build products; elsewhere (a copy made by this
# function, which `make check` builds in), everything.
klp_copy_tree() {
	if git -C "$1" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		(cd "$1" && git ls-files -co --exclude-standard -z) |
			(cd "$1" && xargs -0 cp --parents -t "$2")
	else
		cp -a "$1/." "$2"
	fi
}

# Print a progress line to stderr.
say() {
	printf '%s: %s\n' "$(basename "$0")" "$*" >&2
}

# Fail unless command $1 exists; $2 names the package that provides it.
need_cmd() {
	command -v "$1" >/dev/null 2>&1 ||
		die "'$1' not found; install the Debian package '$2' (or run scripts/setup)"
}

# Make rustup's and cargo's binaries visible to non-login shells.
export PATH="$HOME/.cargo/bin:$PATH"

# Print the .ko file of each module that DIR ($1)/modules.order lists, an
# absolute path a line, in order; die if the list is missing or a module is
# not built. modules.order names them relative to DIR (7.2) or absolute (6.12).
klp_module_files() {
	local dir=$1 obj ko
	[[ -f $dir/modules.order ]] || die "no $dir/modules.order: build the modules first"
	while IFS= read -r obj; do
		[[ $obj == /* ]] || obj=$dir/$obj
		ko=${obj%.o}.ko
		[[ -f $ko ]] || die "$ko not built (listed in $dir/modules.order)"
		echo "$ko"
	done <"$dir/modules.order"
}

# The target of the host tools that run in the test guest, which has no libc
# (tools/klpctl): static, against musl.
KLP_STATIC_TARGET=x86_64-unknown-linux-musl

# Build the workspace's tool $1 as a static binary (KLP_STATIC_TARGET) and print
# its path.
klp_build_static_tool() {
	local tool=$1 target=$KLP_CACHE_DIR/target
	need_cmd cargo "rustup (https://rustup.rs), or run scripts/setup"
	cargo build --quiet --locked --release --target "$KLP_STATIC_TARGET" \
		--manifest-path "$KLP_ROOT/Cargo.toml" --target-dir "$target" -p "$tool" >&2 ||
		die "building tools/$tool for $KLP_STATIC_TARGET failed (scripts/setup adds the target)"
	echo "$target/$KLP_STATIC_TARGET/release/$tool"
}

# Build the host tool $1 of the Cargo workspace (tools/$1, release profile)
# into $KLP_CACHE_DIR/target, so that a read-only klp-rs works too, and print
# the path of its binary. Quiet and fast when nothing changed.
klp_build_tool() {
	local tool=$1 target=$KLP_CACHE_DIR/target
	need_cmd cargo "rustup (https://rustup.rs), or run scripts/setup"
	cargo build --quiet --locked --release --manifest-path "$KLP_ROOT/Cargo.toml" \
		--target-dir "$target" -p "$tool" >&2 || die "building tools/$tool failed"
	echo "$target/release/$tool"
}
