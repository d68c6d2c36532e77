// SPDX-License-Identifier: GPL-2.0

//! `src/printk_fmt.rs`, the compile-time conversion behind `klp::pr_info!`, run on the host: what
//! each placeholder becomes for each argument type, and what it refuses (a compile error in the
//! kernel, a panic here).

#[allow(dead_code, reason = "the kernel side uses what these tests do not")]
#[path = "../../../src/printk_fmt.rs"]
mod printk_fmt;

use printk_fmt::{convert, converted_len, Conv};

/// The converted format up to its NUL, and the bytes after it, which must all be NUL.
fn conv(level: u8, rust: &str, args: &[Conv]) -> String {
    let out: [u8; 256] = convert::<256>(level, rust, args);
    let end = out.iter().position(|&b| b == 0).expect("a NUL");
    assert!(out[end..].iter().all(|&b| b == 0));
    String::from_utf8(out[..end].to_vec()).unwrap()
}

#[test]
fn placeholders_take_their_conversion_from_the_type() {
    use Conv::*;
    let cases: [(&str, Conv, &str); 12] = [
        ("{}", Int, "%d"),
        ("{}", UInt, "%u"),
        ("{}", Long, "%ld"),
        ("{}", ULong, "%lu"),
        ("{}", Str, "%s"),
        ("{}", Ptr, "%p"),
        ("{:x}", Int, "%x"),
        ("{:x}", ULong, "%lx"),
        ("{:#x}", UInt, "%#x"),
        ("{:#x}", Long, "%#lx"),
        ("{:X}", Int, "%X"),
        ("{:X}", ULong, "%lX"),
    ];
    for (rust, arg, c) in cases {
        assert_eq!(
            conv(b'6', rust, &[arg]),
            format!("\x016%s: {c}"),
            "{rust} of {arg:?}"
        );
    }
}

#[test]
fn a_pointer_may_be_followed_by_what_printk_does_not_read() {
    assert_eq!(
        conv(b'6', "{} @{}.\n", &[Conv::Ptr, Conv::Ptr]),
        "\x016%s: %p @%p.\n"
    );
    assert_eq!(conv(b'6', "{}", &[Conv::Ptr]), "\x016%s: %p");
    // Only a pointer's: an integer's or a string's conversion is complete.
    assert_eq!(
        conv(b'6', "{}s {}x", &[Conv::Int, Conv::Str]),
        "\x016%s: %ds %sx"
    );
}

#[test]
fn text_level_and_escapes() {
    assert_eq!(
        conv(b'3', "a {{b}} 100% {} -> {}\n", &[Conv::Str, Conv::Int]),
        "\x013%s: a {b} 100%% %s -> %d\n"
    );
    assert_eq!(conv(b'4', "", &[]), "\x014%s: ");
}

#[test]
fn the_bound_holds_for_the_longest_conversions() {
    let rust = "{} {} %% {:#x} {{}} {:x}";
    let args = [Conv::Long, Conv::ULong, Conv::Long, Conv::ULong];
    let converted = conv(b'6', rust, &args);
    assert_eq!(converted, "\x016%s: %ld %lu %%%% %#lx {} %lx");
    // With its NUL, within the bound the macro sizes the array by.
    assert!(converted.len() < converted_len(rust));
    // And a buffer of exactly that length is enough: `convert` keeps the last byte for the NUL.
    let exact: [u8; 31] = convert::<31>(b'6', rust, &args);
    assert_eq!(converted.len() + 1, 31);
    assert_eq!(&exact[..30], converted.as_bytes());
}

fn refuses(rust: &str, args: &[Conv], why: &str) {
    let result = std::panic::catch_unwind(|| conv(b'6', rust, args));
    let err = result.expect_err(rust);
    let message = err
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| err.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    assert!(message.contains(why), "{rust}: {message}");
}

#[test]
fn refusals() {
    refuses("{} {}", &[Conv::Int], "more placeholders than arguments");
    refuses(
        "{}",
        &[Conv::Int, Conv::Int],
        "more arguments than placeholders",
    );
    refuses("{0}", &[Conv::Int], "positional and named arguments");
    refuses("{name}", &[Conv::Int], "positional and named arguments");
    refuses("{:?}", &[Conv::Int], "supported placeholders");
    refuses("{:#X}", &[Conv::Int], "supported placeholders");
    refuses("{:08x}", &[Conv::Int], "supported placeholders");
    refuses("{:x}", &[Conv::Str], "take integers");
    refuses("{:x}", &[Conv::Ptr], "take integers");
    refuses("{", &[], "without its '}'");
    refuses("}", &[], "without its '{'");
    refuses("a\0b", &[], "cannot contain a NUL");
    // %pV, %pa, %ps, %p4...: printk extensions that dereference the pointer.
    for rust in ["{}V", "{}abc", "{}s", "{}4", "{}x"] {
        refuses(rust, &[Conv::Ptr], "extension of %p");
    }
}

#[test]
#[should_panic(expected = "printk level")]
fn level_is_a_digit() {
    conv(b'8', "", &[]);
}

#[test]
#[should_panic(expected = "does not fit")]
fn a_short_buffer_is_refused() {
    let _: [u8; 8] = convert::<8>(b'6', "longer than eight", &[]);
}
