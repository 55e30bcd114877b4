//! The order work starts in: round-robin over targets, so that what is in flight is spread over
//! the whole organisation instead of crowding onto a few targets and waiting for their pace.

use std::collections::HashMap;
use std::hash::Hash;

/// Indices of `items` in round-robin order over their groups: the first item of every group (in
/// order of first appearance), then the second of every group, and so on.
pub fn round_robin<T, K: Eq + Hash>(items: &[T], group: impl Fn(&T) -> K) -> Vec<usize> {
    let mut seen: HashMap<K, (usize, usize)> = HashMap::new();
    let mut ranked: Vec<(usize, usize, usize)> = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let groups = seen.len();
            let (g, count) = seen.entry(group(item)).or_insert((groups, 0));
            let rank = *count;
            *count += 1;
            (rank, *g, i)
        })
        .collect();
    ranked.sort_unstable();
    ranked.into_iter().map(|(_, _, i)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::round_robin;

    #[test]
    fn one_of_each_group_in_turn_in_order_of_first_appearance() {
        let items = ["a1", "a2", "a3", "b1", "c1", "c2", "b2"];
        let order: Vec<&str> = round_robin(&items, |s| s.as_bytes()[0])
            .into_iter()
            .map(|i| items[i])
            .collect();
        assert_eq!(order, ["a1", "b1", "c1", "a2", "b2", "c2", "a3"]);
        assert!(round_robin(&[] as &[u8], |b| *b).is_empty());
    }
}
