// SPDX-License-Identifier: GPL-2.0

//! Patches, objects, functions, callbacks and states: `struct klp_patch` and its tables.
//!
//! C header: [`include/linux/livepatch.h`](srctree/include/linux/livepatch.h)

use super::bindings;
use core::{
    ffi::{c_void, CStr},
    ptr::NonNull,
    sync::atomic::{AtomicBool, Ordering},
};
use kernel::{alloc::KBox, error::to_result, ffi::c_int, prelude::*, types::Opaque, ThisModule};

/// A function to replace: `struct klp_func`.
///
/// Built by [`patch!`]; a table of them ends with [`Func::end()`].
#[repr(transparent)]
pub(crate) struct Func(Opaque<bindings::klp_func>);

// SAFETY: Rust code never accesses a `Func` after building it; the kernel accesses it only under
// its `klp_mutex`, once [`Patch::enable`] has handed the tables over.
unsafe impl Sync for Func {}

impl Func {
    /// The all-zero entry that ends a table of functions. A function, not a constant: each table
    /// needs its own instance of this interior-mutable value.
    pub(crate) const fn end() -> Self {
        Self(Opaque::new(zeroed()))
    }

    /// Replaces the function `old_name` (the `old_sympos`-th symbol of that name in its object,
    /// or the only one when `old_sympos` is 0) with `new_func`.
    ///
    /// # Safety
    ///
    /// `new_func` must be a function with the C ABI and the C prototype of `old_name`, and it must
    /// live as long as the module.
    pub(crate) const unsafe fn new(
        old_name: &'static CStr,
        old_sympos: usize,
        new_func: *const c_void,
    ) -> Self {
        let mut func: bindings::klp_func = zeroed();
        // CAST: the kernel's `c_char` is `u8`, `core::ffi::CStr` hands out `i8`; same bytes.
        func.old_name = old_name.as_ptr().cast();
        func.old_sympos = old_sympos;
        func.new_func = new_func.cast_mut();
        Self(Opaque::new(func))
    }
}

/// All-zero `T`, as a C static initializer leaves the fields it does not name.
///
/// Only for the klp structs of this file, which are plain C data (pointers, integers, bools,
/// optional function pointers, list heads, kobjects, work items, completions): all-zero is a
/// valid value of each.
const fn zeroed<T>() -> T {
    // SAFETY: callers instantiate `T` only with the plain-data klp structs named above.
    unsafe { core::mem::zeroed() }
}

/// Fails compilation if two entries of `funcs` (name, sympos) are the same function.
#[doc(hidden)]
pub(crate) const fn assert_distinct_funcs(funcs: &[(&CStr, usize)]) {
    let mut i = 0;
    while i < funcs.len() {
        let mut j = i + 1;
        while j < funcs.len() {
            let same_sympos = funcs[i].1 == funcs[j].1;
            assert!(
                !(same_sympos && bytes_eq(funcs[i].0.to_bytes(), funcs[j].0.to_bytes())),
                "klp::patch!: the same function is listed twice in one object"
            );
            j += 1;
        }
        i += 1;
    }
}

const fn bytes_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The state of a module, as `struct module::state`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ModuleState {
    /// `MODULE_STATE_LIVE`: normal state.
    Live,
    /// `MODULE_STATE_COMING`: fully formed, running its `init`.
    Coming,
    /// `MODULE_STATE_GOING`: going away.
    Going,
    /// `MODULE_STATE_UNFORMED`: still being set up.
    Unformed,
}

/// The kernel's view of a patched object, handed to [`Callbacks`].
///
/// # Invariants
///
/// Wraps a `klp_object` the kernel has initialized; it is only handed out for the duration of a
/// callback, which runs with `klp_mutex` held, so its fields do not change meanwhile.
#[repr(transparent)]
pub(crate) struct ObjectRef(Opaque<bindings::klp_object>);

impl ObjectRef {
    /// # Safety
    ///
    /// `ptr` must point to an initialized `klp_object` that does not change for `'a`.
    unsafe fn from_raw<'a>(ptr: *mut bindings::klp_object) -> &'a Self {
        // SAFETY: `ObjectRef` is a transparent wrapper of `Opaque<klp_object>`, and the caller
        // guarantees the pointee is valid and stable for `'a`.
        unsafe { &*ptr.cast::<Self>() }
    }

