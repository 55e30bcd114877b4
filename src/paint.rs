//! Plain ANSI colour behind a flag, shared by the plan and report renderers (a few codes are not
//! worth a crate). Each renderer adds its own meaning-to-colour methods in its own module.

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
