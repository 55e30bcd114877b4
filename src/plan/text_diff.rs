//! A line diff of two texts (policy documents, at most 7168 bytes each as AWS allows): the
//! longest common subsequence of their lines, so that an unchanged line reads as context and
//! only what changed is marked.

/// One line of the diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line<'a> {
    Same(&'a str),
    Removed(&'a str),
    Added(&'a str),
}

/// Above this many (old × new) line pairs the table is not built: the old text is shown
/// removed and the new one added. A saved plan is hostile input and may hold huge documents.
const MAX_CELLS: usize = 4_000_000;

/// The lines of `old` and `new`, each marked as kept, removed or added, in reading order
/// (removals before additions where both happen at one place).
pub fn diff_lines<'a>(old: &'a str, new: &'a str) -> Vec<Line<'a>> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let (n, m) = (a.len(), b.len());
    if n.saturating_mul(m) > MAX_CELLS {
        let removed = a.into_iter().map(Line::Removed);
        return removed.chain(b.into_iter().map(Line::Added)).collect();
    }
    // common[i][j]: length of the longest common subsequence of a[i..] and b[j..].
    let mut common = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            common[i][j] = if a[i] == b[j] {
                common[i + 1][j + 1] + 1
            } else {
                common[i + 1][j].max(common[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(n + m);
    while i < n && j < m {
        if a[i] == b[j] {
            out.push(Line::Same(a[i]));
            i += 1;
            j += 1;
        } else if common[i + 1][j] >= common[i][j + 1] {
            out.push(Line::Removed(a[i]));
            i += 1;
        } else {
            out.push(Line::Added(b[j]));
            j += 1;
        }
    }
    out.extend(a[i..].iter().copied().map(Line::Removed));
    out.extend(b[j..].iter().copied().map(Line::Added));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unchanged_lines_are_context_and_changes_are_marked() {
        let old = "{\n  \"a\": 1,\n  \"b\": 2,\n  \"c\": 3\n}";
        let new = "{\n  \"a\": 1,\n  \"b\": 5,\n  \"c\": 3,\n  \"d\": 4\n}";
        assert_eq!(
            diff_lines(old, new),
            [
                Line::Same("{"),
                Line::Same("  \"a\": 1,"),
                Line::Removed("  \"b\": 2,"),
                Line::Removed("  \"c\": 3"),
                Line::Added("  \"b\": 5,"),
                Line::Added("  \"c\": 3,"),
                Line::Added("  \"d\": 4"),
                Line::Same("}"),
            ]
        );
    }

    #[test]
    fn from_nothing_everything_is_added() {
        assert_eq!(diff_lines("", "a\nb"), [Line::Added("a"), Line::Added("b")]);
        assert_eq!(diff_lines("a", "a"), [Line::Same("a")]);
        assert_eq!(
            diff_lines("a\nb", ""),
            [Line::Removed("a"), Line::Removed("b")]
        );
    }

    #[test]
    fn huge_texts_are_shown_whole_rather_than_compared() {
        let old = "x\n".repeat(3000);
        let new = "y\n".repeat(3000);
        let lines = diff_lines(&old, &new);
        assert_eq!(lines.len(), 6000);
        assert_eq!(lines[0], Line::Removed("x"));
        assert_eq!(lines[3000], Line::Added("y"));
    }
}
