//! Every operation the endpoint serves, per service, resolved once from the request: its wire
//! name (for stats and errors) and whether it reads or writes (for the rate quotas).
//!
//! A new operation starts here; the compiler then points at the handler that must serve it.

/// Whether an operation counts against the read or the write request quota.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Read,
    Write,
}

/// An operation a request names, known before it is executed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    CodeArtifact(CodeArtifactOp),
    Kms(KmsOp),
    Organizations(OrganizationsOp),
    Sts(StsOp),
}

impl Operation {
    /// The operation's name in the service model (`CreateDomain`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Self::CodeArtifact(op) => op.name(),
            Self::Kms(op) => op.name(),
            Self::Organizations(op) => op.name(),
            Self::Sts(op) => op.name(),
        }
    }

    pub fn kind(self) -> Kind {
        match self {
            Self::CodeArtifact(op) => op.kind(),
            Self::Kms(op) => op.kind(),
            Self::Organizations(_) => Kind::Read,
            Self::Sts(op) => op.kind(),
        }
    }
}

/// CodeArtifact's domain operations (rest-json: named by method and path).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeArtifactOp {
    CreateDomain,
    DescribeDomain,
    DeleteDomain,
    ListDomains,
    TagResource,
    UntagResource,
    ListTagsForResource,
    GetDomainPermissionsPolicy,
    PutDomainPermissionsPolicy,
    DeleteDomainPermissionsPolicy,
}

impl CodeArtifactOp {
    /// The operation served at `method` and `path` (trailing slashes ignored), as the service
    /// model's `http` bindings say.
    pub fn route(method: &str, path: &str) -> Option<Self> {
        Some(match (method, path.trim_end_matches('/')) {
            ("POST", "/v1/domain") => Self::CreateDomain,
            ("GET", "/v1/domain") => Self::DescribeDomain,
            ("DELETE", "/v1/domain") => Self::DeleteDomain,
            ("POST", "/v1/domains") => Self::ListDomains,
            ("POST", "/v1/tag") => Self::TagResource,
            ("POST", "/v1/untag") => Self::UntagResource,
            ("POST", "/v1/tags") => Self::ListTagsForResource,
            ("GET", "/v1/domain/permissions/policy") => Self::GetDomainPermissionsPolicy,
            ("PUT", "/v1/domain/permissions/policy") => Self::PutDomainPermissionsPolicy,
            ("DELETE", "/v1/domain/permissions/policy") => Self::DeleteDomainPermissionsPolicy,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::CreateDomain => "CreateDomain",
            Self::DescribeDomain => "DescribeDomain",
            Self::DeleteDomain => "DeleteDomain",
            Self::ListDomains => "ListDomains",
            Self::TagResource => "TagResource",
            Self::UntagResource => "UntagResource",
            Self::ListTagsForResource => "ListTagsForResource",
            Self::GetDomainPermissionsPolicy => "GetDomainPermissionsPolicy",
            Self::PutDomainPermissionsPolicy => "PutDomainPermissionsPolicy",
            Self::DeleteDomainPermissionsPolicy => "DeleteDomainPermissionsPolicy",
        }
    }

    pub fn kind(self) -> Kind {
        match self {
            Self::DescribeDomain
            | Self::ListDomains
            | Self::ListTagsForResource
            | Self::GetDomainPermissionsPolicy => Kind::Read,
            Self::CreateDomain
            | Self::DeleteDomain
            | Self::TagResource
            | Self::UntagResource
            | Self::PutDomainPermissionsPolicy
            | Self::DeleteDomainPermissionsPolicy => Kind::Write,
        }
    }
}

/// KMS's key and alias operations (JSON 1.1: named by `X-Amz-Target: TrentService.<name>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KmsOp {
    CreateKey,
    CreateAlias,
    DescribeKey,
    ListAliases,
    ListResourceTags,
}

impl KmsOp {
    const ALL: [Self; 5] = [
        Self::CreateKey,
        Self::CreateAlias,
        Self::DescribeKey,
        Self::ListAliases,
        Self::ListResourceTags,
    ];

    /// The operation of this wire name, if served.
    pub fn named(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|op| op.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::CreateKey => "CreateKey",
            Self::CreateAlias => "CreateAlias",
            Self::DescribeKey => "DescribeKey",
            Self::ListAliases => "ListAliases",
            Self::ListResourceTags => "ListResourceTags",
        }
    }

    pub fn kind(self) -> Kind {
        match self {
            Self::CreateKey | Self::CreateAlias => Kind::Write,
            Self::DescribeKey | Self::ListAliases | Self::ListResourceTags => Kind::Read,
        }
    }
}

/// The Organizations operations that discover an organisation's accounts (JSON 1.1: named by
/// `X-Amz-Target: AWSOrganizationsV20161128.<name>`). All read: the organisation comes from a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrganizationsOp {
    DescribeOrganization,
    ListRoots,
    ListOrganizationalUnitsForParent,
    ListAccountsForParent,
    ListAccounts,
    DescribeAccount,
    ListTagsForResource,
}

impl OrganizationsOp {
    const ALL: [Self; 7] = [
        Self::DescribeOrganization,
        Self::ListRoots,
        Self::ListOrganizationalUnitsForParent,
        Self::ListAccountsForParent,
        Self::ListAccounts,
        Self::DescribeAccount,
        Self::ListTagsForResource,
    ];

    /// The operation of this wire name, if served.
    pub fn named(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|op| op.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::DescribeOrganization => "DescribeOrganization",
            Self::ListRoots => "ListRoots",
            Self::ListOrganizationalUnitsForParent => "ListOrganizationalUnitsForParent",
            Self::ListAccountsForParent => "ListAccountsForParent",
            Self::ListAccounts => "ListAccounts",
            Self::DescribeAccount => "DescribeAccount",
            Self::ListTagsForResource => "ListTagsForResource",
        }
    }
}

/// STS's operations (query protocol: named by the `Action` parameter).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StsOp {
    GetCallerIdentity,
    AssumeRole,
}

impl StsOp {
    const ALL: [Self; 2] = [Self::GetCallerIdentity, Self::AssumeRole];

    /// The operation of this wire name, if served.
    pub fn named(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|op| op.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::GetCallerIdentity => "GetCallerIdentity",
            Self::AssumeRole => "AssumeRole",
        }
    }

    pub fn kind(self) -> Kind {
        match self {
            Self::GetCallerIdentity => Kind::Read,
            Self::AssumeRole => Kind::Write,
        }
    }
}
