//! Templates' placeholders: `${account.name}`, `${account.id}`, `${region}` and
//! `${account.tags.KEY}` in a domain's name and tag values, parsed once and filled per account and
//! Region; and the one rule that makes a filled-in value fit a CodeArtifact domain name.

use std::collections::BTreeMap;
use std::fmt;

/// A placeholder's meaning.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum Var {
    AccountName,
    AccountId,
    Region,
    AccountTag(String),
}

impl Var {
    /// Every placeholder written out, for help texts and did-you-mean.
    pub const KNOWN: [&'static str; 4] =
        ["account.name", "account.id", "region", "account.tags.KEY"];

    fn parse(text: &str) -> Option<Var> {
        match text {
            "account.name" => Some(Var::AccountName),
            "account.id" => Some(Var::AccountId),
            "region" => Some(Var::Region),
            _ => {
                let key = text.strip_prefix("account.tags.")?;
                (!key.is_empty()).then(|| Var::AccountTag(key.to_string()))
            }
        }
    }
}

impl fmt::Display for Var {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Var::AccountName => f.write_str("${account.name}"),
            Var::AccountId => f.write_str("${account.id}"),
            Var::Region => f.write_str("${region}"),
            Var::AccountTag(k) => write!(f, "${{account.tags.{k}}}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum Segment {
    Text(String),
    Var(Var),
}

/// A text with placeholders; a text without any is one `Text` segment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(into = "String")]
pub struct Pattern {
    segments: Vec<Segment>,
}

/// Why a text is not a valid pattern; `at` is the byte offset of the placeholder in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternError {
    /// `${` without its `}`.
    Unclosed { at: usize },
    /// `${something}` that is not a known placeholder.
    Unknown { at: usize, len: usize, name: String },
}

/// The values one account and Region give the placeholders.
#[derive(Debug, Clone, Copy)]
pub struct Vars<'a> {
    pub account_id: &'a str,
    /// `None`: an account known only by its id (the caller's, or a bare id).
    pub account_name: Option<&'a str>,
    pub region: &'a str,
    /// `None`: the account was not discovered from the organisation, so it has no tags.
    pub account_tags: Option<&'a BTreeMap<String, String>>,
}

/// A placeholder the account cannot fill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing(pub Var);

impl Pattern {
    pub fn parse(text: &str) -> Result<Pattern, PatternError> {
        // Most names and tag values hold no placeholder: one segment, in a vector of one (grown
        // by a push, it took room for four, for every domain of a manifest).
        if !text.is_empty() && !text.contains("${") {
            return Ok(Pattern::text(text));
        }
        let mut segments = Vec::new();
        let mut rest = text;
        let mut offset = 0;
        while let Some(start) = rest.find("${") {
            if start > 0 {
                segments.push(Segment::Text(rest[..start].to_string()));
            }
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                return Err(PatternError::Unclosed { at: offset + start });
            };
            let name = after[..end].trim();
            let var = Var::parse(name).ok_or_else(|| PatternError::Unknown {
                at: offset + start,
                len: end + 3,
                name: name.to_string(),
            })?;
            segments.push(Segment::Var(var));
            let consumed = start + 2 + end + 1;
            rest = &rest[consumed..];
            offset += consumed;
        }
        if !rest.is_empty() {
            segments.push(Segment::Text(rest.to_string()));
        }
        Ok(Pattern { segments })
    }

    /// A pattern of plain text.
    pub fn text(text: &str) -> Pattern {
        Pattern {
            segments: vec![Segment::Text(text.to_string())],
        }
    }

    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    pub fn has_vars(&self) -> bool {
        self.segments.iter().any(|s| matches!(s, Segment::Var(_)))
    }

    /// The placeholders used.
    pub fn vars(&self) -> impl Iterator<Item = &Var> {
        self.segments.iter().filter_map(|s| match s {
            Segment::Var(v) => Some(v),
            Segment::Text(_) => None,
        })
    }

    /// The text for one account and Region; `shape` turns each filled-in value into what the
    /// place allows (see [`name_part`] for domain names).
    pub fn fill(&self, vars: &Vars<'_>, shape: impl Fn(&str) -> String) -> Result<String, Missing> {
        let mut out = String::new();
        for segment in &self.segments {
            match segment {
                Segment::Text(t) => out.push_str(t),
                Segment::Var(v) => {
                    let value = match v {
                        Var::AccountId => Some(vars.account_id),
                        Var::AccountName => vars.account_name,
                        Var::Region => Some(vars.region),
                        Var::AccountTag(k) => {
                            vars.account_tags.and_then(|t| t.get(k)).map(String::as_str)
                        }
                    };
                    let value = value.ok_or_else(|| Missing(v.clone()))?;
                    out.push_str(&shape(value));
                }
            }
        }
        Ok(out)
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for s in &self.segments {
            match s {
                Segment::Text(t) => f.write_str(t)?,
                Segment::Var(v) => v.fmt(f)?,
            }
        }
        Ok(())
    }
}

