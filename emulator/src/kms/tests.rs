//! Unit tests of the KMS handlers, driven with hand-built calls (no HTTP).

use super::*;
use crate::config::Config;
use crate::operation::Kind;
use crate::state::Store;
use hyper::http::{HeaderMap, HeaderValue, Method};

const A: &str = "111122223333";
const B: &str = "444455556666";

fn ctx() -> Ctx {
    Ctx::new(Config::default(), Store::in_memory(), 7)
}

fn run(ctx: &Ctx, account: &str, region: &str, op: &str, body: Value) -> Result<Value, ApiError> {
    let mut headers = HeaderMap::new();
    let target = HeaderValue::from_str(&format!("TrentService.{op}")).unwrap();
    headers.insert("x-amz-target", target);
    let body = body.to_string().into_bytes();
    let method = Method::POST;
    let call = Call {
        account: account.into(),
        caller_arn: format!("arn:aws:iam::{account}:root"),
        caller_user_id: account.into(),
        region: region.into(),
        method: &method,
        path: "/".into(),
        query: Vec::new(),
        headers: &headers,
        body: &body,
        request_id: "rid",
        now: 1_700_000_000.5,
    };
    let operation = operation(&headers)?;
    let reply = handle(ctx, &call, operation)?;
    assert_eq!(reply.content_type, "application/x-amz-json-1.1");
    Ok(serde_json::from_slice(&reply.body).unwrap())
}

fn create_key(ctx: &Ctx, account: &str, region: &str) -> Value {
    run(ctx, account, region, "CreateKey", json!({}))
        .unwrap()
        .get("KeyMetadata")
        .cloned()
        .unwrap()
}

fn code(r: Result<Value, ApiError>) -> &'static str {
    r.unwrap_err().code
}

#[test]
fn unknown_operations() {
    let mut headers = HeaderMap::new();
    assert_eq!(
        operation(&headers).unwrap_err().code,
        "UnknownOperationException"
    );
    headers.insert(
        "x-amz-target",
        HeaderValue::from_static("TrentService.Encrypt"),
    );
    assert_eq!(
        operation(&headers).unwrap_err().code,
        "UnknownOperationException"
    );
    headers.insert(
        "x-amz-target",
        HeaderValue::from_static("TrentService.DescribeKey"),
    );
    assert_eq!(operation(&headers).unwrap().kind(), Kind::Read);
}

#[test]
fn create_key_defaults() {
    let ctx = ctx();
    let m = create_key(&ctx, A, "us-east-1");
    let id = m["KeyId"].as_str().unwrap();
    assert_eq!(
        m["Arn"],
        json!(format!("arn:aws:kms:us-east-1:{A}:key/{id}"))
    );
    assert_eq!(m["AWSAccountId"], json!(A));
    assert_eq!(m["KeySpec"], json!("SYMMETRIC_DEFAULT"));
    assert_eq!(m["CustomerMasterKeySpec"], json!("SYMMETRIC_DEFAULT"));
    assert_eq!(m["KeyUsage"], json!("ENCRYPT_DECRYPT"));
    assert_eq!(m["KeyManager"], json!("CUSTOMER"));
    assert_eq!(m["KeyState"], json!("Enabled"));
    assert_eq!(m["Enabled"], json!(true));
    assert_eq!(m["MultiRegion"], json!(false));
    assert_eq!(m["EncryptionAlgorithms"], json!(["SYMMETRIC_DEFAULT"]));
    assert_eq!(m["CreationDate"], json!(1_700_000_000.5));
}

