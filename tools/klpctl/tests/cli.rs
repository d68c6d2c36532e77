// SPDX-License-Identifier: GPL-2.0

//! Every verb of the binary against a fake root: its text, its JSON (read back into the
//! schema's types), its exit code, and its errors.

mod common;

use common::{livepatch_info, write_module, Root, RELEASE};
use klpctl::schema;

#[test]
fn list_empty_and_without_livepatch() {
    let root = Root::new();
    let (code, out, _) = root.klpctl(&["list"]);
    assert_eq!((code, out.as_str()), (0, "no patches loaded\n"));

    std::fs::remove_dir(root.path("sys/kernel/livepatch")).unwrap();
    let (code, out, err) = root.klpctl(&["list", "--json"]);
    assert_eq!(code, 4, "no livepatch support is exit 4: {err}");
    assert!(err.contains("no livepatch support here"), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["schema"], "klpctl/1");
    assert_eq!(v["exit_code"], 4);
}

#[test]
fn list_shows_patches_objects_and_functions() {
    let root = Root::new();
    root.patch(
        "livepatch_fix",
        true,
        false,
        &[
            ("vmlinux", true, &["cmdline_proc_show,0"]),
            ("target_mod", false, &["target_fn,1", "odd,name,2"]),
        ],
    );
    let (code, out, err) = root.klpctl(&["list"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "livepatch_fix: enabled yes, transition no, replace no, refcount 1\n\
         \x20 vmlinux (patched)\n\
         \x20   cmdline_proc_show,0\n\
         \x20 target_mod (waiting for the module)\n\
         \x20   odd,name,2\n\
         \x20   target_fn,1\n"
    );
    let (code, out, _) = root.klpctl(&["list", "--json"]);
    assert_eq!(code, 0);
    let list: schema::List = serde_json::from_str(&out).unwrap();
    assert_eq!(list.schema, schema::SCHEMA);
    assert_eq!(list.patches.len(), 1);
    let p = &list.patches[0];
    assert_eq!(
        (p.enabled, p.transition, p.replace, p.refcount),
        (true, false, Some(false), Some(1))
    );
    assert_eq!(p.objects[1].functions[0].name, "odd,name");
    assert_eq!(p.objects[1].functions[0].sympos, 2);
    assert_eq!(p.objects[1].patched, Some(false));
    // Round trip: what klpctl prints is exactly the schema's value.
    assert_eq!(
        serde_json::to_value(&list).unwrap(),
        serde_json::from_str::<serde_json::Value>(&out).unwrap()
    );
}

#[test]
fn info_of_a_loaded_patch_and_of_none() {
    let root = Root::new();
    root.patch(
        "p",
        true,
        true,
        &[("vmlinux", true, &["cmdline_proc_show,0"])],
    );
    root.task(1, 1, "init", 0x400100, 1, "[<0>] do_wait+0x1/0x2\n");
    root.task(
        50,
        50,
        "cat",
        0x400000,
        0,
        "[<0>] cmdline_proc_show+0x10/0x40\n[<0>] seq_read+0x1/0x2\n",
    );
    let (code, out, _) = root.klpctl(&["info", "p", "--json"]);
    assert_eq!(code, 0);
    let info: schema::PatchInfo = serde_json::from_str(&out).unwrap();
    assert_eq!(info.patch.name, "p");
    assert_eq!(info.blockers.len(), 1);
    assert_eq!(info.blockers[0].comm, "cat");

    let (code, _, err) = root.klpctl(&["info", "nothere"]);
    assert_eq!(code, 1);
    assert!(err.contains("no patch 'nothere' is loaded"), "{err}");
    for bad in ["../../etc", ".", ""] {
        let (code, _, _) = root.klpctl(&["info", bad]);
        assert_ne!(code, 0, "info '{bad}'");
    }
}

#[test]
fn blockers_name_the_task_and_mark_the_patched_function() {
    let root = Root::new();
    root.patch(
        "fix",
        true,
        true,
        &[("klp_rs_block", true, &["klp_rs_block_wait,0"])],
    );
    root.task(1, 1, "init", 0x400100, 1, "");
    // A kthread with flags PF_KTHREAD, switched already.
    root.task(2, 2, "kthreadd", 0x208040, 1, "");
    root.task(
        137,
        137,
        "cat",
        0x400000,
        0,
        "[<0>] klp_rs_block_wait+0x3c/0x80 [klp_rs_block]\n[<0>] proc_reg_read+0x1/0x2\n",
    );
    root.task(
        137,
        140,
        "cat worker",
        0x400040,
        0,
        "[<0>] futex_wait+0x1/0x2\n",
    );
    root.task(
        3,
        3,
        "kworker/0:1",
        0x4208060,
        0,
        "[<0>] worker_thread+0x1/0x2\n",
    );
    // Out of any transition (-1): not a blocker, whatever the target.
    root.task(4, 4, "idle_helper", 0x400000, -1, "");
    let (code, out, _) = root.klpctl(&["blockers"]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("fix is being enabled: 3 tasks still to switch"),
        "{out}"
    );
    assert!(out.contains("137 cat (user) patch_state 0\n  => klp_rs_block_wait+0x3c/0x80 [klp_rs_block]\n     proc_reg_read"), "{out}");
    assert!(
        out.contains("140 cat worker (user) patch_state 0, thread of 137"),
        "{out}"
    );
    assert!(out.contains("3 kworker/0:1 (kthread)"), "{out}");

    let (code, out, _) = root.klpctl(&["blockers", "fix", "--json"]);
    assert_eq!(code, 0);
    let b: schema::Blockers = serde_json::from_str(&out).unwrap();
    assert_eq!(b.patch.as_deref(), Some("fix"));
    assert_eq!(b.target, Some(1));
    let tids: Vec<u32> = b.tasks.iter().map(|t| t.tid).collect();
    assert_eq!(tids, [3, 137, 140]);
    let cat = &b.tasks[1];
    assert!(!cat.kthread);
    let stack = cat.stack.as_ref().unwrap();
    assert!(stack[0].patched && !stack[1].patched);
    assert!(b.tasks[0].kthread);

    // Disabling: the target is 0, so the tasks still at 1 hold it.
    root.write("sys/kernel/livepatch/fix/enabled", "0\n");
    let (_, out, _) = root.klpctl(&["blockers", "--json"]);
    let b: schema::Blockers = serde_json::from_str(&out).unwrap();
    assert_eq!(b.target, Some(0));
    assert_eq!(b.tasks.iter().map(|t| t.tid).collect::<Vec<_>>(), [1, 2]);
}

#[test]
fn blockers_without_a_transition() {
    let root = Root::new();
    root.patch(
        "a",
        true,
        false,
        &[("vmlinux", true, &["cmdline_proc_show,0"])],
    );
    root.patch(
        "b",
        true,
        true,
        &[("vmlinux", true, &["cmdline_proc_show,0"])],
    );
    let (code, out, _) = root.klpctl(&["blockers", "a"]);
    assert_eq!((code, out.as_str()), (0, "a is not in transition (b is)\n"));
    let (code, _, err) = root.klpctl(&["blockers", "nothere"]);
    assert_eq!(code, 1, "{err}");
    root.write("sys/kernel/livepatch/b/transition", "0\n");
    let (code, out, _) = root.klpctl(&["blockers", "--json"]);
    assert_eq!(code, 0);
    let b: schema::Blockers = serde_json::from_str(&out).unwrap();
    assert_eq!((b.patch, b.tasks.len()), (None, 0));
}

#[test]
fn force_needs_the_confirmation_and_a_transition() {
    let root = Root::new();
    root.patch(
        "p",
        true,
        true,
        &[("vmlinux", true, &["cmdline_proc_show,0"])],
    );
    let (code, _, err) = root.klpctl(&["force", "p"]);
    assert_eq!(code, 1);
    assert!(err.contains("can never be removed"), "{err}");
    assert_eq!(
        root.read("sys/kernel/livepatch/p/force"),
        "",
        "nothing written"
    );
    let (code, out, err) = root.klpctl(&["force", "p", "--yes-i-understand-the-module-stays"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("can never be removed"), "{out}");
    assert_eq!(root.read("sys/kernel/livepatch/p/force"), "1\n");
    root.write("sys/kernel/livepatch/p/transition", "0\n");
    let (code, _, err) = root.klpctl(&["force", "p", "--yes-i-understand-the-module-stays"]);
    assert_eq!(code, 1);
    assert!(err.contains("not in transition"), "{err}");
}

#[test]
fn enable_and_disable_write_the_attribute() {
    let root = Root::new();
    root.patch(
        "p",
        true,
        false,
        &[("vmlinux", true, &["cmdline_proc_show,0"])],
    );
    let (code, out, _) = root.klpctl(&["enable", "p", "--json"]);
    assert_eq!(code, 0);
    let o: schema::Outcome = serde_json::from_str(&out).unwrap();
    assert_eq!(o.result, "skipped");
    let (code, out, _) = root.klpctl(&["disable", "p"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(root.read("sys/kernel/livepatch/p/enabled"), "0\n");
    let (code, _, _) = root.klpctl(&["enable", "p"]);
    assert_eq!(code, 0);
    assert_eq!(root.read("sys/kernel/livepatch/p/enabled"), "1\n");
    let (code, _, _) = root.klpctl(&["disable", "q"]);
    assert_eq!(code, 1);
}

#[test]
fn info_of_files() {
    let root = Root::new();
    root.write(
        "sys/kernel/tracing/available_filter_functions",
        "cmdline_proc_show\ntarget_fn [target_mod]\n",
    );
    let dir = tempfile::tempdir().unwrap();
    let good = write_module(
        dir.path(),
        "good.ko",
        &livepatch_info("good", RELEASE),
        Some(&[
            (1, "vmlinux", "cmdline_proc_show", 0),
            (1, "target_mod", "target_fn", 0),
            (1, "other_mod", "later_fn", 0),
            (2, "vmlinux", "dup_fn", 2),
            (3, "vmlinux", "private_table", 0),
        ]),
    );
    let (code, out, err) = root.klpctl(&["info", good.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("module good, livepatch yes"), "{out}");
    assert!(
        out.contains("running kernel 6.12.117: built for it"),
        "{out}"
    );
    assert!(
        out.contains("replaced function other_mod:later_fn,0: waiting for module"),
        "{out}"
    );
    assert!(
        out.contains("private function vmlinux:dup_fn,2: ok"),
        "{out}"
    );
    assert!(out.ends_with("no problem found\n"), "{out}");

    let bad = write_module(
        dir.path(),
        "bad.ko",
        &livepatch_info("bad", "6.1.0"),
        Some(&[
            (1, "vmlinux", "no_such_fn", 0),
            (1, "vmlinux", "dup_fn", 0),
            (1, "vmlinux", "dup_fn", 3),
            (1, "vmlinux", "dup_fn", 1),
        ]),
    );
    let (code, out, _) = root.klpctl(&["info", bad.to_str().unwrap(), "--json"]);
    assert_eq!(code, 1, "a patch that could never load fails");
    let info: schema::FileInfo = serde_json::from_str(&out).unwrap();
    assert_eq!(info.vermagic_matches, Some(false));
    let statuses: Vec<&str> = info.targets.iter().map(|t| t.status.as_str()).collect();
    assert_eq!(
        statuses,
        [
            "missing",
            "ambiguous",
            "sympos out of range",
            "not traceable"
        ]
    );
    assert_eq!(info.problems.len(), 5, "{:?}", info.problems);
    assert!(
        info.problems[4].contains("dup_fn in vmlinux: not in ftrace's available_filter_functions")
    );
    assert!(info.problems[0].contains("built for another kernel: vermagic '6.1.0"));
    assert!(info.problems[1]
        .contains("no_such_fn in vmlinux (sympos 0): missing in /proc/kallsyms (0 found)"));

    // With symbol versions (CONFIG_MODVERSIONS) the kernel checks those, not the release.
    let refs: Vec<String> = livepatch_info("versioned", "6.1.0");
    let refs: Vec<&str> = refs.iter().map(String::as_str).collect();
    let versioned = dir.path().join("versioned.ko");
    std::fs::write(
        &versioned,
        common::module_with(&refs, None, &["__versions"]),
    )
    .unwrap();
    let (code, out, _) = root.klpctl(&["info", versioned.to_str().unwrap(), "--json"]);
    assert_eq!(code, 0, "{out}");
    let info: schema::FileInfo = serde_json::from_str(&out).unwrap();
    assert_eq!(info.vermagic_matches, Some(false));
    assert!(info.problems.is_empty(), "{:?}", info.problems);
    assert!(info.warnings[0].contains("the kernel checks its symbol versions instead"));

    // A C patch: livepatch, but no records.
    let c = write_module(
        dir.path(),
        "c_patch.ko",
        &livepatch_info("c_patch", RELEASE),
        None,
    );
    let (code, out, _) = root.klpctl(&["info", c.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(
        out.contains("targets: not recorded (not a klp-rs patch)"),
        "{out}"
    );

    // Not a livepatch module.
    let plain = write_module(
        dir.path(),
        "plain.ko",
        &["license=GPL".to_owned(), "name=plain".to_owned()],
        None,
    );
    let (code, out, _) = root.klpctl(&["info", plain.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(out.contains("not a livepatch module"), "{out}");
}

#[test]
fn garbage_files_are_errors_not_panics() {
    let root = Root::new();
    let dir = tempfile::tempdir().unwrap();
    let mut cases = vec![
        ("empty.ko", Vec::new()),
        ("text.ko", b"hello, world\n".to_vec()),
        (
            "elfish.ko",
            b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0garbage".to_vec(),
        ),
    ];
    // A real module cut short at several lengths, and one with bytes flipped.
    let whole = common::module(&["livepatch=Y", "name=x"], Some(&[(1, "vmlinux", "f", 0)]));
    for len in [64, whole.len() / 2, whole.len() - 1] {
        cases.push(("cut.ko", whole[..len].to_vec()));
    }
    let mut flipped = whole.clone();
    for b in flipped.iter_mut().skip(64).step_by(7) {
        *b ^= 0x5a;
    }
    cases.push(("flipped.ko", flipped));
    for (name, data) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, &data).unwrap();
        for verb in [&["info"][..], &["install"], &["load"]] {
            let mut args = verb.to_vec();
            args.push(path.to_str().unwrap());
            let (code, _, err) = root.klpctl(&args);
            assert!(code == 1 || code == 0, "{args:?}: exit {code}: {err}");
            assert!(!err.contains("panicked"), "{args:?}: {err}");
        }
    }
    let (code, _, err) = root.klpctl(&["info", "/nonexistent/x.ko"]);
    assert_eq!(code, 1);
    assert!(err.contains("/nonexistent/x.ko"), "{err}");
}

#[test]
fn load_refuses_what_is_not_a_patch_and_the_fake_root() {
    let root = Root::new();
    let dir = tempfile::tempdir().unwrap();
    let plain = write_module(dir.path(), "plain.ko", &["name=plain".to_owned()], None);
    let (code, _, err) = root.klpctl(&["load", plain.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        err.contains(
            "not a livepatch module (no livepatch=Y in its .modinfo): load it with insmod"
        ),
        "{err}"
    );
    let good = write_module(
        dir.path(),
        "good.ko",
        &livepatch_info("good", RELEASE),
        None,
    );
    let (code, _, err) = root.klpctl(&["load", good.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("needs the real root"), "{err}");
    // Usage errors are exit 2, in JSON too with --json.
    let (code, out, _) = root.klpctl(&["load", "--json"]);
    assert_eq!(code, 2);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (v["schema"].as_str(), v["exit_code"].as_i64()),
        (Some("klpctl/1"), Some(2))
    );
    for args in [
        &["load"][..],
        &["load", "--revert-on-timeout", "x.ko"],
        &["load", "--timeout", "5", "x.ko"],
        &["frobnicate"],
    ] {
        let (code, _, _) = root.klpctl(args);
        assert_eq!(code, 2, "{args:?}");
    }
}

#[test]
fn install_uninstall_installed() {
    let root = Root::new();
    let dir = tempfile::tempdir().unwrap();
    let a = write_module(dir.path(), "a.ko", &livepatch_info("fix_a", RELEASE), None);
    let b = write_module(dir.path(), "b.ko", &livepatch_info("fix_b", RELEASE), None);
    let other = write_module(
        dir.path(),
        "o.ko",
        &livepatch_info("fix_o", "6.1.0-9-amd64"),
        None,
    );
    for f in [&b, &a, &other] {
        let (code, out, err) = root.klpctl(&["install", f.to_str().unwrap()]);
        assert_eq!(code, 0, "{out}{err}");
        assert!(out.starts_with("done: "), "{out}");
    }
    let (code, out, _) = root.klpctl(&["install", a.to_str().unwrap(), "--json"]);
    assert_eq!(code, 0);
    let o: schema::Outcome = serde_json::from_str(&out).unwrap();
    assert_eq!(o.result, "skipped", "the same file again changes nothing");
    let (_, out, _) = root.klpctl(&["installed", "--json"]);
    let list: schema::InstalledList = serde_json::from_str(&out).unwrap();
    assert_eq!(list.release, RELEASE);
    let names: Vec<&str> = list.patches.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["fix_b", "fix_a"], "install order");
    assert!(list.patches[0]
        .file
        .ends_with("var/lib/klp-rs/6.12.117/0001-fix_b.ko"));
    let (_, out, _) = root.klpctl(&["installed", "--release", "6.1.0-9-amd64"]);
    assert!(out.starts_with("fix_o "), "{out}");

    // A new build of fix_b replaces it in its place.
    let b2 = write_module(
        dir.path(),
        "b2.ko",
        &[
            livepatch_info("fix_b", RELEASE),
            vec!["version=2".to_owned()],
        ]
        .concat(),
        None,
    );
    let (code, _, _) = root.klpctl(&["install", b2.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(
        std::fs::read(root.path("var/lib/klp-rs/6.12.117/0001-fix_b.ko")).unwrap(),
        std::fs::read(&b2).unwrap()
    );
    let (code, out, _) = root.klpctl(&["uninstall", "fix_b"]);
    assert_eq!((code, out.starts_with("done: ")), (0, true), "{out}");
    let (code, out, _) = root.klpctl(&["uninstall", "fix_b"]);
    assert_eq!((code, out.starts_with("skipped: ")), (0, true), "{out}");
    let (_, out, _) = root.klpctl(&["installed"]);
    assert!(out.starts_with("fix_a "), "{out}");
    let (code, _, _) = root.klpctl(&["installed", "--release", "../etc"]);
    assert_eq!(code, 1);
}