impl From<Pattern> for String {
    fn from(p: Pattern) -> String {
        p.to_string()
    }
}

/// The documented rule that makes a filled-in value part of a domain name: lowercase; every
/// character other than `a-z`, `0-9` and `-` becomes `-`; runs of `-` become one; `-` at either
/// end is dropped. (`Team_A Prod` → `team-a-prod`.) The whole name is then checked against
/// CodeArtifact's rule, so a value that leaves it too long or starting with a digit is reported,
/// never cut: a cut name could silently collide with another.
pub fn name_part(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars().flat_map(char::to_lowercase) {
        let c = if c.is_ascii_lowercase() || c.is_ascii_digit() {
            c
        } else {
            '-'
        };
        if c == '-' && (out.is_empty() || out.ends_with('-')) {
            continue;
        }
        out.push(c);
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars<'a>(tags: &'a BTreeMap<String, String>) -> Vars<'a> {
        Vars {
            account_id: "222222222222",
            account_name: Some("Team_A Prod"),
            region: "eu-west-1",
            account_tags: Some(tags),
        }
    }

    #[test]
    fn fills_every_placeholder() {
        let tags = BTreeMap::from([("team".to_string(), "Payments".to_string())]);
        let p = Pattern::parse("${account.name}-${region}-${ account.tags.team }-${account.id}")
            .unwrap();
        assert!(p.has_vars());
        assert_eq!(
            p.fill(&vars(&tags), name_part).unwrap(),
            "team-a-prod-eu-west-1-payments-222222222222"
        );
        assert_eq!(
            p.fill(&vars(&tags), str::to_string).unwrap(),
            "Team_A Prod-eu-west-1-Payments-222222222222"
        );
    }

    #[test]
    fn plain_text_is_one_segment_and_round_trips() {
        let p = Pattern::parse("acme-prod").unwrap();
        assert!(!p.has_vars());
        assert_eq!(p.to_string(), "acme-prod");
        let q = Pattern::parse("x-${region}").unwrap();
        assert_eq!(q.to_string(), "x-${region}");
    }

    #[test]
    fn reports_unknown_and_unclosed_placeholders_where_they_are() {
        assert_eq!(
            Pattern::parse("ab-${acount.name}"),
            Err(PatternError::Unknown {
                at: 3,
                len: 14,
                name: "acount.name".into()
            })
        );
        assert_eq!(
            Pattern::parse("ab-${region"),
            Err(PatternError::Unclosed { at: 3 })
        );
        assert!(matches!(
            Pattern::parse("${account.tags.}"),
            Err(PatternError::Unknown { .. })
        ));
    }

    #[test]
    fn a_missing_tag_or_name_is_said() {
        let tags = BTreeMap::new();
        let p = Pattern::parse("${account.tags.team}").unwrap();
        assert_eq!(
            p.fill(&vars(&tags), name_part),
            Err(Missing(Var::AccountTag("team".into())))
        );
        let mut v = vars(&tags);
        v.account_name = None;
        assert_eq!(
            Pattern::parse("${account.name}")
                .unwrap()
                .fill(&v, name_part),
            Err(Missing(Var::AccountName))
        );
    }

    #[test]
    fn name_part_follows_the_documented_rule() {
        assert_eq!(name_part("Team_A  Prod"), "team-a-prod");
        assert_eq!(name_part("--x--"), "x");
        assert_eq!(name_part("Ünïcode"), "n-code");
        assert_eq!(name_part("___"), "");
    }
}
