//! The manifest's text as problems point into it: a line index built once,
//! and a miette [`SourceCode`] that only ever hands out a few short lines.
//!
//! Why not miette's `NamedSource<String>`: its `read_span` scans the text
//! from byte 0 to find a span's line, and the graphical handler calls it
//! several times per problem, so thousands of problems in a large file took
//! minutes (quadratic). Here a line is a binary search in [`SourceFile::line_starts`].
//!
//! And the graphical handler cannot draw every span: it pads to a label's
//! column with `format!("{:width$}")`, which panics past column 65 535, and
//! it prints every line a label covers plus its neighbours in full, so one
//! label on a 9 MB line prints 9 MB. [`SourceFile::drawable`] says which spans
//! are safe; a problem whose label is not gives its location in its message.

use std::ops::Range;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use super::echo::hide_controls;

/// Lines longer than this (in bytes, line break included) are not shown.
/// The handler's columns are at most 4 per byte (a tab), so labels stay far
/// below its 65 535-column limit; and a real manifest line is far shorter.
pub(crate) const MAX_SHOWN_LINE_BYTES: usize = 1024;

/// A label covering more lines than this is not drawn: it would print them all.
const MAX_LABEL_LINES: usize = 20;

#[derive(Debug)]
pub(crate) struct SourceFile {
    name: String,
    language: &'static str,
    /// The text as shown: controls replaced byte for byte (see [`hide_controls`]).
    shown: String,
    /// Byte offset of the start of each line. A line ends after `\n`, or after
    /// a `\r` not followed by `\n`, as miette counts lines.
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub(crate) fn new(name: &str, text: &str, language: &'static str) -> SourceFile {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        for (i, b) in bytes.iter().enumerate() {
            let ends_line = *b == b'\n' || (*b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
            if ends_line {
                line_starts.push(i + 1);
            }
        }
        // Printable ASCII (and tabs and line breaks) hides nothing: a test of each byte is
        // enough for most manifests, where decoding each character cost as much as the rest.
        let printable = bytes
            .iter()
            .all(|b| matches!(b, b' '..=b'~' | b'\t' | b'\n' | b'\r'));
        let shown = if printable {
            text.to_string()
        } else {
            hide_controls(text).into_owned()
        };
        SourceFile {
            name: name.to_string(),
            language,
            shown,
            line_starts,
        }
    }

    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// 0-based index of the line holding byte `offset`.
    fn line_index(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|s| *s <= offset) - 1
    }

    /// The bytes of line `index`, its line break included.
    fn line_range(&self, index: usize) -> Range<usize> {
        let end = self
            .line_starts
            .get(index + 1)
            .copied()
            .unwrap_or(self.shown.len());
        self.line_starts[index]..end
    }

    fn is_short(&self, index: usize) -> bool {
        self.line_range(index).len() <= MAX_SHOWN_LINE_BYTES
    }

    /// 1-based line and column (in bytes, as miette counts) of byte `offset`.
    pub(crate) fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.shown.len());
        let line = self.line_index(offset);
        (line + 1, offset - self.line_starts[line] + 1)
    }

    /// First and last line of `span` (an empty span is on its start's line).
    fn lines_of(&self, span: &Range<usize>) -> (usize, usize) {
        let first = self.line_index(span.start);
        let last = self.line_index(span.end.saturating_sub(1).max(span.start));
        (first, last)
    }

    /// Whether miette can draw a label under `span`: inside the text, on at
    /// most [`MAX_LABEL_LINES`] lines, none of them longer than
    /// [`MAX_SHOWN_LINE_BYTES`].
    pub(crate) fn drawable(&self, span: &Range<usize>) -> bool {
        if span.start > span.end || span.end > self.shown.len() {
            return false;
        }
        let (first, last) = self.lines_of(span);
        last - first < MAX_LABEL_LINES && (first..=last).all(|l| self.is_short(l))
    }
}

impl SourceCode for SourceFile {
    /// Reads only the span's lines and the requested context lines around
    /// them, leaving out context lines that are too long to show; this window
    /// is then read by miette's own `str` implementation and its positions
    /// shifted back to the whole file. The window has one line more on each
    /// side than asked for: miette's reading of empty spans and of spans that
    /// end with a line break reaches one line further.
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let range = span.offset()..span.offset() + span.len();
        if range.end > self.shown.len() {
            return Err(MietteError::OutOfBounds);
        }
        let (first, last) = self.lines_of(&range);
        let mut top = first;
        while top > 0 && first - top <= context_lines_before && self.is_short(top - 1) {
            top -= 1;
        }
        let mut bottom = last;
        while bottom + 1 < self.line_starts.len()
            && bottom - last <= context_lines_after
            && self.is_short(bottom + 1)
        {
            bottom += 1;
        }
        let start = self.line_starts[top];
        let window = &self.shown[start..self.line_range(bottom).end];
        let inner = window.read_span(
            &(range.start - start, range.len()).into(),
            context_lines_before,
            context_lines_after,
        )?;
        let contents = MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            (inner.span().offset() + start, inner.span().len()).into(),
            inner.line() + top,
            inner.column(),
            inner.line_count() + top,
        )
        .with_language(self.language);
        Ok(Box::new(contents))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns() {
        let f = SourceFile::new("m.yaml", "ab\ncd\r\nef\rgh", "yaml");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(4), (2, 2));
        assert_eq!(f.line_col(7), (3, 1));
        assert_eq!(f.line_col(10), (4, 1));
        assert_eq!(f.line_col(99), (4, 3));
    }

    #[test]
    fn the_text_shown_hides_what_a_terminal_would_act_on() {
        for text in [
            "a: 1\r\n\tb",
            "a\u{1b}[2Kb\u{7}",
            "bêta",
            "x\u{202e}y",
            "\u{7f}",
        ] {
            let f = SourceFile::new("m.yaml", text, "yaml");
            assert_eq!(f.shown, hide_controls(text), "{text:?}");
        }
    }

    #[test]
    fn long_lines_are_not_drawable() {
        let long = format!("a: 1\nb: {}\nc: 3\n", "x".repeat(MAX_SHOWN_LINE_BYTES));
        let f = SourceFile::new("m.yaml", &long, "yaml");
        assert!(f.drawable(&(0..1)));
        assert!(!f.drawable(&(8..9)));
        assert!(!f.drawable(&(0..long.len())));
        assert!(!f.drawable(&(long.len()..long.len() + 1)));
        // Its long neighbour is left out of the context of a short line.
        let c = long.rfind('c').unwrap();
        let contents = f.read_span(&(c, 1).into(), 1, 1).unwrap();
        assert_eq!(contents.data(), b"c: 3\n");
        assert_eq!((contents.line(), contents.column()), (2, 0));
    }

    #[test]
    fn windows_match_miettes_own_reading() {
        let text = "version: 1\ndomains:\r\n  - name: x\r    region: y\n\n  - name: z\n";
        let f = SourceFile::new("m.yaml", text, "yaml");
        for start in 0..text.len() {
            for len in [0, 1, 5] {
                let len = len.min(text.len() - start);
                for context in [0, 1, 2] {
                    let ours = f.read_span(&(start, len).into(), context, context).unwrap();
                    let theirs = text
                        .read_span(&(start, len).into(), context, context)
                        .unwrap();
                    assert_eq!(ours.data(), theirs.data(), "{start}+{len} ±{context}");
                    assert_eq!(ours.span(), theirs.span());
                    assert_eq!(ours.line(), theirs.line());
                    assert_eq!(ours.column(), theirs.column());
                }
            }
        }
    }
}
