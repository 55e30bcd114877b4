//! Words for people: counts with the noun in the right number ("1 tag", "2 tags").

/// `n thing` or `n things`.
pub fn plural(n: impl TryInto<u64>, one: &str, many: &str) -> String {
    let n: u64 = n.try_into().unwrap_or(u64::MAX);
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_and_many() {
        assert_eq!(super::plural(1usize, "tag", "tags"), "1 tag");
        assert_eq!(super::plural(0u32, "tag", "tags"), "0 tags");
        assert_eq!(super::plural(2u64, "problem", "problems"), "2 problems");
    }
}
