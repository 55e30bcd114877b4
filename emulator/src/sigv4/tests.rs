//! The verifier against the AWS SigV4 test suite and the AWS Rust SDK's own signer, plus hostile input.

use super::canonical::{UNSIGNED_PAYLOAD, X_AMZ_CONTENT_SHA256, trim_all};
use super::claim::X_AMZ_DATE;
use super::path::{canonical_uri, normalize_path_botocore, normalize_path_sdk};
use super::query::canonical_query;
use super::*;
use aws_credential_types::Credentials;
use aws_sigv4::http_request::{
    SignableBody, SignableRequest, SignatureLocation, SigningSettings, sign,
};
use aws_sigv4::sign::v4;
use hyper::http::header::{AUTHORIZATION, HeaderName};
use hyper::http::{HeaderValue, Request};
use sha2::{Digest, Sha256};
use std::time::{Duration, UNIX_EPOCH};

const AKID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
/// 2026-11-29T01:41:33Z
const NOW: i64 = 1_795_916_493;

/// A request as it arrives at the server.
struct Received {
    method: String,
    path: String,
    query: Option<String>,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Received {
    fn parts(&self) -> RequestParts<'_> {
        RequestParts {
            method: &self.method,
            raw_path: &self.path,
            raw_query: self.query.as_deref(),
            headers: &self.headers,
            body: &self.body,
        }
    }

    fn check(&self, secret: &str, now: i64) -> Result<Claim, AuthError> {
        let claim = parse_claim(&self.parts())?;
        verify(&self.parts(), &claim, secret, now, &SigningKeys::default())?;
        Ok(claim)
    }
}

struct Signing<'a> {
    method: &'a str,
    url: &'a str,
    headers: &'a [(&'a str, &'a str)],
    body: SignableBody<'a>,
    service: &'a str,
    token: Option<&'a str>,
    time: i64,
    presign: bool,
}

impl Default for Signing<'_> {
    fn default() -> Self {
        Signing {
            method: "GET",
            url: "http://localhost:4566/",
            headers: &[],
            body: SignableBody::Bytes(b""),
            service: "codeartifact",
            token: None,
            time: NOW,
            presign: false,
        }
    }
}

/// Signs with the `aws-sigv4` crate the way the AWS Rust SDK does, then returns what the
/// server would receive (the SDK's HTTP client adds `host` from the URL).
fn sdk_sign(s: Signing) -> Received {
    let body_bytes = match &s.body {
        SignableBody::Bytes(b) => b.to_vec(),
        _ => b"streamed body".to_vec(),
    };
    let identity = Credentials::new(AKID, SECRET, s.token.map(str::to_owned), None, "test").into();
    let mut settings = SigningSettings::default();
    if s.presign {
        settings.signature_location = SignatureLocation::QueryParams;
        settings.expires_in = Some(Duration::from_secs(900));
    }
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-west-2")
        .name(s.service)
        .time(UNIX_EPOCH + Duration::from_secs(s.time as u64))
        .settings(settings)
        .build()
        .unwrap()
        .into();
    let signable =
        SignableRequest::new(s.method, s.url, s.headers.iter().copied(), s.body).unwrap();
    let (instructions, _) = sign(signable, &params).unwrap().into_parts();
    let mut request = Request::builder().method(s.method).uri(s.url);
    for (k, v) in s.headers {
        request = request.header(*k, *v);
    }
    let mut request = request.body(()).unwrap();
    instructions.apply_to_request_http1x(&mut request);
    let authority = request.uri().authority().unwrap().to_string();
    let mut headers = request.headers().clone();
    headers.insert("host", HeaderValue::from_str(&authority).unwrap());
    Received {
        method: s.method.to_owned(),
        path: request.uri().path().to_owned(),
        query: request.uri().query().map(str::to_owned),
        headers,
        body: body_bytes,
    }
}

fn mismatch(r: Result<Claim, AuthError>) -> bool {
    matches!(r, Err(AuthError::Mismatch { .. }))
}

