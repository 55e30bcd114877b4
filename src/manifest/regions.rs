//! Known AWS Regions and their partitions.
//!
//! A static list (rather than asking AWS) because validation runs before any
//! network call. Update it when AWS opens a Region; an unknown Region is an
//! error, not a warning, since a typo would otherwise only surface mid-apply.

/// `(region, partition)` for the commercial, GovCloud and China partitions.
pub const REGIONS: &[(&str, &str)] = &[
    // aws
    ("af-south-1", "aws"),
    ("ap-east-1", "aws"),
    ("ap-east-2", "aws"),
    ("ap-northeast-1", "aws"),
    ("ap-northeast-2", "aws"),
    ("ap-northeast-3", "aws"),
    ("ap-south-1", "aws"),
    ("ap-south-2", "aws"),
    ("ap-southeast-1", "aws"),
    ("ap-southeast-2", "aws"),
    ("ap-southeast-3", "aws"),
    ("ap-southeast-4", "aws"),
    ("ap-southeast-5", "aws"),
    ("ap-southeast-6", "aws"),
    ("ap-southeast-7", "aws"),
    ("ca-central-1", "aws"),
    ("ca-west-1", "aws"),
    ("eu-central-1", "aws"),
    ("eu-central-2", "aws"),
    ("eu-north-1", "aws"),
    ("eu-south-1", "aws"),
    ("eu-south-2", "aws"),
    ("eu-west-1", "aws"),
    ("eu-west-2", "aws"),
    ("eu-west-3", "aws"),
    ("il-central-1", "aws"),
    ("me-central-1", "aws"),
    ("me-south-1", "aws"),
    ("mx-central-1", "aws"),
    ("sa-east-1", "aws"),
    ("us-east-1", "aws"),
    ("us-east-2", "aws"),
    ("us-west-1", "aws"),
    ("us-west-2", "aws"),
    // aws-us-gov
    ("us-gov-east-1", "aws-us-gov"),
    ("us-gov-west-1", "aws-us-gov"),
    // aws-cn
    ("cn-north-1", "aws-cn"),
    ("cn-northwest-1", "aws-cn"),
];

/// Partitions accepted in ARNs.
pub const PARTITIONS: &[&str] = &["aws", "aws-us-gov", "aws-cn"];

/// The partition of a known Region.
pub fn partition_of(region: &str) -> Option<&'static str> {
    REGIONS
        .iter()
        .find(|(name, _)| *name == region)
        .map(|(_, partition)| *partition)
}

pub fn is_known(region: &str) -> bool {
    partition_of(region).is_some()
}

/// The closest known Region, for a "did you mean" hint.
pub fn suggest(region: &str) -> Option<&'static str> {
    super::validate::closest(region, REGIONS.iter().map(|(name, _)| *name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups() {
        assert_eq!(partition_of("us-gov-west-1"), Some("aws-us-gov"));
        assert!(is_known("eu-west-1"));
        assert!(!is_known("eu-wset-1"));
        assert_eq!(suggest("eu-wset-1"), Some("eu-west-1"));
        assert_eq!(suggest("us-east1"), Some("us-east-1"));
    }
}
