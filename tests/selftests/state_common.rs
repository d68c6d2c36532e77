// SPDX-License-Identifier: GPL-2.0

//! The shared body of the ports of `test_klp_state.c` (`migrate: false`) and
//! `test_klp_state2.c`/`test_klp_state3.c` (`migrate: true`): an atomic replace patch whose
//! callbacks set `console_loglevel` to the maximum and restore it, keeping the old value in the
//! data of `klp_state` 1; with `migrate`, a replacing patch takes the state over from the patch
//! it replaces and hands it back when it is itself disabled.

/// Declares the patch `PATCH` and its callbacks.
macro_rules! state_test_module {
    (version: $version:literal, migrate: $migrate:literal) => {
        use core::cell::Cell;
        use kernel::alloc::{flags::GFP_KERNEL, KBox};
        use kernel::ffi::c_int;

        /// State 1: the `console_loglevel` to restore.
        const CONSOLE_LOGLEVEL_STATE: klp::StateId<Cell<c_int>> =
            // SAFETY: the state test modules are the only ones that carry state 1, and all attach
            // a `Cell<c_int>` to it.
            unsafe { klp::StateId::with_data(1) };
        /// `CONSOLE_LOGLEVEL_MOTORMOUTH`: print everything.
        const CONSOLE_LOGLEVEL_MOTORMOUTH: c_int = 15;

        /// The kernel's `console_loglevel`, i.e. `console_printk[0]`.
        fn console_loglevel() -> *mut c_int {
            (&raw mut kernel::bindings::console_printk).cast()
        }

        /// The state of the patches this one replaces, if it takes one over.
        fn migrated_state(obj: &klp::ObjectRef) -> Option<klp::StateRef<'_, Cell<c_int>>> {
            if !$migrate {
                return None;
            }
            obj.transition()?.prev_state(&CONSOLE_LOGLEVEL_STATE)
        }

        fn allocate_loglevel_state(obj: &klp::ObjectRef) -> Result {
            if migrated_state(obj).is_some() {
                pr_info!("allocate_loglevel_state: space to store console_loglevel already allocated\n");
                return Ok(());
            }
            let state = PATCH.state(obj, &CONSOLE_LOGLEVEL_STATE).ok_or(EINVAL)?;
            let saved = KBox::new(Cell::new(0), GFP_KERNEL)?;
            state.set_data(saved).map_err(|_| EBUSY)?;
            pr_info!("allocate_loglevel_state: allocating space to store console_loglevel\n");
            Ok(())
        }

        fn fix_console_loglevel(obj: &klp::ObjectRef) {
            let Some(state) = PATCH.state(obj, &CONSOLE_LOGLEVEL_STATE) else {
                return;
            };
            if let Some(prev) = migrated_state(obj) {
                pr_info!("fix_console_loglevel: taking over the console_loglevel change\n");
                if state.share_data_from(&prev).is_err() {
                    pr_err!("fix_console_loglevel: the state has data already\n");
                }
                return;
            }
            pr_info!("fix_console_loglevel: fixing console_loglevel\n");
            if let Some(saved) = state.data() {
                // SAFETY: `console_loglevel` is a kernel global that the callbacks, serialized by
                // `klp_mutex`, may change as the C module does.
                unsafe {
                    saved.set(*console_loglevel());
                    *console_loglevel() = CONSOLE_LOGLEVEL_MOTORMOUTH;
                }
            }
        }

        fn restore_console_loglevel(obj: &klp::ObjectRef) {
            let Some(state) = PATCH.state(obj, &CONSOLE_LOGLEVEL_STATE) else {
                return;
            };
            if migrated_state(obj).is_some() {
                pr_info!("restore_console_loglevel: passing the console_loglevel change back to the old livepatch\n");
                return;
            }
            pr_info!("restore_console_loglevel: restoring console_loglevel\n");
            if let Some(saved) = state.data() {
                // SAFETY: as in `fix_console_loglevel`.
                unsafe { *console_loglevel() = saved.get() };
            }
        }

        fn free_loglevel_state(obj: &klp::ObjectRef) {
            let Some(state) = PATCH.state(obj, &CONSOLE_LOGLEVEL_STATE) else {
                return;
            };
            if migrated_state(obj).is_some() {
                pr_info!("free_loglevel_state: keeping space to store console_loglevel\n");
                return;
            }
            pr_info!("free_loglevel_state: freeing space for the stored console_loglevel\n");
            // SAFETY: no reference to the data is left, and the patch this one took the state
            // over from, if any, is gone by now: nobody else shares it.
            drop(unsafe { state.take_data() });
        }

        struct StateCallbacks;

        #[vtable]
        impl klp::Callbacks for StateCallbacks {
            fn pre_patch(obj: &klp::ObjectRef) -> Result {
                common::callback_info("pre_patch_callback", obj);
                allocate_loglevel_state(obj)
            }
            fn post_patch(obj: &klp::ObjectRef) {
                common::callback_info("post_patch_callback", obj);
                fix_console_loglevel(obj);
            }
            fn pre_unpatch(obj: &klp::ObjectRef) {
                common::callback_info("pre_unpatch_callback", obj);
                restore_console_loglevel(obj);
            }
            fn post_unpatch(obj: &klp::ObjectRef) {
                common::callback_info("post_unpatch_callback", obj);
                free_loglevel_state(obj);
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
