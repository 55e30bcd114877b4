//! Where signed requests may go: an endpoint over plain HTTP would carry the Authorization
//! header and the session token in clear text, so it is accepted only on this machine
//! (loopback) unless the user says otherwise.

/// Why an endpoint is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
#[error("refusing to send signed requests over plain HTTP to {url} (from {source_name})")]
#[diagnostic(
    code(provision::insecure_endpoint),
    help(
        "use https://, or an endpoint on this machine (localhost, 127.0.0.1, [::1]); if the network between is trusted, pass --allow-insecure-endpoint"
    )
)]
pub struct InsecureEndpoint {
    pub url: String,
    pub source_name: String,
}

/// Check every endpoint the SDK would use: `--endpoint-url`, then `AWS_ENDPOINT_URL` and the
/// per-service `AWS_ENDPOINT_URL_*` variables the SDK reads itself.
pub fn check_endpoints(flag: Option<&str>, allow_insecure: bool) -> Result<(), InsecureEndpoint> {
    if allow_insecure {
        return Ok(());
    }
    let from_env = std::env::vars()
        .filter(|(k, _)| k == "AWS_ENDPOINT_URL" || k.starts_with("AWS_ENDPOINT_URL_"));
    let all = flag
        .map(|u| ("--endpoint-url".to_string(), u.to_string()))
        .into_iter()
        .chain(from_env);
    for (source_name, url) in all {
        if !is_safe(&url) {
            return Err(InsecureEndpoint {
                url: crate::output::value(&url),
                source_name,
            });
        }
    }
    Ok(())
}

/// HTTPS anywhere, plain HTTP only to a loopback host.
fn is_safe(url: &str) -> bool {
    let url = url.trim();
    let Some(rest) = strip_scheme(url, "http://") else {
        return true;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    let host = host.to_ascii_lowercase();
    host == "localhost"
        || host.ends_with(".localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn strip_scheme<'a>(url: &'a str, scheme: &str) -> Option<&'a str> {
    url.get(..scheme.len())
        .filter(|s| s.eq_ignore_ascii_case(scheme))
        .map(|_| &url[scheme.len()..])
}

#[cfg(test)]
mod tests {
    use super::is_safe;

    #[test]
    fn plain_http_only_on_loopback() {
        for ok in [
            "https://codeartifact.us-east-1.amazonaws.com",
            "http://127.0.0.1:4566",
            "http://127.1.2.3",
            "HTTP://localhost:4566/",
            "http://[::1]:4566",
            "http://user@localhost:1",
        ] {
            assert!(is_safe(ok), "{ok}");
        }
        for bad in [
            "http://192.0.2.2:18080",
            "http://example.com",
            "http://localhost.example.com",
            "http://[2001:db8::1]:80",
            "http://127.0.0.1@192.0.2.2",
        ] {
            assert!(!is_safe(bad), "{bad}");
        }
    }
}