#[test]
fn create_key_specs_and_usages() {
    let ctx = ctx();
    let ok = |body: Value| run(&ctx, A, "us-east-1", "CreateKey", body);
    let m = ok(json!({"KeySpec": "RSA_2048", "Description": "d"})).unwrap();
    assert_eq!(
        m["KeyMetadata"]["EncryptionAlgorithms"],
        json!(["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"])
    );
    assert_eq!(m["KeyMetadata"]["Description"], json!("d"));
    let m =
        ok(json!({"CustomerMasterKeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY"})).unwrap();
    assert_eq!(
        m["KeyMetadata"]["SigningAlgorithms"],
        json!(["ECDSA_SHA_256"])
    );
    assert_eq!(m["KeyMetadata"]["KeySpec"], json!("ECC_NIST_P256"));
    let m = ok(json!({"KeySpec": "ML_DSA_65", "KeyUsage": "SIGN_VERIFY"})).unwrap();
    assert!(m["KeyMetadata"].get("CustomerMasterKeySpec").is_none());

    assert_eq!(
        code(ok(json!({"KeySpec": "AES_256"}))),
        "ValidationException"
    );
    assert_eq!(
        code(ok(json!({"CustomerMasterKeySpec": "ML_DSA_44"}))),
        "ValidationException"
    );
    assert_eq!(
        code(ok(
            json!({"KeySpec": "RSA_2048", "CustomerMasterKeySpec": "RSA_2048"})
        )),
        "ValidationException"
    );
    assert_eq!(
        code(ok(json!({"KeyUsage": "SIGN_VERIFY"}))),
        "ValidationException"
    );
    assert_eq!(
        code(ok(json!({"KeyUsage": "SIGNING"}))),
        "ValidationException"
    );
    assert_eq!(
        code(ok(json!({"KeySpec": "HMAC_256"}))),
        "ValidationException"
    );
    assert_eq!(code(ok(json!({"KeySpec": 5}))), "SerializationException");
    assert_eq!(
        code(ok(json!({"Policy": "not json"}))),
        "MalformedPolicyDocumentException"
    );
    assert_eq!(
        code(ok(json!({"Origin": "EXTERNAL"}))),
        "UnsupportedOperationException"
    );
    assert_eq!(
        code(ok(json!({"MultiRegion": true}))),
        "UnsupportedOperationException"
    );
    ok(json!({"Policy": "{\"Version\":\"2012-10-17\"}", "Tags": [], "MultiRegion": false}))
        .unwrap();
}

#[test]
fn bad_json_is_a_serialization_error() {
    let ctx = ctx();
    for body in ["{", "[1]", "\"x\""] {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-amz-target",
            HeaderValue::from_static("TrentService.CreateKey"),
        );
        let method = Method::POST;
        let call = Call {
            account: A.into(),
            caller_arn: String::new(),
            caller_user_id: String::new(),
            region: "us-east-1".into(),
            method: &method,
            path: "/".into(),
            query: Vec::new(),
            headers: &headers,
            body: body.as_bytes(),
            request_id: "rid",
            now: 0.0,
        };
        let op = operation(&headers).unwrap();
        let err = handle(&ctx, &call, op).unwrap_err();
        assert_eq!(
            (err.status, err.code),
            (400, "SerializationException"),
            "{body}"
        );
    }
}

