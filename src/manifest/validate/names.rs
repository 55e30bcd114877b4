//! Did-you-mean: the closest known name to a misspelt one.
//!
//! Shared by every hint that names a candidate (unknown keys and enum values in
//! the schema pass, Regions, account names), so that they all agree on what
//! counts as a plausible typo.

/// The closest candidate by Damerau-Levenshtein distance, if close enough to
/// be a plausible typo (at most a third of the length, at least 1 edit).
pub(crate) fn closest<'a>(
    value: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (value.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(value, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn closest_is_conservative() {
        assert_eq!(
            closest("encyption_key", ["encryption_key", "tags"]),
            Some("encryption_key")
        );
        assert_eq!(closest("zzzz", ["encryption_key", "tags"]), None);
    }
}
