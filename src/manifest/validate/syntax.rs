//! Syntax errors from the parsers, as problems.
//!
//! A file that does not parse yields no tree, so these are the only problems
//! reported for it; the help says so, lest the user think the rest was checked.

use crate::manifest::echo::echo_message;
use crate::manifest::error::{Problem, Source};
use crate::manifest::node::SyntaxError;

pub(crate) fn syntax_problems(
    source: &Source,
    text: &str,
    errors: Vec<SyntaxError>,
) -> Vec<Problem> {
    errors
        .into_iter()
        .map(|e| {
            let problem = Problem::new(
                source,
                "manifest::syntax",
                // Parsers quote the input they choke on: escaped and shortened too.
                format!("syntax error: {}", echo_message(&e.message)),
            )
            .help("fix the syntax; nothing else is checked until the file parses");
            // A parser that cannot say where points at the end of the file.
            let span = e.span.unwrap_or(text.len()..text.len());
            problem.label(span, "here")
        })
        .collect()
}
