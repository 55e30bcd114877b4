//! CodeArtifact's domain-name rule, explained one broken constraint at a time.

/// Why a domain name is invalid, or `None` if it matches
/// `^[a-z][a-z0-9-]{0,48}[a-z0-9]$`.
pub(crate) fn domain_name_error(name: &str) -> Option<String> {
    let len = name.chars().count();
    if len < 2 {
        return Some(format!(
            "is {len} character{} long",
            if len == 1 { "" } else { "s" }
        ));
    }
    if len > 50 {
        return Some(format!("is {len} characters long"));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Some(if c.is_ascii_uppercase() {
            format!("contains the uppercase letter `{c}`")
        } else {
            format!("contains `{}`", c.escape_debug())
        });
    }
    if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Some("does not start with a letter".into());
    }
    if name.ends_with('-') {
        return Some("ends with `-`".into());
    }
    None
}
