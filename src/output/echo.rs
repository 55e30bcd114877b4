//! The one rule for showing someone else's text: which characters are escaped, how they are
//! spelled, and how values are shortened. Used by the output point and by diagnostics.
//!
//! A manifest is input from whoever wrote it, and diagnostics go to a
//! terminal: a value with `ESC [ 2 K` in it, printed raw, would rewrite the
//! screen (erase lines, set the window title, fake a "valid" verdict). And a
//! 1 MB value quoted in each of thousands of problems multiplies the input.
//! So every value quoted in a message goes through [`echo`], and the source
//! lines miette prints go through [`hide_controls`].

use std::borrow::Cow;
use std::fmt::{self, Write};

/// At most this many characters of a value are quoted (escapes included);
/// longer values end with `…`. Enough for any valid name, ARN or tag key.
pub const MAX_ECHO_CHARS: usize = 80;

/// Unicode "Other" (`\p{C}`): controls, format characters (bidi overrides,
/// zero-width characters) and private use. These are what a terminal may act
/// on or hide, and what AWS refuses in tags.
/// (Unassigned code points are not detected: that needs Unicode tables.)
pub fn is_other(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{AD}' | '\u{600}'..='\u{605}' | '\u{61C}' | '\u{6DD}' | '\u{70F}' | '\u{8E2}'
            | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}' | '\u{E000}'..='\u{F8FF}' | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}' | '\u{F0000}'..='\u{10FFFF}')
}

/// A user value as it may be shown: see [`echo`].
pub struct Echo<'a> {
    value: &'a str,
    max: usize,
}

/// `value` with every [`is_other`] character escaped (`\t`, `\n`, `\r`,
/// `\u{1b}`, …) and cut to [`MAX_ECHO_CHARS`] characters with `…`.
pub fn echo(value: &str) -> Echo<'_> {
    Echo {
        value,
        max: MAX_ECHO_CHARS,
    }
}

/// Like [`echo`], for a parser's message that may quote the input: cut at
/// three times the length, so that the parser's own words are kept.
pub fn echo_message(message: &str) -> Echo<'_> {
    Echo {
        value: message,
        max: 3 * MAX_ECHO_CHARS,
    }
}

/// `text` with its [`is_other`] characters escaped and nothing cut: for
/// whole messages, which may quote a value someone forgot to [`echo`].
pub fn escape(text: String) -> String {
    if text.chars().any(is_other) {
        Echo {
            value: &text,
            max: usize::MAX,
        }
        .to_string()
    } else {
        text
    }
}

/// How many characters `c` takes when shown (see [`write_shown`]).
fn shown_width(c: char) -> usize {
    match c {
        '\t' | '\n' | '\r' => 2,
        c if is_other(c) => c.escape_unicode().len(),
        _ => 1,
    }
}

/// `c` itself, or its escape if a terminal could act on it.
pub fn write_shown(f: &mut impl Write, c: char) -> fmt::Result {
    match c {
        '\t' => f.write_str("\\t"),
        '\n' => f.write_str("\\n"),
        '\r' => f.write_str("\\r"),
        c if is_other(c) => write!(f, "{}", c.escape_unicode()),
        c => f.write_char(c),
    }
}

impl fmt::Display for Echo<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Stops counting once over the limit: a 1 MB value costs no more than a short one.
        let fits = self
            .value
            .chars()
            .try_fold(0usize, |n, c| {
                Some(n + shown_width(c)).filter(|n| *n <= self.max)
            })
            .is_some();
        // Keep one character of the budget for the `…` when cutting.
        let mut budget = if fits { self.max } else { self.max - 1 };
        for c in self.value.chars() {
            let len = shown_width(c);
            if len > budget {
                return f.write_str("…");
            }
            budget -= len;
            write_shown(f, c)?;
        }
        Ok(())
    }
}

/// `text` with the characters a terminal would act on replaced by `?` (one
/// per byte, so that every span still points at the same bytes): this is
/// the text miette prints around a label. Tabs and line breaks stay.
pub fn hide_controls(text: &str) -> Cow<'_, str> {
    let hidden = |c: char| is_other(c) && !matches!(c, '\t' | '\n' | '\r');
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if hidden(c) {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echo_escapes_and_shortens() {
        assert_eq!(
            echo("main\u{1b}[2K\u{7}").to_string(),
            "main\\u{1b}[2K\\u{7}"
        );
        assert_eq!(echo("a\tb\u{202e}").to_string(), "a\\tb\\u{202e}");
        let long = "x".repeat(1000);
        let shown = echo(&long).to_string();
        assert_eq!(shown.chars().count(), MAX_ECHO_CHARS);
        assert!(shown.ends_with("xx…"));
        let exact = "y".repeat(MAX_ECHO_CHARS);
        assert_eq!(echo(&exact).to_string(), exact);
        // An escape is never cut in half.
        let esc = format!("{}\u{1b}", "z".repeat(MAX_ECHO_CHARS - 3));
        assert_eq!(
            echo(&esc).to_string(),
            format!("{}…", "z".repeat(MAX_ECHO_CHARS - 3))
        );
    }

    #[test]
    fn hidden_controls_keep_offsets() {
        let text = "a: \u{1b}[2K\u{9b}\tb\n";
        let hidden = hide_controls(text);
        assert_eq!(hidden.len(), text.len());
        assert_eq!(hidden, "a: ?[2K??\tb\n");
        assert!(matches!(hide_controls("plain\n"), Cow::Borrowed(_)));
    }
}