#[test]
fn aliases_and_describe() {
    let ctx = ctx();
    let m = create_key(&ctx, A, "us-east-1");
    let (id, arn) = (m["KeyId"].as_str().unwrap(), m["Arn"].as_str().unwrap());
    run(
        &ctx,
        A,
        "us-east-1",
        "CreateAlias",
        json!({"AliasName": "alias/app", "TargetKeyId": id}),
    )
    .unwrap();
    run(
        &ctx,
        A,
        "us-east-1",
        "CreateAlias",
        json!({"AliasName": "alias/by-arn", "TargetKeyId": arn}),
    )
    .unwrap();
    let alias_arn = format!("arn:aws:kms:us-east-1:{A}:alias/app");
    for key_ref in [id, arn, "alias/app", alias_arn.as_str(), "alias/by-arn"] {
        let d = run(
            &ctx,
            A,
            "us-east-1",
            "DescribeKey",
            json!({ "KeyId": key_ref }),
        )
        .unwrap();
        assert_eq!(d["KeyMetadata"]["KeyId"], json!(id), "{key_ref}");
        let state_key = ctx.store.read(|s| resolve_key(s, A, "us-east-1", key_ref));
        assert_eq!(state_key.map(|k| k.id), Some(id.to_string()), "{key_ref}");
    }
    // Cross-account ARNs resolve in their own account; bare ids and names do not.
    let d = run(&ctx, B, "eu-west-1", "DescribeKey", json!({ "KeyId": arn })).unwrap();
    assert_eq!(d["KeyMetadata"]["AWSAccountId"], json!(A));
    run(
        &ctx,
        B,
        "eu-west-1",
        "DescribeKey",
        json!({ "KeyId": alias_arn }),
    )
    .unwrap();
    for (account, region) in [(B, "us-east-1"), (A, "us-west-2")] {
        let err = run(&ctx, account, region, "DescribeKey", json!({ "KeyId": id })).unwrap_err();
        assert_eq!(err.code, "NotFoundException");
        assert_eq!(
            err.message,
            format!("Key 'arn:aws:kms:{region}:{account}:key/{id}' does not exist")
        );
        let err = run(
            &ctx,
            account,
            region,
            "DescribeKey",
            json!({ "KeyId": "alias/app" }),
        )
        .unwrap_err();
        assert_eq!(
            err.message,
            format!("Alias arn:aws:kms:{region}:{account}:alias/app is not found.")
        );
    }
    let describe = |key_ref: &str| {
        run(
            &ctx,
            A,
            "us-east-1",
            "DescribeKey",
            json!({ "KeyId": key_ref }),
        )
    };
    // A predefined AWS alias is created by describing it, as real KMS does for services.
    let managed = describe("alias/aws/codeartifact").unwrap();
    assert_eq!(managed["KeyMetadata"]["KeyManager"], json!("AWS"));
    assert_eq!(
        describe("alias/aws/codeartifact").unwrap()["KeyMetadata"]["KeyId"],
        managed["KeyMetadata"]["KeyId"],
        "created once"
    );
    assert_eq!(
        code(describe("arn:aws:s3:::bucket/key")),
        "InvalidArnException"
    );
    assert_eq!(
        code(describe("arn:aws:kms:us-east-1:111122223333:thing/x")),
        "InvalidArnException"
    );
    assert_eq!(code(describe("")), "ValidationException");
    assert_eq!(
        code(run(&ctx, A, "us-east-1", "DescribeKey", json!({}))),
        "ValidationException"
    );

    let create = |name: &str, target: &str| {
        run(
            &ctx,
            A,
            "us-east-1",
            "CreateAlias",
            json!({"AliasName": name, "TargetKeyId": target}),
        )
    };
    assert_eq!(code(create("alias/app", id)), "AlreadyExistsException");
    assert_eq!(
        code(create("alias/new", "no-such-key")),
        "NotFoundException"
    );
    assert_eq!(
        code(create("alias/new", "alias/app")),
        "ValidationException"
    );
    assert_eq!(code(create("app2", id)), "ValidationException");
    assert_eq!(code(create("alias/has space", id)), "ValidationException");
    assert_eq!(
        code(create("alias/aws/mine", id)),
        "InvalidAliasNameException"
    );
    assert_eq!(code(create("alias/", id)), "InvalidAliasNameException");
    assert_eq!(
        code(create(&format!("alias/{}", "x".repeat(251)), id)),
        "ValidationException"
    );
    // A key of another account or Region cannot be an alias target.
    let other = create_key(&ctx, B, "us-east-1");
    assert_eq!(
        code(create("alias/new", other["Arn"].as_str().unwrap())),
        "NotFoundException"
    );
}

