# SPDX-License-Identifier: GPL-2.0
# Shared by the host scripts in scripts/: sourced, never run.

# Kernel source package and toolchain the test kernel is built with.
KLP_KERNEL_PKG=linux-source-6.12
KLP_LLVM_SUFFIX=-19
KLP_BINDGEN_VERSION=0.73.0

KLP_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KLP_CACHE_DIR=${KLP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/klp-rs}

# Print an error naming the script and exit non-zero.
die() {
	printf '%s: error: %s\n' "$(basename "$0")" "$*" >&2
	exit 1
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