    #[inline]
    fn raw(&self) -> &bindings::klp_object {
        // SAFETY: by the type invariant the object is initialized and nobody writes it while
        // `self` is borrowed.
        unsafe { &*self.0.get() }
    }

    /// The object's name: `None` for vmlinux, the module name otherwise.
    #[inline]
    pub(crate) fn name(&self) -> Option<&CStr> {
        let name = self.raw().name;
        // SAFETY: a non-NULL `name` is the NUL-terminated string of the object's static table.
        (!name.is_null()).then(|| unsafe { CStr::from_ptr(name.cast()) })
    }

    /// Whether the kernel has patched this object.
    #[inline]
    pub(crate) fn is_patched(&self) -> bool {
        self.raw().patched
    }

    /// The loaded module this object patches, with its state; `None` for vmlinux.
    #[inline]
    pub(crate) fn module(&self) -> Option<(&CStr, ModuleState)> {
        let module = self.raw().mod_;
        if module.is_null() {
            return None;
        }
        // SAFETY: the kernel sets `mod` to the loaded module while callbacks can run for the
        // object, and the module cannot go away during a callback, which holds `klp_mutex`.
        let module = unsafe { &*module };
        let state = match module.state {
            kernel::bindings::module_state_MODULE_STATE_LIVE => ModuleState::Live,
            kernel::bindings::module_state_MODULE_STATE_COMING => ModuleState::Coming,
            kernel::bindings::module_state_MODULE_STATE_GOING => ModuleState::Going,
            _ => ModuleState::Unformed,
        };
        // SAFETY: `name` is the NUL-terminated `char[MODULE_NAME_LEN]` of a live module.
        let name = unsafe { CStr::from_ptr(module.name.as_ptr().cast()) };
        Some((name, state))
    }
}

/// Per-object callbacks: `struct klp_callbacks`.
///
/// The kernel calls them around (un)patching the object, in process context, with `klp_mutex`
/// held: they may sleep. For a module object they run when the module loads or goes away, if it
/// does so while the patch is enabled. Unimplemented ones do nothing.
pub(crate) trait Callbacks {
    /// Before the object is patched. An error aborts patching: `insmod` of the patch (or of the
    /// target module, if it loads later) fails with it.
    fn pre_patch(_obj: &ObjectRef) -> Result {
        Ok(())
    }
    /// After the object is patched and every task has switched to the new code.
    fn post_patch(_obj: &ObjectRef) {}
    /// Before the object is unpatched.
    fn pre_unpatch(_obj: &ObjectRef) {}
    /// After the object is unpatched and every task has switched back. Not called if
    /// `pre_patch` failed.
    fn post_unpatch(_obj: &ObjectRef) {}
}

/// The `klp_callbacks` that call the methods of `C`.
pub(crate) const fn callbacks<C: Callbacks>() -> bindings::klp_callbacks {
    let mut callbacks: bindings::klp_callbacks = zeroed();
    callbacks.pre_patch = Some(pre_patch_callback::<C>);
    callbacks.post_patch = Some(post_patch_callback::<C>);
    callbacks.pre_unpatch = Some(pre_unpatch_callback::<C>);
    callbacks.post_unpatch = Some(post_unpatch_callback::<C>);
    callbacks
}

/// The `klp_callbacks` of an object without callbacks.
pub(crate) const NO_CALLBACKS: bindings::klp_callbacks = zeroed();

/// # Safety
///
/// Called by the kernel only, with a valid object and `klp_mutex` held.
unsafe extern "C" fn pre_patch_callback<C: Callbacks>(obj: *mut bindings::klp_object) -> c_int {
    // SAFETY: the kernel passes an initialized object, stable while it holds `klp_mutex`.
    match C::pre_patch(unsafe { ObjectRef::from_raw(obj) }) {
        Ok(()) => 0,
        Err(err) => err.to_errno(),
    }
}

/// # Safety
///
/// As for `pre_patch_callback`.
unsafe extern "C" fn post_patch_callback<C: Callbacks>(obj: *mut bindings::klp_object) {
    // SAFETY: as in `pre_patch_callback`.
    C::post_patch(unsafe { ObjectRef::from_raw(obj) })
}

