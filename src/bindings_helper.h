/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The C headers whose `klp_*` items bindgen turns into generated/klp_bindings.rs
 * (see klp-rs.kbuild). Everything else these headers declare comes from `kernel::bindings`.
 */
#include <linux/livepatch.h>
