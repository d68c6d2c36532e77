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

/// `readme` with the text between the markers replaced by `markdown`, each marker on a line
/// of its own.
pub fn replace(readme: &str, markdown: &str) -> Result<String, String> {
    let begin = readme
        .find(BEGIN)
        .ok_or_else(|| format!("no '{BEGIN}' line"))?;
    let after = begin + BEGIN.len();
    let end = readme[after..]
        .find(END)
        .ok_or_else(|| format!("no '{END}' line after '{BEGIN}'"))?
        + after;
    Ok(format!(
        "{}{BEGIN}\n{}\n{}",
        &readme[..begin],
        markdown.trim_matches('\n'),
        &readme[end..]
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
        // An empty section (a README before the first run): the markers stay on lines of
        // their own.
        let empty = format!("# t\n{BEGIN}\n{END}\n");
        assert_eq!(
            replace(&empty, "new").unwrap(),
            format!("# t\n{BEGIN}\nnew\n{END}\n")
        );
        assert!(section("none").is_err());
        assert!(section(BEGIN).is_err());
    }
}