#[test]
fn amz_date_round_trips() {
    assert_eq!(amz_date_to_unix("20150830T123600Z"), Some(1_440_938_160));
    assert_eq!(amz_date_to_unix("20261129T014133Z"), Some(NOW));
    assert_eq!(unix_to_amz_date(NOW), "20261129T014133Z");
    assert_eq!(unix_to_amz_date(0), "19700101T000000Z");
    assert_eq!(amz_date_to_unix("20240229T000000Z"), Some(1_709_164_800));
    for t in [
        0,
        951_782_400,
        1_709_164_800,
        NOW,
        4_102_444_799,
        253_402_300_799,
    ] {
        assert_eq!(amz_date_to_unix(&unix_to_amz_date(t)), Some(t));
    }
    for bad in [
        "",
        "20150830",
        "20150830T123600",
        "20150230T000000Z",
        "20230229T000000Z",
        "20151330T000000Z",
        "20150830T246000Z",
        "2015083OT123600Z",
        "+0150830T123600Z",
        "20150830t123600z",
        "２015083T123600Z",
    ] {
        assert_eq!(amz_date_to_unix(bad), None, "{bad}");
    }
    // Extreme clocks must not panic.
    let _ = unix_to_amz_date(i64::MAX);
    let _ = unix_to_amz_date(i64::MIN);
}

/// Requests from the AWS SigV4 test suite (`aws-signing-test-suite/v4/*/header-signed-request.txt`
/// and `query-signed-request.txt`), signed at 20150830T123600Z for region us-east-1, service
/// `service`.
const SUITE: &[(&str, &str)] = &[
    (
        "get-vanilla",
        "GET / HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z\nAuthorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31\n\n",
    ),
    (
        "get-vanilla-query-order-key-case",
        "GET /?Param2=value2&Param1=value1 HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z\nAuthorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500\n\n",
    ),
    (
        "get-vanilla-query-unreserved",
        "GET /?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z\nAuthorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197\n\n",
    ),
    (
        "get-utf8",
        "GET /ሴ HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z\nAuthorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85\n\n",
    ),
    (
        "get-vanilla-utf8-query",
        "GET /?ሴ=bar HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z\nAuthorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04\n\n",
    ),
    (
        "get-space-normalized",
        "GET /example space/ HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z\nAuthorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741\n\n",
    ),
    (
        "get-slashes-normalized",
        "GET //example// HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z\nAuthorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84\n\n",
    ),
    (
        "get-slash-dot-slash-normalized",
        "GET /./ HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z\nAuthorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31\n\n",
    ),
    (
        "get-header-value-trim",
        "GET / HTTP/1.1\nHost:example.amazonaws.com\nMy-Header1: value1\nMy-Header2: \"a   b   c\"\nX-Amz-Date:20150830T123600Z\nAuthorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;my-header1;my-header2;x-amz-date, Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736\n\n",
    ),
    (
        "get-header-key-duplicate",
        "GET / HTTP/1.1\nHost:example.amazonaws.com\nMy-Header1:value2\nMy-Header1:value2\nMy-Header1:value1\nX-Amz-Date:20150830T123600Z\nAuthorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;my-header1;x-amz-date, Signature=c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea\n\n",
    ),
    (
        "get-vanilla-with-session-token",
        "GET / HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Security-Token:6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267\nX-Amz-Date:20150830T123600Z\nAuthorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8\n\n",
    ),
    (
        "post-header-key-case",
        "POST / HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z\nAuthorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b\n\n",
    ),
    (
        "post-x-www-form-urlencoded-parameters",
        "POST / HTTP/1.1\nContent-Type:application/x-www-form-urlencoded; charset=utf-8\nHost:example.amazonaws.com\nContent-Length:13\nX-Amz-Date:20150830T123600Z\nx-amz-content-sha256:9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e\nAuthorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date, Signature=328d1b9eaadca9f5818ef05e8392801e091653bafec24fcab71e7344e7f51422\n\nParam1=value1",
    ),
    (
        "get-vanilla (presigned)",
        "GET /?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Expires=3600&X-Amz-Signature=e93c787ed7f371d5c6b165c1b38ede9550f4dce4144713e844b25b7192d3865d HTTP/1.1\nHost:example.amazonaws.com\n\n",
    ),
    (
        "post-sts-header-before (presigned)",
        "POST /?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Expires=3600&X-Amz-Security-Token=AQoDYXdzEPT%2F%2F%2F%2F%2F%2F%2F%2F%2F%2FwEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI%2FqkPpKPi%2FkMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d%2Bxo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz%2BscqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR%2FoLxBA%3D%3D&X-Amz-Signature=46c2e3c63c1dbe7d39f8ada16fe7f001c1f56c5791441565323677f96308871c HTTP/1.1\nHost:example.amazonaws.com\n\n",
    ),
];

