//! The `organization` section: how accounts discovered from AWS Organizations are reached.

use super::Validator;
use super::rules::role::role_option_rule;
use crate::manifest::echo::echo;
use crate::manifest::node::Node;
use crate::manifest::schema::Fields;
use crate::manifest::{DEFAULT_ORGANIZATION_ROLE, OrganizationSpec};

impl Validator<'_> {
    pub(super) fn organization(&mut self, node: &Node) -> OrganizationSpec {
        let f = Fields::of(Some("RawOrganization"));
        let mut spec = OrganizationSpec::default();
        if let Some((role, role_node)) = f.str(node, "role_name") {
            if let Some(reason) = role_name_error(role) {
                let p = self
                    .problem(
                        "manifest::invalid_role_name",
                        format!("invalid `role_name` `{}`: it {reason}", echo(role)),
                    )
                    .label(role_node.span.clone(), "invalid role name")
                    .help(format!("a role name (`{DEFAULT_ORGANIZATION_ROLE}`), optionally after its path (`platform/provisioner`): letters, digits and `+=,.@_-`"));
                self.push(p);
            } else {
                spec.role_name = role.to_string();
            }
        }
        for field in ["external_id", "session_name"] {
            let Some((value, value_node)) = f.str(node, field) else {
                continue;
            };
            let (min, max, extra) = role_option_rule(field);
            let len = value.chars().count();
            let bad = value
                .chars()
                .find(|c| !(c.is_ascii_alphanumeric() || extra.contains(*c)));
            if len < min || len > max || bad.is_some() {
                let p = self
                    .problem(
                        "manifest::invalid_value",
                        format!("invalid `organization.{field}`"),
                    )
                    .label(
                        value_node.span.clone(),
                        match bad {
                            Some(c) => format!("`{}` is not allowed", c.escape_debug()),
                            None => crate::text::plural(len, "character", "characters"),
                        },
                    )
                    .help(format!(
                        "`{field}` is {min}–{max} characters: letters, digits and `{extra}`"
                    ));
                self.push(p);
            } else if field == "external_id" {
                spec.external_id = Some(value.to_string());
            } else {
                spec.session_name = Some(value.to_string());
            }
        }
        spec
    }
}

/// Why a role name (with an optional path) is refused: IAM allows 1–64 characters of
/// `[A-Za-z0-9+=,.@_-]` in a name, and a path of such segments.
fn role_name_error(role: &str) -> Option<String> {
    let name = role.rsplit('/').next().unwrap_or(role);
    if name.is_empty() || name.len() > 64 {
        return Some("has a role name that is not 1–64 characters".into());
    }
    if role.starts_with('/') || role.contains("//") {
        return Some("has an empty path segment".into());
    }
    if role.len() > 512 {
        return Some("is longer than 512 characters".into());
    }
    role.chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "+=,.@_-/".contains(*c)))
        .map(|c| format!("contains `{}`", c.escape_debug()))
}
