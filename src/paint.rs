//! Plain ANSI colour behind a flag, shared by the plan and report renderers (a few codes are not
//! worth a crate). Each renderer adds its own meaning-to-colour methods in its own module.

/// When to colour (`--color`); defined here, with the rule that reads it, so that the command
/// line depends on the painter and not the other way round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Whether to colour output going to a terminal or not (`is_terminal`), as `--color` says; `auto`
/// follows the conventions people set once for every tool: NO_COLOR (any non-empty value,
/// no-color.org) and TERM=dumb turn colour off. An explicit `--color always` wins over both.
pub fn enabled(choice: ColorChoice, is_terminal: bool) -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    decide(choice, is_terminal, no_color, dumb_terminal())
}

/// TERM=dumb: a terminal that understands no escape sequence at all (no colour, and no
/// redrawn progress bar either).
pub fn dumb_terminal() -> bool {
    std::env::var_os("TERM").is_some_and(|t| t == "dumb")
}

/// [`enabled`]'s rule, without the environment.
fn decide(choice: ColorChoice, is_terminal: bool, no_color: bool, dumb: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => is_terminal && !no_color && !dumb,
    }
}

/// `Paint(true)` colours, `Paint(false)` returns text unchanged (snapshots, pipes).
pub struct Paint(pub bool);

impl Paint {
    pub fn wrap(&self, code: &str, s: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }

    pub fn bold(&self, s: &str) -> String {
        self.wrap("1", s)
    }

    pub fn dim(&self, s: &str) -> String {
        self.wrap("2", s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_colours_a_terminal_unless_no_color_or_a_dumb_terminal() {
        use ColorChoice::*;
        assert!(decide(Auto, true, false, false));
        assert!(!decide(Auto, false, false, false));
        assert!(!decide(Auto, true, true, false));
        assert!(!decide(Auto, true, false, true));
        assert!(decide(Always, false, true, true));
        assert!(!decide(Never, true, false, false));
    }
}