/// Parses a test-suite request: request line, `Name:value` headers, blank line, body.
fn parse_suite(text: &str) -> Received {
    let (head, body) = text.split_once("\n\n").unwrap();
    let mut lines = head.lines();
    let request_line = lines.next().unwrap();
    let (method, rest) = request_line.split_once(' ').unwrap();
    let (target, _version) = rest.rsplit_once(' ').unwrap();
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p, Some(q.to_owned())),
        None => (target, None),
    };
    let mut headers = HeaderMap::new();
    for line in lines {
        let (name, value) = line.split_once(':').unwrap();
        headers.append(
            HeaderName::from_bytes(name.as_bytes()).unwrap(),
            HeaderValue::from_str(value).unwrap(),
        );
    }
    Received {
        method: method.to_owned(),
        path: path.to_owned(),
        query,
        headers,
        body: body.as_bytes().to_vec(),
    }
}

#[test]
fn aws_test_suite_vectors_verify() {
    let now = amz_date_to_unix("20150830T123600Z").unwrap();
    for (name, text) in SUITE {
        let request = parse_suite(text);
        let claim = request
            .check(SECRET, now)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(claim.access_key_id, AKID, "{name}");
        assert_eq!(claim.date, "20150830", "{name}");
        assert_eq!(claim.region, "us-east-1", "{name}");
        assert_eq!(claim.service, "service", "{name}");
        assert!(
            mismatch(request.check("wrong-secret", now)),
            "{name} accepted a wrong secret"
        );
    }
}

#[test]
fn get_vanilla_claim_is_parsed() {
    let request = parse_suite(SUITE[0].1);
    let claim = parse_claim(&request.parts()).unwrap();
    assert_eq!(
        claim,
        Claim {
            access_key_id: AKID.into(),
            date: "20150830".into(),
            region: "us-east-1".into(),
            service: "service".into(),
            signed_headers: vec!["host".into(), "x-amz-date".into()],
            signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31".into(),
            amz_date: "20150830T123600Z".into(),
            session_token: None,
        }
    );
}