/// # Safety
///
/// As for `pre_patch_callback`.
unsafe extern "C" fn pre_unpatch_callback<C: Callbacks>(obj: *mut bindings::klp_object) {
    // SAFETY: as in `pre_patch_callback`.
    C::pre_unpatch(unsafe { ObjectRef::from_raw(obj) })
}

/// # Safety
///
/// As for `pre_patch_callback`.
unsafe extern "C" fn post_unpatch_callback<C: Callbacks>(obj: *mut bindings::klp_object) {
    // SAFETY: as in `pre_patch_callback`.
    C::post_unpatch(unsafe { ObjectRef::from_raw(obj) })
}

/// A patched object, vmlinux or a module: `struct klp_object`.
///
/// Built by [`patch!`]; a table of them ends with [`Object::end()`].
#[repr(transparent)]
pub(crate) struct Object(Opaque<bindings::klp_object>);

// SAFETY: As for `Func`: only the kernel accesses it after it is built, under `klp_mutex`.
unsafe impl Sync for Object {}

impl Object {
    /// The all-zero entry that ends a table of objects. A function, not a constant: each table
    /// needs its own instance of this interior-mutable value.
    pub(crate) const fn end() -> Self {
        Self(Opaque::new(zeroed()))
    }

    /// The object `name` (`None` for vmlinux) with its functions and callbacks. If a module is not
    /// loaded when the patch is enabled, the kernel patches it when it loads.
    ///
    /// # Safety
    ///
    /// `funcs` must end with [`Func::end()`].
    pub(crate) const unsafe fn new(
        name: Option<&'static CStr>,
        funcs: &'static [Func],
        callbacks: bindings::klp_callbacks,
    ) -> Self {
        let mut obj: bindings::klp_object = zeroed();
        if let Some(name) = name {
            // CAST: as in `Func::new`.
            obj.name = name.as_ptr().cast();
        }
        // CAST: `Func` is a transparent wrapper of `Opaque<klp_func>`, itself transparent.
        obj.funcs = funcs.as_ptr().cast::<bindings::klp_func>().cast_mut();
        obj.callbacks = callbacks;
        Self(Opaque::new(obj))
    }
}

/// A system state that a patch sets up or changes: `struct klp_state`.
///
/// With atomic replace, the kernel refuses a patch that does not carry every state of the patches
/// it replaces (or carries one in a lower version).
#[repr(transparent)]
pub(crate) struct State(Opaque<bindings::klp_state>);

// SAFETY: As for `Func`: only the kernel accesses it after it is built; Rust reads it through
// `StateRef` in callbacks, under `klp_mutex`.
unsafe impl Sync for State {}

impl State {
    /// The all-zero entry that ends a table of states. A function, not a constant: each table
    /// needs its own instance of this interior-mutable value.
    pub(crate) const fn end() -> Self {
        Self(Opaque::new(zeroed()))
    }

    /// State `id` (non-zero) in version `version`.
    pub(crate) const fn new(id: usize, version: u32) -> Self {
        assert!(id != 0, "state id 0 ends the table");
        let mut state: bindings::klp_state = zeroed();
        state.id = id;
        state.version = version;
        Self(Opaque::new(state))
    }
}

/// A state as the kernel reports it to a callback ([`Patch::state`], [`prev_state`]).
///
/// # Invariants
///
/// Wraps a `klp_state` of an enabled patch's static table, which lives as long as that patch.
#[repr(transparent)]
pub(crate) struct StateRef(Opaque<bindings::klp_state>);

impl StateRef {
    #[inline]
    fn raw(&self) -> &bindings::klp_state {
        // SAFETY: by the type invariant the state is a valid, initialized table entry.
        unsafe { &*self.0.get() }
    }

    /// The state's id.
    #[inline]
    pub(crate) fn id(&self) -> usize {
        self.raw().id
    }

    /// The state's version.
    #[inline]
    pub(crate) fn version(&self) -> u32 {
        self.raw().version
    }

    /// Attaches `data` to the state (`klp_state::data`), for the callbacks of this patch, or of
    /// a patch that takes the state over, to find. Whatever was attached before is left alone.
    pub(crate) fn set_data<T>(&self, data: KBox<T>) {
        // SAFETY: callbacks, the only place a `StateRef` is handed out, run with `klp_mutex`
        // held, and the kernel never touches `data`: this write does not race.
        unsafe { (*self.0.get()).data = KBox::into_raw(data).cast() };
    }

