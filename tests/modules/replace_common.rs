// SPDX-License-Identifier: GPL-2.0

//! The shared body of the atomic replace and `klp_state` test patches (`klp_rs_replace_*.rs`):
//! each replaces `cmdline_proc_show()` with its own message, carries state 1 in its own version,
//! and logs from its vmlinux callbacks what `klp_get_prev_state()`/`klp_get_state()` report.

/// Declares the module `$name`, its patch and the patch's callbacks.
macro_rules! replace_test_module {
    (
        name: $name:tt,
        message: $message:literal,
        replace: $replace:literal,
        state_version: $version:literal
    ) => {
        use kernel::bindings::{seq_file, seq_printf};
        use kernel::ffi::{c_int, c_void};
        use kernel::prelude::*;
        use klp::CStrExt;

        klp::module! {
            type: ReplaceTest,
            name: $name,
            authors: ["klp-rs"],
            description: "klp-rs atomic replace and klp_state test patch",
            license: "GPL",
            patch: PATCH,
        }

        /// State 1, without data.
        const STATE: klp::StateId = klp::StateId::new(1);

        /// # Safety
        ///
        /// `m` is a valid `seq_file`, as `cmdline_proc_show()`'s callers pass.
        unsafe extern "C" fn replacement_cmdline_proc_show(
            m: *mut seq_file,
            _v: *mut c_void,
        ) -> c_int {
            // SAFETY: `m` is valid (the function's contract); the format takes one string.
            unsafe { seq_printf(m, c"%s\n".as_char_ptr(), $message.as_char_ptr()) };
            0
        }

        struct StateCallbacks;

        #[vtable]
        impl klp::Callbacks for StateCallbacks {
            fn pre_patch(obj: &klp::ObjectRef) -> Result {
                let transition = obj.transition().ok_or(EINVAL)?;
                match transition.prev_state(&STATE) {
                    Some(state) => {
                        pr_info!("pre_patch: previous state 1 version {}\n", state.version())
                    }
                    None => pr_info!("pre_patch: no previous state 1\n"),
                }
                Ok(())
            }
            fn post_patch(obj: &klp::ObjectRef) {
                if let Some(state) = PATCH.state(obj, &STATE) {
                    pr_info!(
                        "post_patch: state {} version {}\n",
                        state.id(),
                        state.version()
                    );
                }
            }
        }

        klp::patch! {
            static PATCH (replace: $replace, states: [STATE => $version]) = [
                vmlinux (callbacks: StateCallbacks): [
                    // SAFETY: the prototype of `cmdline_proc_show()` in fs/proc/cmdline.c.
                    c"cmdline_proc_show": unsafe fn(*mut seq_file, *mut c_void) -> c_int
                        = replacement_cmdline_proc_show,
                ],
            ];
        }
    };
}
pub(crate) use replace_test_module;