#[test]
fn sdk_signed_requests_verify() {
    let json = br#"{"description":"d","encryptionKey":"arn:aws:kms:us-west-2:111122223333:key/x"}"#;
    let cases = [
        Signing {
            url: "http://localhost:4566/v1/domain?domain=my-domain&domain-owner=111122223333",
            ..Default::default()
        },
        Signing {
            method: "POST",
            url: "http://127.0.0.1:4566/v1/domain?domain=my-domain",
            headers: &[("content-type", "application/json")],
            body: SignableBody::Bytes(json),
            ..Default::default()
        },
        Signing {
            method: "DELETE",
            url: "http://localhost:4566/v1/domain?domain=a%3Ab%2Fc%20d&x=%E2%9C%93%20%C3%A9&empty=&flag",
            token: Some("FwoGZXIvYXdzEJr//////////wEaDH+token/with=odd+chars"),
            ..Default::default()
        },
        Signing {
            method: "PUT",
            url: "http://localhost:4566/v1/package/versions/asset%20name/%E2%9C%93/a%2Fb?asset=x%2By&z=1&a=2&a=1",
            headers: &[
                ("x-custom", "  several    spaces   here  "),
                ("content-type", "application/octet-stream"),
            ],
            body: SignableBody::Bytes(b"\x00\x01binary\xff"),
            ..Default::default()
        },
        Signing {
            method: "POST",
            url: "http://localhost:4566/a//b/./c/../d/",
            ..Default::default()
        },
        Signing {
            method: "POST",
            url: "http://localhost:4566/",
            headers: &[("content-type", "application/x-www-form-urlencoded")],
            body: SignableBody::Bytes(b"Action=GetCallerIdentity&Version=2011-06-15"),
            service: "sts",
            ..Default::default()
        },
        Signing {
            method: "POST",
            url: "http://localhost:4566/",
            headers: &[
                ("content-type", "application/x-amz-json-1.1"),
                ("x-amz-target", "TrentService.CreateKey"),
            ],
            body: SignableBody::Bytes(b"{}"),
            service: "kms",
            token: Some("session"),
            ..Default::default()
        },
        // Streaming bodies: the SDK signs UNSIGNED-PAYLOAD without sending a header.
        Signing {
            method: "POST",
            url: "http://localhost:4566/v1/package/version/publish?asset=a.tgz",
            body: SignableBody::UnsignedPayload,
            ..Default::default()
        },
        // A precomputed hash is sent as x-amz-content-sha256 by callers that set it.
        Signing {
            method: "GET",
            url: "http://localhost:4566/v1/domains",
            headers: &[("x-amz-content-sha256", UNSIGNED_PAYLOAD)],
            body: SignableBody::UnsignedPayload,
            ..Default::default()
        },
        Signing {
            url: "http://localhost:4566/?Action=GetCallerIdentity&Version=2011-06-15",
            service: "sts",
            token: Some("tok+en/=="),
            presign: true,
            ..Default::default()
        },
    ];
    for (i, case) in cases.into_iter().enumerate() {
        let service = case.service;
        let token = case.token.map(str::to_owned);
        let request = sdk_sign(case);
        let claim = request
            .check(SECRET, NOW)
            .unwrap_or_else(|e| panic!("case {i}: {e}"));
        assert_eq!(claim.service, service, "case {i}");
        assert_eq!(claim.region, "us-west-2", "case {i}");
        assert_eq!(claim.access_key_id, AKID, "case {i}");
        assert_eq!(claim.session_token, token, "case {i}");
        assert_eq!(claim.amz_date, "20261129T014133Z", "case {i}");
        // Clock skew inside the window is fine in both directions.
        request.check(SECRET, NOW + 14 * 60).unwrap();
        request.check(SECRET, NOW - 14 * 60).unwrap();
        assert!(mismatch(request.check("wrong", NOW)), "case {i}");
    }
}

