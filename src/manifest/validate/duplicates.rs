//! The "defined twice" rule: an address may be declared only once.
//!
//! Generic over what the address is and how a place is located (span, line),
//! so any list of declarations can reuse it; the caller words the problem.

use std::collections::HashMap;
use std::hash::Hash;

/// A declaration whose address was already taken.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Duplicate<K, P> {
    pub(crate) key: K,
    /// Where it is declared again.
    pub(crate) again: P,
    /// Where the address was first declared.
    pub(crate) first: P,
}

/// Every entry whose key an earlier entry already has, in input order, each
/// paired with the *first* entry of that key (not the previous repeat), so a
/// key declared three times points twice at the same original.
pub(crate) fn duplicates<K, P>(entries: impl IntoIterator<Item = (K, P)>) -> Vec<Duplicate<K, P>>
where
    K: Eq + Hash,
    P: Clone,
{
    let mut first: HashMap<K, P> = HashMap::new();
    let mut out = Vec::new();
    for (key, place) in entries {
        if let Some(original) = first.get(&key) {
            out.push(Duplicate {
                first: original.clone(),
                key,
                again: place,
            });
        } else {
            first.insert(key, place);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Duplicate, duplicates};

    #[test]
    fn repeats_point_at_the_first_declaration() {
        let found = duplicates([("a", 1), ("b", 2), ("a", 3), ("a", 4)]);
        assert_eq!(
            found,
            [
                Duplicate {
                    key: "a",
                    again: 3,
                    first: 1
                },
                Duplicate {
                    key: "a",
                    again: 4,
                    first: 1
                },
            ]
        );
        assert!(duplicates([("a", 1), ("b", 2)]).is_empty());
    }
}