    /// Attaches the data of `prev` (a state of a patch being replaced) to this state too: the
    /// take-over of a state by a replacing patch.
    #[inline]
    pub(crate) fn share_data_from(&self, prev: &StateRef) {
        // SAFETY: as in `set_data`.
        unsafe { (*self.0.get()).data = prev.raw().data };
    }

    /// The data attached to the state, if any, as a `T`.
    ///
    /// Dereferencing it is sound only if the data was attached as a `KBox<T>` (by
    /// [`StateRef::set_data`] here or in the patch that set the state up) and not taken back.
    pub(crate) fn data<T>(&self) -> Option<NonNull<T>> {
        NonNull::new(self.raw().data.cast())
    }

    /// Detaches and returns the data attached to the state.
    ///
    /// # Safety
    ///
    /// The data must have been attached as a `KBox<T>` by [`StateRef::set_data`] (here or in
    /// the patch that set the state up), and no other state may still share it.
    pub(crate) unsafe fn take_data<T>(&self) -> Option<KBox<T>> {
        let data = self.data::<T>()?;
        // SAFETY: as in `set_data`.
        unsafe { (*self.0.get()).data = core::ptr::null_mut() };
        // SAFETY: the caller guarantees `data` came from `KBox::<T>::into_raw` and is owned by
        // nobody else.
        Some(unsafe { KBox::from_raw(data.as_ptr()) })
    }
}

/// The state `id` of the patches already installed, as the patch being enabled or disabled
/// replaces them: `klp_get_prev_state()`. Only meaningful in [`Callbacks`], with `klp_mutex` held.
#[inline]
pub(crate) fn prev_state(id: usize) -> Option<&'static StateRef> {
    // SAFETY: `klp_get_prev_state()` only reads the list of installed patches; callbacks run
    // with the `klp_mutex` that protects it.
    let state = unsafe { bindings::klp_get_prev_state(id) };
    // SAFETY: a non-NULL result is an entry of an installed patch's static state table, alive
    // while that patch is installed, which it stays for the callback.
    (!state.is_null()).then(|| unsafe { &*state.cast::<StateRef>() })
}

/// A live patch: `struct klp_patch`.
///
/// # Invariants
///
/// `raw.objs` points to a `'static` table of [`Object`]s that ends with [`Object::end()`], each of
/// whose function tables ends with [`Func::end()`]; `raw.states` is NULL or points to a `'static`
/// table of [`State`]s that ends with [`State::end()`]. Once `enable_called` is set, only the
/// kernel writes `raw`.
pub(crate) struct Patch {
    raw: Opaque<bindings::klp_patch>,
    enable_called: AtomicBool,
}

// SAFETY: `raw` is written by Rust only in `enable`, once, guarded by `enable_called`; after that
// only the kernel writes it, under `klp_mutex`.
unsafe impl Sync for Patch {}

impl Patch {
    /// A patch made of `objs`, carrying `states`; with `replace`, enabling it atomically replaces
    /// every patch enabled before it.
    ///
    /// # Safety
    ///
    /// `objs` must end with [`Object::end()`], each object's functions with [`Func::end()`], and
    /// `states` with [`State::end()`]. [`patch!`] builds them so.
    pub(crate) const unsafe fn new(
        objs: &'static [Object],
        states: Option<&'static [State]>,
        replace: bool,
    ) -> Self {
        let mut raw: bindings::klp_patch = zeroed();
        // CAST: `Object` is a transparent wrapper of `Opaque<klp_object>`, itself transparent.
        raw.objs = objs.as_ptr().cast::<bindings::klp_object>().cast_mut();
        if let Some(states) = states {
            // CAST: `State` is a transparent wrapper of `Opaque<klp_state>`, itself transparent.
            raw.states = states.as_ptr().cast::<bindings::klp_state>().cast_mut();
        }
        raw.replace = replace;
        // INVARIANT: the caller guarantees the terminators; `enable_called` starts unset.
        Self {
            raw: Opaque::new(raw),
            enable_called: AtomicBool::new(false),
        }
    }