fn post_json() -> Received {
    sdk_sign(Signing {
        method: "POST",
        url: "http://localhost:4566/v1/repository?domain=d&repository=r",
        headers: &[("content-type", "application/json"), ("x-extra", "a  b")],
        body: SignableBody::Bytes(br#"{"description":"x"}"#),
        token: Some("token"),
        ..Default::default()
    })
}

#[test]
fn tampering_is_rejected() {
    let mut r = post_json();
    r.body = br#"{"description":"y"}"#.to_vec();
    assert!(mismatch(r.check(SECRET, NOW)), "body");

    let mut r = post_json();
    r.query = Some("domain=d&repository=other".into());
    assert!(mismatch(r.check(SECRET, NOW)), "query");

    let mut r = post_json();
    r.query = Some("domain=d".into());
    assert!(mismatch(r.check(SECRET, NOW)), "dropped query parameter");

    let mut r = post_json();
    r.path = "/v1/repository/x".into();
    assert!(mismatch(r.check(SECRET, NOW)), "path");

    let mut r = post_json();
    r.method = "PUT".into();
    assert!(mismatch(r.check(SECRET, NOW)), "method");

    let mut r = post_json();
    r.headers
        .insert("content-type", HeaderValue::from_static("text/plain"));
    assert!(mismatch(r.check(SECRET, NOW)), "signed header");

    let mut r = post_json();
    r.headers
        .insert("x-amz-security-token", HeaderValue::from_static("other"));
    assert!(mismatch(r.check(SECRET, NOW)), "session token");

    // Declaring the original body's hash does not make a different body acceptable.
    let mut r = post_json();
    let declared = hex::encode(Sha256::digest(&r.body));
    r.headers.insert(
        X_AMZ_CONTENT_SHA256,
        HeaderValue::from_str(&declared).unwrap(),
    );
    r.body = b"{}".to_vec();
    assert!(mismatch(r.check(SECRET, NOW)), "declared hash");

    // An unsigned header may change freely.
    let mut r = post_json();
    r.headers
        .insert("user-agent", HeaderValue::from_static("someone else"));
    r.check(SECRET, NOW).unwrap();

    let r = post_json();
    match r.check("wrong secret", NOW) {
        Err(AuthError::Mismatch {
            canonical_request,
            string_to_sign,
        }) => {
            assert!(canonical_request.starts_with("POST\n/v1/repository\ndomain=d&repository=r\n"));
            assert!(string_to_sign.starts_with(
                "AWS4-HMAC-SHA256\n20261129T014133Z\n20261129/us-west-2/codeartifact/aws4_request\n"
            ));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn clock_skew_and_scope_are_checked() {
    let r = post_json();
    match r.check(SECRET, NOW + 16 * 60) {
        Err(AuthError::Expired {
            request_time,
            server_time,
        }) => {
            assert_eq!(request_time, "20261129T014133Z");
            assert_eq!(server_time, "20261129T015733Z");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        r.check(SECRET, NOW - 16 * 60),
        Err(AuthError::Expired { .. })
    ));

    // A scope date other than the x-amz-date day.
    let mut r = post_json();
    let auth = r.headers[AUTHORIZATION]
        .to_str()
        .unwrap()
        .replace("/20261129/", "/20261128/");
    r.headers
        .insert(AUTHORIZATION, HeaderValue::from_str(&auth).unwrap());
    assert!(matches!(
        r.check(SECRET, NOW),
        Err(AuthError::ScopeMismatch(_))
    ));

    // A wrong terminator.
    let mut r = post_json();
    let auth = r.headers[AUTHORIZATION]
        .to_str()
        .unwrap()
        .replace("aws4_request", "aws5_request");
    r.headers
        .insert(AUTHORIZATION, HeaderValue::from_str(&auth).unwrap());
    assert!(matches!(
        parse_claim(&r.parts()),
        Err(AuthError::ScopeMismatch(_))
    ));

    // Presigned URLs are good until they expire (900 s here), not just for 15 minutes.
    let r = sdk_sign(Signing {
        url: "http://localhost:4566/?Action=GetCallerIdentity&Version=2011-06-15",
        service: "sts",
        presign: true,
        ..Default::default()
    });
    r.check(SECRET, NOW + 900).unwrap();
    assert!(matches!(
        r.check(SECRET, NOW + 901),
        Err(AuthError::Expired { .. })
    ));
    let mut tampered = sdk_sign(Signing {
        url: "http://localhost:4566/?Action=GetCallerIdentity&Version=2011-06-15",
        service: "sts",
        presign: true,
        ..Default::default()
    });
    tampered.query = tampered
        .query
        .map(|q| q.replace("X-Amz-Expires=900", "X-Amz-Expires=3600"));
    assert!(mismatch(tampered.check(SECRET, NOW)));
}

#[test]
fn missing_and_garbage_authorization_is_rejected() {
    let mut r = post_json();
    r.headers.remove(AUTHORIZATION);
    assert_eq!(parse_claim(&r.parts()), Err(AuthError::Missing));

    let mut r = post_json();
    r.headers.remove(X_AMZ_DATE);
    assert!(
        matches!(parse_claim(&r.parts()), Err(AuthError::Incomplete(m)) if m.contains("x-amz-date"))
    );

    let good = post_json().headers[AUTHORIZATION]
        .to_str()
        .unwrap()
        .to_owned();
    let sig = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
    let garbage = [
        String::new(),
        "   ".into(),
        "garbage".into(),
        "AWS4-HMAC-SHA256".into(),
        "AWS4-HMAC-SHA256 ".into(),
        "Bearer abc".into(),
        "AWS AKID:c2lnbmF0dXJl".into(),
        "AWS4-ECDSA-P256-SHA256 Credential=a/b/c/d/aws4_request, SignedHeaders=host, Signature=00".into(),
        "AWS4-HMAC-SHA256 Credential=AKID/20261129/us-west-2/codeartifact/aws4_request".into(),
        format!("AWS4-HMAC-SHA256 Credential=AKID/20261129/us-west-2/codeartifact/aws4_request, Signature={sig}"),
        format!("AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Signature={sig}"),
        format!("AWS4-HMAC-SHA256 Credential=AKID/20261129/us-west-2/aws4_request, SignedHeaders=host;x-amz-date, Signature={sig}"),
        format!("AWS4-HMAC-SHA256 Credential=/20261129/us-west-2/codeartifact/aws4_request, SignedHeaders=host;x-amz-date, Signature={sig}"),
        format!("AWS4-HMAC-SHA256 Credential=AKID/2026112/us-west-2/codeartifact/aws4_request, SignedHeaders=host;x-amz-date, Signature={sig}"),
        format!("AWS4-HMAC-SHA256 Credential=AKID/20261129/us-west-2/codeartifact/aws4_request, SignedHeaders=x-amz-date, Signature={sig}"),
        format!("AWS4-HMAC-SHA256 Credential=AKID/20261129/us-west-2/codeartifact/aws4_request, SignedHeaders=host;;x-amz-date, Signature={sig}"),
        "AWS4-HMAC-SHA256 Credential=AKID/20261129/us-west-2/codeartifact/aws4_request, SignedHeaders=host, Signature=zz".into(),
        format!("AWS4-HMAC-SHA256 Credential=AKID/20261129/us-west-2/codeartifact/aws4_request, SignedHeaders=host, Signature={sig}, Signature={sig}"),
        format!("AWS4-HMAC-SHA256 Credential=AKID/20261129/us-west-2/codeartifact/aws4_request, SignedHeaders=host, Signature={sig}, Extra=1"),
        format!("AWS4-HMAC-SHA256 Credential AKID, SignedHeaders=host, Signature={sig}"),
        format!("{good}, {}", "x".repeat(100_000)),
        "AWS4-HMAC-SHA256 Credential=ሴ".into(),
    ];
    for value in garbage {
        let mut r = post_json();
        match HeaderValue::from_str(&value) {
            Ok(v) => {
                r.headers.insert(AUTHORIZATION, v);
            }
            // Not representable as a header value: send the raw UTF-8 bytes.
            Err(_) => {
                r.headers.insert(
                    AUTHORIZATION,
                    HeaderValue::from_bytes(value.as_bytes()).unwrap(),
                );
            }
        }
        let result = parse_claim(&r.parts());
        assert!(
            matches!(result, Err(AuthError::Incomplete(_))),
            "{value:.80}: {result:?}"
        );
    }

    // Non-UTF-8 bytes in headers are errors, not panics.
    let mut r = post_json();
    r.headers.insert(
        AUTHORIZATION,
        HeaderValue::from_bytes(b"AWS4-HMAC-SHA256 Credential=\xff\xfe").unwrap(),
    );
    assert!(matches!(
        parse_claim(&r.parts()),
        Err(AuthError::Incomplete(_))
    ));
    let mut r = post_json();
    r.headers
        .insert("x-extra", HeaderValue::from_bytes(b"\xff\xfe").unwrap());
    assert!(mismatch(r.check(SECRET, NOW)));

    // Two Authorization headers, or a header plus a presigned query, are ambiguous.
    let mut r = post_json();
    r.headers
        .append(AUTHORIZATION, HeaderValue::from_str(&good).unwrap());
    assert!(matches!(
        parse_claim(&r.parts()),
        Err(AuthError::Incomplete(_))
    ));
    let mut r = post_json();
    r.query = Some("X-Amz-Signature=abc".into());
    assert!(matches!(
        parse_claim(&r.parts()),
        Err(AuthError::Incomplete(_))
    ));

    // Incomplete presigned URLs.
    for query in [
        "X-Amz-Signature=00",
        "X-Amz-Algorithm=HMAC&X-Amz-Signature=00",
        "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20261129%2Fus-west-2%2Fsts%2Faws4_request&X-Amz-Date=20261129T014133Z&X-Amz-SignedHeaders=host&X-Amz-Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
        "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20261129%2Fus-west-2%2Fsts%2Faws4_request&X-Amz-Date=20261129T014133Z&X-Amz-SignedHeaders=host&X-Amz-Expires=0&X-Amz-Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
        "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Algorithm=AWS4-HMAC-SHA256",
        "X-Amz-Algorithm=%FF",
    ] {
        let mut r = post_json();
        r.headers.remove(AUTHORIZATION);
        r.query = Some(query.into());
        assert!(
            matches!(parse_claim(&r.parts()), Err(AuthError::Incomplete(_))),
            "{query}"
        );
    }
}

/// Verifying a hand-made claim with a malformed date is an error, not a panic.
#[test]
fn malformed_claims_do_not_panic() {
    let r = post_json();
    let good = parse_claim(&r.parts()).unwrap();
    let keys = SigningKeys::default();
    let variants = [
        Claim {
            amz_date: "x".into(),
            ..good.clone()
        },
        Claim {
            amz_date: "ሴሴሴሴሴሴ".into(),
            ..good.clone()
        },
        Claim {
            signature: "ሴ".into(),
            ..good.clone()
        },
        Claim {
            signed_headers: vec![],
            ..good.clone()
        },
        Claim {
            signed_headers: vec!["host".into(), "bad header".into()],
            ..good.clone()
        },
        Claim {
            date: String::new(),
            ..good.clone()
        },
    ];
    for claim in variants {
        assert!(
            verify(&r.parts(), &claim, SECRET, NOW, &keys).is_err(),
            "{claim:?}"
        );
    }
    assert!(verify(&r.parts(), &good, SECRET, i64::MAX, &keys).is_err());
    assert!(verify(&r.parts(), &good, SECRET, i64::MIN, &keys).is_err());
    // Every prefix of a valid header parses or fails cleanly.
    let auth = r.headers[AUTHORIZATION].to_str().unwrap().to_owned();
    for end in 0..auth.len() {
        let mut r = post_json();
        r.headers
            .insert(AUTHORIZATION, HeaderValue::from_str(&auth[..end]).unwrap());
        assert!(r.check(SECRET, NOW).is_err());
    }
}

#[test]
fn canonical_pieces() {
    assert_eq!(canonical_uri(""), "/");
    assert_eq!(canonical_uri("/a%2Fb/c d"), "/a%252Fb/c%20d");
    assert_eq!(normalize_path_sdk("/a/./b/../c//d/."), "/a/c/d/");
    assert_eq!(normalize_path_botocore("/a/./b/../c//d/."), "/a/c/d");
    assert_eq!(
        canonical_query("b=2&a=%7e&a=1&c&d=x+y&e=%2B", true, false),
        "a=1&a=~&b=2&c=&d=x%20y&e=%2B"
    );
    assert_eq!(canonical_query("d=x+y", false, false), "d=x%2By");
    assert_eq!(
        canonical_query("X-Amz-Signature=1&X-Amz-Date=2", true, true),
        "X-Amz-Date=2"
    );
    assert_eq!(trim_all("  a   b  c "), "a b c");
}
