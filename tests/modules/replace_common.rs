// SPDX-License-Identifier: GPL-2.0

//! The shared body of the atomic replace and `klp_state` test patches (`klp_rs_replace_*.rs`):
//! each replaces `cmdline_proc_show()` with its own message, carries state 1 in its own version,
//! and logs from its vmlinux callbacks what `klp_get_prev_state()`/`klp_get_state()` report.

/// Declares the patch, its callbacks and the module type `ReplaceTest`, which the module's own
/// `module!` names (`module!` takes only literal tokens, not macro fragments).
macro_rules! replace_test_module {
    (message: $message:literal, replace: $replace:literal, state_version: $version:literal) => {
        use kernel::bindings::{seq_file, seq_printf};
        use kernel::ffi::{c_int, c_void};

        extern "C" fn replacement_cmdline_proc_show(m: *mut seq_file, _v: *mut c_void) -> c_int {
            // SAFETY: `m` is the seq_file the kernel passes to `cmdline_proc_show()`.
            unsafe { seq_printf(m, c"%s\n".as_ptr().cast(), $message.as_ptr()) };
            0
        }

        struct StateCallbacks;

        impl klp::Callbacks for StateCallbacks {
            fn pre_patch(_obj: &klp::ObjectRef) -> Result {
                match klp::prev_state(1) {
                    Some(state) => {
                        pr_info!("pre_patch: previous state 1 version {}\n", state.version())
                    }
                    None => pr_info!("pre_patch: no previous state 1\n"),
                }
                Ok(())
            }
            fn post_patch(_obj: &klp::ObjectRef) {
                if let Some(state) = PATCH.state(1) {
                    pr_info!(
                        "post_patch: state {} version {}\n",
                        state.id(),
                        state.version()
                    );
                }
            }
        }

        klp::patch! {
            static PATCH (replace: $replace, states: [1 => $version]) = [
                vmlinux (callbacks: StateCallbacks): [
                    c"cmdline_proc_show": fn(*mut seq_file, *mut c_void) -> c_int
                        = replacement_cmdline_proc_show,
                ],
            ];
        }

        klp::patch_module!(ReplaceTest, PATCH);
    };
}
pub(crate) use replace_test_module;
