//! Control characters escaped so that no value can move the cursor, erase lines or retitle the
//! terminal; only the colour codes provision paints itself are kept, and only when asked.

use super::echo::write_shown;
use super::secrets::scrub;
use std::fmt::Write as _;

/// The SGR sequences `Paint` writes (`ESC [ code m`); everything else with ESC is escaped.
const OWN_COLOURS: &[&str] = &["0", "1", "2", "31", "32", "33", "36", "1;33"];

/// A single value (a name, a message) is at most this long in a line for people.
pub const MAX_VALUE_CHARS: usize = 500;

/// A whole document for output: secrets removed; control characters other than newline and
/// tab escaped (`\u{1b}`, `\r`, and format characters such as bidi overrides); provision's
/// own colour codes kept when `colour` is set.
pub fn clean(text: &str, colour: bool) -> String {
    let text = scrub(text);
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_ref();
    while let Some(c) = rest.chars().next() {
        if let Some(len) = (c == '\u{1b}' && colour)
            .then(|| own_colour(rest))
            .flatten()
        {
            out.push_str(&rest[..len]);
            rest = &rest[len..];
            continue;
        }
        push_escaped(&mut out, c, false);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// One value inside a line: secrets removed, every control character escaped (newlines too),
/// and shortened to `MAX_VALUE_CHARS` with a note of how much was left out.
pub fn value(text: &str) -> String {
    let text = scrub(text);
    let mut out = String::new();
    let total = text.chars().count();
    for c in text.chars().take(MAX_VALUE_CHARS) {
        push_escaped(&mut out, c, true);
    }
    if total > MAX_VALUE_CHARS {
        let _ = write!(out, "… ({} more characters)", total - MAX_VALUE_CHARS);
    }
    out
}

/// Newlines and tabs kept in whole documents (`newlines` false); every other character a
/// terminal could act on written as its escape (the rule in `echo`).
fn push_escaped(out: &mut String, c: char, newlines: bool) {
    if !newlines && matches!(c, '\n' | '\t') {
        out.push(c);
    } else {
        let _ = write_shown(out, c);
    }
}

/// The length of the `ESC [ code m` at the start of `s`, when it is one of ours.
fn own_colour(s: &str) -> Option<usize> {
    let body = s.strip_prefix("\u{1b}[")?;
    let end = body.find('m')?;
    OWN_COLOURS.contains(&&body[..end]).then_some(2 + end + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injected_escapes_are_escaped_and_our_colours_kept() {
        let hostile = "main\u{1b}[2K\u{1b}[1A\u{1b}]0;T\u{7}";
        assert_eq!(
            clean(hostile, true),
            "main\\u{1b}[2K\\u{1b}[1A\\u{1b}]0;T\\u{7}"
        );
        let ours = "\u{1b}[32m+ acme\u{1b}[0m\n\u{1b}[1;33mdone\u{1b}[0m\r\n";
        assert_eq!(
            clean(ours, true),
            "\u{1b}[32m+ acme\u{1b}[0m\n\u{1b}[1;33mdone\u{1b}[0m\\r\n"
        );
        assert!(!clean(ours, false).contains('\u{1b}'));
        // Concealed text would hide the rest of a plan: not one of ours.
        assert_eq!(clean("\u{1b}[8mhidden", true), "\\u{1b}[8mhidden");
    }

    #[test]
    fn values_are_one_line_and_bounded() {
        assert_eq!(value("a\nb\u{9b}c\u{202e}"), "a\\nb\\u{9b}c\\u{202e}");
        let long = "x".repeat(MAX_VALUE_CHARS + 7);
        let v = value(&long);
        assert!(v.ends_with("… (7 more characters)"), "{v}");
        assert_eq!(v.chars().filter(|c| *c == 'x').count(), MAX_VALUE_CHARS);
    }
}