    /// Registers and enables the patch: `klp_enable_patch()`. Call it from the module's `init`.
    ///
    /// Returns the kernel's error if it refuses the patch (for example `EINVAL` for a function it
    /// cannot find, `EBUSY` while another patch is in transition, or the error of a `pre_patch`
    /// callback); the module load then fails with that error. A patch can be enabled only once: a
    /// second call fails with `EBUSY`.
    #[inline]
    pub(crate) fn enable(&'static self, module: &'static ThisModule) -> Result {
        self.enable_with(module, None)
    }

    /// As [`Patch::enable`], but first sets whether the patch atomically replaces the patches
    /// enabled before it, for patches that decide at load time (from a module parameter).
    #[inline]
    pub(crate) fn enable_replace(
        &'static self,
        module: &'static ThisModule,
        replace: bool,
    ) -> Result {
        self.enable_with(module, Some(replace))
    }

    #[inline]
    fn enable_with(&'static self, module: &'static ThisModule, replace: Option<bool>) -> Result {
        if self.enable_called.swap(true, Ordering::AcqRel) {
            pr_err!("klp: a patch can be enabled only once\n");
            return Err(EBUSY);
        }
        let raw = self.raw.get();
        // SAFETY: `enable_called` was unset, so the kernel has not seen `raw` and no other Rust
        // code accesses it: these writes do not race.
        unsafe {
            (*raw).mod_ = module.as_ptr();
            if let Some(replace) = replace {
                (*raw).replace = replace;
            }
        }
        // SAFETY: `raw` is a `klp_patch` in writable memory that lives as long as the module, its
        // `mod` is this module and its tables are terminated (type invariant), which is all
        // `klp_enable_patch()` requires. From here on only the kernel writes it.
        to_result(unsafe { bindings::klp_enable_patch(raw) })
    }

