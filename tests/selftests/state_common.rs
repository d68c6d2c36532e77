// SPDX-License-Identifier: GPL-2.0

//! The shared body of the ports of `test_klp_state.c` (`migrate: false`) and
//! `test_klp_state2.c`/`test_klp_state3.c` (`migrate: true`): an atomic replace patch whose
//! callbacks set `console_loglevel` to the maximum and restore it, keeping the old value in the
//! data of `klp_state` 1; with `migrate`, a replacing patch takes the state over from the patch
//! it replaces and hands it back when it is itself disabled.

/// Declares the patch `PATCH` and its callbacks.
macro_rules! state_test_module {
    (version: $version:literal, migrate: $migrate:literal) => {
        use kernel::alloc::{flags::GFP_KERNEL, KBox};
        use kernel::ffi::c_int;

        const CONSOLE_LOGLEVEL_STATE: usize = 1;
        /// `CONSOLE_LOGLEVEL_MOTORMOUTH`: print everything.
        const CONSOLE_LOGLEVEL_MOTORMOUTH: c_int = 15;

        /// The kernel's `console_loglevel`, i.e. `console_printk[0]`.
        fn console_loglevel() -> *mut c_int {
            (&raw mut kernel::bindings::console_printk).cast()
        }

        fn allocate_loglevel_state() -> Result {
            if $migrate && klp::prev_state(CONSOLE_LOGLEVEL_STATE).is_some() {
                pr_info!("allocate_loglevel_state: space to store console_loglevel already allocated\n");
                return Ok(());
            }
            let state = PATCH.state(CONSOLE_LOGLEVEL_STATE).ok_or(EINVAL)?;
            state.set_data(KBox::new(0 as c_int, GFP_KERNEL)?);
            pr_info!("allocate_loglevel_state: allocating space to store console_loglevel\n");
            Ok(())
        }

        fn fix_console_loglevel() {
            let Some(state) = PATCH.state(CONSOLE_LOGLEVEL_STATE) else {
                return;
            };
            if let (true, Some(prev)) = ($migrate, klp::prev_state(CONSOLE_LOGLEVEL_STATE)) {
                pr_info!("fix_console_loglevel: taking over the console_loglevel change\n");
                state.share_data_from(prev);
                return;
            }
            pr_info!("fix_console_loglevel: fixing console_loglevel\n");
            if let Some(saved) = state.data::<c_int>() {
                // SAFETY: `allocate_loglevel_state` attached a `KBox<c_int>` to the state;
                // `console_loglevel` is a kernel global that the callbacks, serialized by
                // `klp_mutex`, may change as the C module does.
                unsafe {
                    *saved.as_ptr() = *console_loglevel();
                    *console_loglevel() = CONSOLE_LOGLEVEL_MOTORMOUTH;
                }
            }
        }

        fn restore_console_loglevel() {
            let Some(state) = PATCH.state(CONSOLE_LOGLEVEL_STATE) else {
                return;
            };
            if $migrate && klp::prev_state(CONSOLE_LOGLEVEL_STATE).is_some() {
                pr_info!("restore_console_loglevel: passing the console_loglevel change back to the old livepatch\n");
                return;
            }
            pr_info!("restore_console_loglevel: restoring console_loglevel\n");
            if let Some(saved) = state.data::<c_int>() {
                // SAFETY: as in `fix_console_loglevel`.
                unsafe { *console_loglevel() = *saved.as_ptr() };
            }
        }

        fn free_loglevel_state() {
            let Some(state) = PATCH.state(CONSOLE_LOGLEVEL_STATE) else {
                return;
            };
            if $migrate && klp::prev_state(CONSOLE_LOGLEVEL_STATE).is_some() {
                pr_info!("free_loglevel_state: keeping space to store console_loglevel\n");
                return;
            }
            pr_info!("free_loglevel_state: freeing space for the stored console_loglevel\n");
            // SAFETY: the data is the `KBox<c_int>` of `allocate_loglevel_state`, in this patch or
            // the one it took the state over from, which is gone by now.
            drop(unsafe { state.take_data::<c_int>() });
        }

        struct StateCallbacks;

        impl klp::Callbacks for StateCallbacks {
            fn pre_patch(obj: &klp::ObjectRef) -> Result {
                common::callback_info("pre_patch_callback", obj);
                allocate_loglevel_state()
            }
            fn post_patch(obj: &klp::ObjectRef) {
                common::callback_info("post_patch_callback", obj);
                fix_console_loglevel();
            }
            fn pre_unpatch(obj: &klp::ObjectRef) {
                common::callback_info("pre_unpatch_callback", obj);
                restore_console_loglevel();
            }
            fn post_unpatch(obj: &klp::ObjectRef) {
                common::callback_info("post_unpatch_callback", obj);
                free_loglevel_state();
            }
        }

        klp::patch! {
            static PATCH (replace: true, states: [CONSOLE_LOGLEVEL_STATE => $version]) = [
                vmlinux (callbacks: StateCallbacks): [],
            ];
        }
    };
}
pub(crate) use state_test_module;
