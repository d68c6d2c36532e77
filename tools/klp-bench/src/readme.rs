// SPDX-License-Identifier: GPL-2.0

//! The README's performance section: bench.md between two markers, which a full `make bench`
//! replaces and a test compares.

/// The line before the section.
pub const BEGIN: &str = "<!-- bench:begin (written by make bench from bench/bench.md) -->";
/// The line after it.
pub const END: &str = "<!-- bench:end -->";

/// The text between the markers of `readme`.
pub fn section(readme: &str) -> Result<&str, String> {
    let start = readme
        .find(BEGIN)
        .ok_or_else(|| format!("no '{BEGIN}' line"))?
        + BEGIN.len();
    let end = readme[start..]
        .find(END)
        .ok_or_else(|| format!("no '{END}' line after '{BEGIN}'"))?
        + start;
    Ok(readme[start..end].trim_matches('\n'))
}

/// `readme` with the text between the markers replaced by `markdown`.
pub fn replace(readme: &str, markdown: &str) -> Result<String, String> {
    let old = section(readme)?;
    let start = old.as_ptr() as usize - readme.as_ptr() as usize;
    Ok(format!(
        "{}{}{}",
        &readme[..start],
        markdown.trim_matches('\n'),
        &readme[start + old.len()..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_between_the_markers() {
        let readme = format!("# t\n\n{BEGIN}\nold\ntext\n{END}\nrest\n");
        assert_eq!(section(&readme).unwrap(), "old\ntext");
        let new = replace(&readme, "new\n").unwrap();
        assert_eq!(new, format!("# t\n\n{BEGIN}\nnew\n{END}\nrest\n"));
        assert!(section("none").is_err());
        assert!(section(BEGIN).is_err());
    }
}