    /// This patch's state `id`: `klp_get_state()`. Only meaningful in [`Callbacks`] of this
    /// patch, with `klp_mutex` held.
    #[inline]
    pub(crate) fn state(&'static self, id: usize) -> Option<&'static StateRef> {
        // SAFETY: `klp_get_state()` only reads this patch's static state table.
        let state = unsafe { bindings::klp_get_state(self.raw.get(), id) };
        // SAFETY: a non-NULL result is an entry of this patch's `'static` state table.
        (!state.is_null()).then(|| unsafe { &*state.cast::<StateRef>() })
    }
}

/// Declares a live patch: a `static` [`Patch`] with its object, function and state tables, and
/// the module's `livepatch=Y` modinfo.
///
/// Each object is `vmlinux` or `module c"name"`, optionally with `(callbacks: Type)` where `Type`
/// implements [`Callbacks`], followed by its functions (possibly none). Each function names the
/// symbol it replaces, optionally `sympos N` for the N-th symbol of an ambiguous name, gives that
/// function's C prototype, and names the replacement: an `extern "C"` function that the macro
/// checks against the prototype at compile time. The prototype is spelled out,
/// `fn(*mut seq_file, *mut c_void) -> c_int`, or, where the bindings declare the original, taken
/// from that declaration: `like(kernel::bindings::get_random_bytes)`. Patch options, in this order: `replace: true` for atomic
/// replace, `states: [id => version, ...]`.
///
/// ```ignore
/// klp::patch! {
///     static PATCH = [
///         vmlinux: [
///             c"cmdline_proc_show": fn(*mut seq_file, *mut c_void) -> c_int
///                 = livepatch_cmdline_proc_show,
///         ],
///     ];
/// }
/// ```
///
/// A patch needs at least one object: an empty list is a compile error.
macro_rules! patch {
    (static $patch:ident $(($($options:tt)*))? = [$(,)?];) => {
        compile_error!("klp::patch!: a patch needs at least one object (vmlinux or a module)");
    };
    (
        static $patch:ident $((
            $(replace: $replace:literal)? $(,)?
            $(states: $states:tt)? $(,)?
        ))? = [
            $( $kind:ident $($objname:literal)? $((callbacks: $callbacks:ty))? : [
                $( $name:literal $(sympos $pos:literal)? :
                    $proto:ident $sig:tt $(-> $ret:ty)? = $new:path ),* $(,)?
            ] ),+ $(,)?
        ];
    ) => {
        static $patch: $crate::klp::Patch = {
            static OBJS: [$crate::klp::Object; [$(stringify!($kind)),+].len() + 1] = [
                $( {
                    // The kernel would refuse a function listed twice in an object only when
                    // creating its sysfs entry, with a warning: refuse it here instead.
                    const _: () = $crate::klp::assert_distinct_funcs(&[
                        $( ($name, $crate::klp::__or!($($pos)? ; 0)) ),*
                    ]);
                    static FUNCS: [$crate::klp::Func;
                        <[&str]>::len(&[$(stringify!($name)),*]) + 1] = [
                        $(
                            // SAFETY: `__replacement!` checked that `$new` has the C ABI and the
                            // prototype of the function it replaces, and it is a function of the
                            // module, so it lives as long as the module.
                            unsafe {
                                $crate::klp::Func::new(
                                    $name,
                                    $crate::klp::__or!($($pos)? ; 0),
                                    $crate::klp::__replacement!(
                                        $proto $sig $(-> $ret)? = $new
                                    ),
                                )
                            },
                        )*
                        $crate::klp::Func::end(),
                    ];
                    // SAFETY: `FUNCS` ends with `Func::end()`.
                    unsafe {
                        $crate::klp::Object::new(
                            $crate::klp::__object_name!($kind $($objname)?),
                            &FUNCS,
                            $crate::klp::__or!(
                                $($crate::klp::callbacks::<$callbacks>())? ;
                                $crate::klp::NO_CALLBACKS
                            ),
                        )
                    }
                }, )+
                $crate::klp::Object::end(),
            ];
            // SAFETY: `OBJS`, every `FUNCS` and the states table end with their terminators.
            unsafe {
                $crate::klp::Patch::new(
                    &OBJS,
                    $crate::klp::__or!($($($crate::klp::__states!($states))?)? ; None),
                    $crate::klp::__or!($($($replace)?)? ; false),
                )
            }
        };

        // `MODULE_INFO(livepatch, "Y")`: `klp_enable_patch()` refuses modules without it.
        $crate::klp::modinfo!("livepatch=Y");
    };
}
pub(crate) use patch;

/// Declares the module type `$module`, whose `init` enables `$patch`: the whole `module_init()`
/// of most patch modules, `return klp_enable_patch(&patch);` in C.
///
/// ```ignore
/// klp::patch_module!(LivepatchSample, PATCH);
/// ```
macro_rules! patch_module {
    ($module:ident, $patch:ident) => {
        struct $module;

        impl kernel::Module for $module {
            fn init(module: &'static kernel::ThisModule) -> kernel::error::Result<Self> {
                $patch.enable(module)?;
                Ok($module)
            }
        }
    };
}
pub(crate) use patch_module;

/// The address of the replacement `$new`, checked at compile time against the prototype of the
/// function it replaces: spelled out (`fn(args) -> ret`), or that of a function the bindings
/// declare (`like(path)`), which `$new` must then share exactly.
#[doc(hidden)]
macro_rules! __replacement {
    (fn ($($arg:ty),* $(,)?) $(-> $ret:ty)? = $new:path) => {{
        let new_func: unsafe extern "C" fn($($arg),*) $(-> $ret)? = $new;
        new_func as *const ::core::ffi::c_void
    }};
    (like ($original:path) = $new:path) => {{
        // Both arms must coerce to one function pointer type: the same ABI, parameters and
        // return type.
        let new_func = if false { $original } else { $new };
        new_func as *const ::core::ffi::c_void
    }};
}
pub(crate) use __replacement;

/// `vmlinux` is `None`; `module c"name"` is `Some(c"name")`.
#[doc(hidden)]
macro_rules! __object_name {
    (vmlinux) => {
        None
    };
    (module $name:literal) => {
        Some($name)
    };
}
pub(crate) use __object_name;

/// The given expression if any, else the default after `;`.
#[doc(hidden)]
macro_rules! __or {
    (; $default:expr) => {
        $default
    };
    ($value:expr ; $default:expr) => {
        $value
    };
}
pub(crate) use __or;

/// `[id => version, ...]`: a static, terminated table of [`State`]s.
#[doc(hidden)]
macro_rules! __states {
    ([$($id:expr => $version:expr),* $(,)?]) => {{
        static STATES: [$crate::klp::State; <[&str]>::len(&[$(stringify!($id)),*]) + 1] = [
            $($crate::klp::State::new($id, $version),)*
            $crate::klp::State::end(),
        ];
        Some(&STATES)
    }};
}
pub(crate) use __states;