#[test]
fn list_aliases_pages() {
    let ctx = ctx();
    let m = create_key(&ctx, A, "us-east-1");
    let id = m["KeyId"].as_str().unwrap();
    let other = create_key(&ctx, A, "us-east-1");
    let other_id = other["KeyId"].as_str().unwrap();
    for i in 0..5 {
        let target = if i == 4 { other_id } else { id };
        run(
            &ctx,
            A,
            "us-east-1",
            "CreateAlias",
            json!({"AliasName": format!("alias/a{i}"), "TargetKeyId": target}),
        )
        .unwrap();
    }
    let mut names = Vec::new();
    let mut marker: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut body = json!({"Limit": 2});
        if let Some(m) = &marker {
            body["Marker"] = json!(m);
        }
        let page = run(&ctx, A, "us-east-1", "ListAliases", body).unwrap();
        pages += 1;
        for a in page["Aliases"].as_array().unwrap() {
            names.push(a["AliasName"].as_str().unwrap().to_string());
            assert_eq!(
                a["AliasArn"],
                json!(format!(
                    "arn:aws:kms:us-east-1:{A}:{}",
                    a["AliasName"].as_str().unwrap()
                ))
            );
        }
        if page["Truncated"] == json!(true) {
            marker = Some(page["NextMarker"].as_str().unwrap().to_string());
        } else {
            assert!(page.get("NextMarker").is_none());
            break;
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(
        names,
        ["alias/a0", "alias/a1", "alias/a2", "alias/a3", "alias/a4"]
    );

    let list = |body: Value| run(&ctx, A, "us-east-1", "ListAliases", body);
    let filtered = list(json!({"KeyId": other["Arn"]})).unwrap();
    assert_eq!(filtered["Aliases"].as_array().unwrap().len(), 1);
    assert_eq!(filtered["Aliases"][0]["TargetKeyId"], json!(other_id));
    assert_eq!(
        list(json!({})).unwrap()["Aliases"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
    assert_eq!(code(list(json!({"Limit": 0}))), "ValidationException");
    assert_eq!(code(list(json!({"Limit": 1001}))), "ValidationException");
    assert_eq!(code(list(json!({"Limit": "2"}))), "SerializationException");
    assert_eq!(
        code(list(json!({"Marker": "garbage"}))),
        "InvalidMarkerException"
    );
    assert_eq!(code(list(json!({"KeyId": "missing"}))), "NotFoundException");
    // Another Region has its own (empty) set.
    let empty = run(&ctx, A, "us-west-2", "ListAliases", json!({})).unwrap();
    assert_eq!(empty, json!({"Aliases": [], "Truncated": false}));
}

#[test]
fn managed_keys_are_created_once() {
    let ctx = ctx();
    let (key, records) = ctx
        .store
        .read(|s| managed_key(&ctx, s, A, "us-east-1", "codeartifact"));
    assert!(key.aws_managed);
    assert_eq!(records.len(), 2);
    ctx.store.write(|_| Ok(((), records))).unwrap();
    let (again, records) = ctx
        .store
        .read(|s| managed_key(&ctx, s, A, "us-east-1", "codeartifact"));
    assert_eq!((again.id.as_str(), records.len()), (key.id.as_str(), 0));
    let d = run(
        &ctx,
        A,
        "us-east-1",
        "DescribeKey",
        json!({"KeyId": "alias/aws/codeartifact"}),
    )
    .unwrap();
    assert_eq!(d["KeyMetadata"]["KeyManager"], json!("AWS"));
    assert_eq!(d["KeyMetadata"]["KeyId"], json!(key.id));
    // AWS-managed keys cannot take customer aliases.
    let err = run(
        &ctx,
        A,
        "us-east-1",
        "CreateAlias",
        json!({"AliasName": "alias/mine", "TargetKeyId": key.id}),
    );
    assert_eq!(code(err), "ValidationException");
    // Each account has its own.
    let (b_key, b_records) = ctx
        .store
        .read(|s| managed_key(&ctx, s, B, "us-east-1", "codeartifact"));
    assert_ne!(b_key.id, key.id);
    assert_eq!(b_records.len(), 2);
}

#[test]
fn create_key_keeps_description_and_tags_and_lists_them() {
    let ctx = ctx();
    let tags = json!([
        {"TagKey": "team", "TagValue": "platform"},
        {"TagKey": "env", "TagValue": ""},
        {"TagKey": "cost", "TagValue": "4711"},
    ]);
    let m = run(
        &ctx,
        A,
        "us-east-1",
        "CreateKey",
        json!({"Description": "domains", "KeySpec": "SYMMETRIC_DEFAULT",
               "KeyUsage": "ENCRYPT_DECRYPT", "Tags": tags}),
    )
    .unwrap()["KeyMetadata"]
        .clone();
    assert_eq!(m["Description"], json!("domains"));
    assert_eq!(m["KeySpec"], json!("SYMMETRIC_DEFAULT"));
    assert_eq!(m["KeyUsage"], json!("ENCRYPT_DECRYPT"));
    let arn = m["Arn"].as_str().unwrap();
    let all = run(
        &ctx,
        A,
        "us-east-1",
        "ListResourceTags",
        json!({"KeyId": arn}),
    )
    .unwrap();
    assert_eq!(all["Tags"], tags, "in the order given");
    assert_eq!(all["Truncated"], json!(false));
    // Pages of two, then the rest.
    let id = m["KeyId"].as_str().unwrap();
    let first = run(
        &ctx,
        A,
        "us-east-1",
        "ListResourceTags",
        json!({"KeyId": id, "Limit": 2}),
    )
    .unwrap();
    assert_eq!(first["Tags"].as_array().unwrap().len(), 2);
    assert_eq!(first["Truncated"], json!(true));
    let marker = first["NextMarker"].clone();
    let rest = run(
        &ctx,
        A,
        "us-east-1",
        "ListResourceTags",
        json!({"KeyId": id, "Marker": marker}),
    )
    .unwrap();
    assert_eq!(
        rest["Tags"],
        json!([{"TagKey": "cost", "TagValue": "4711"}])
    );
    // Aliases are refused here, missing keys are not found, bad tags are TagExceptions.
    run(
        &ctx,
        A,
        "us-east-1",
        "CreateAlias",
        json!({"AliasName": "alias/t", "TargetKeyId": id}),
    )
    .unwrap();
    assert_eq!(
        code(run(
            &ctx,
            A,
            "us-east-1",
            "ListResourceTags",
            json!({"KeyId": "alias/t"})
        )),
        "InvalidArnException"
    );
    assert_eq!(
        code(run(
            &ctx,
            B,
            "us-east-1",
            "ListResourceTags",
            json!({"KeyId": id})
        )),
        "NotFoundException"
    );
    for bad in [
        json!([{"TagKey": "aws:x", "TagValue": "v"}]),
        json!([{"TagKey": "a", "TagValue": "1"}, {"TagKey": "a", "TagValue": "2"}]),
    ] {
        assert_eq!(
            code(run(
                &ctx,
                A,
                "us-east-1",
                "CreateKey",
                json!({ "Tags": bad })
            )),
            "TagException"
        );
    }
    assert_eq!(
        code(run(
            &ctx,
            A,
            "us-east-1",
            "CreateKey",
            json!({"Tags": [{"TagKey": "", "TagValue": "v"}]})
        )),
        "ValidationException"
    );
}

#[test]
fn list_resource_tags_limit_and_place_follow_the_model() {
    let ctx = ctx();
    let tags = json!([
        {"TagKey": "a", "TagValue": "1"},
        {"TagKey": "b", "TagValue": "2"},
        {"TagKey": "c", "TagValue": "3"},
    ]);
    let m = run(&ctx, A, "us-east-1", "CreateKey", json!({ "Tags": tags })).unwrap()["KeyMetadata"]
        .clone();
    let (id, arn) = (m["KeyId"].as_str().unwrap(), m["Arn"].as_str().unwrap());
    let list = |account: &str, region: &str, body: Value| {
        run(&ctx, account, region, "ListResourceTags", body)
    };
    // LimitType is 1–1000 in the model; KMS documents 1–50 and returns at most 50.
    for limit in [50, 51, 1000] {
        let all = list(A, "us-east-1", json!({"KeyId": id, "Limit": limit})).unwrap();
        assert_eq!(all["Tags"], tags, "Limit {limit}");
        assert_eq!(all["Truncated"], json!(false));
        assert!(all.get("NextMarker").is_none());
    }
    for limit in [0, 1001] {
        let err = list(A, "us-east-1", json!({"KeyId": id, "Limit": limit})).unwrap_err();
        assert_eq!(err.code, "ValidationException", "Limit {limit}");
    }
    // Pages of one: markers follow on from the page actually returned.
    let mut seen = Vec::new();
    let mut marker = None;
    loop {
        let mut body = json!({"KeyId": id, "Limit": 1});
        if let Some(m) = marker.take() {
            body["Marker"] = m;
        }
        let page = list(A, "us-east-1", body).unwrap();
        seen.extend(page["Tags"].as_array().unwrap().iter().cloned());
        if page["Truncated"] == json!(false) {
            break;
        }
        marker = Some(page["NextMarker"].clone());
    }
    assert_eq!(Value::Array(seen), tags);
    assert_eq!(
        code(list(A, "us-east-1", json!({"KeyId": id, "Marker": "nope"}))),
        "InvalidMarkerException"
    );
    // "Cross-account use: No": the key's ARN is not found from another account or Region.
    assert_eq!(
        code(list(B, "us-east-1", json!({ "KeyId": arn }))),
        "NotFoundException"
    );
    assert_eq!(
        code(list(A, "eu-west-1", json!({ "KeyId": arn }))),
        "NotFoundException"
    );
    assert_eq!(
        list(A, "us-east-1", json!({ "KeyId": arn })).unwrap()["Tags"],
        tags
    );
}

#[test]
fn a_second_alias_of_the_same_name_already_exists() {
    let ctx = ctx();
    let one = create_key(&ctx, A, "us-east-1");
    let two = create_key(&ctx, A, "us-east-1");
    let alias = |k: &Value| {
        run(
            &ctx,
            A,
            "us-east-1",
            "CreateAlias",
            json!({"AliasName": "alias/codeartifact", "TargetKeyId": k["KeyId"]}),
        )
    };
    alias(&one).unwrap();
    assert_eq!(code(alias(&two)), "AlreadyExistsException");
    let d = run(
        &ctx,
        A,
        "us-east-1",
        "DescribeKey",
        json!({"KeyId": "alias/codeartifact"}),
    )
    .unwrap();
    assert_eq!(
        d["KeyMetadata"]["KeyId"], one["KeyId"],
        "the first alias stays"
    );
}
