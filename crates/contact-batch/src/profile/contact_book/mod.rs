//! The contact-book profile: Upload Contacts to a contact book (seed 004),
//! `POST /api/v2/contact-books/{bookUid}/contacts/bulk`.
//!
//! Every row gets exactly one result: `CREATED`, `UPDATED` (phone already in
//! the store), `SKIPPED` with `DUPLICATE_IN_REQUEST`, or `INVALID` with one
//! reason. Invalid rows never fail the request; only problems with the
//! request itself do (400 `VALIDATION_FAILED`).
//!
//! Decisions where the API documents are silent are listed in the public
//! documentation module [`crate::decisions`].

mod columns;
pub(crate) mod options;

use std::borrow::Cow;

use serde::Serialize;

use super::api::{Api, ApiBatch, RowCheck};
use super::fields::Row;
use crate::columns::ImportColumns;
use crate::config::Config;
use crate::contact::{Contact, ContactPhone};
use crate::dedupe::FirstWins;
use crate::email::validate_email;
use crate::existing::{ContactBookInfo, Existing};
use crate::json::{self, Node};
use crate::object::Object;
use crate::keys::LookupKeys;
use crate::outcome::{Action, FieldError, Outcome, RowOutcome, RowStatus, Summary};
use crate::par::map_rows;
use crate::phone::{PhoneDefault, ValidPhone};
use crate::response::Response;
use crate::rules::Rules;
use crate::text;

/// Row reasons, in precedence order.
const PHONE_REQUIRED: &str = "PHONE_REQUIRED";
const INVALID_PHONE: &str = "INVALID_PHONE";
const INVALID_EMAIL: &str = "INVALID_EMAIL";
const INVALID_FIELD: &str = "INVALID_FIELD";

/// Longest key echoed in a message; longer keys are cut.
const MESSAGE_KEY_CHARS: usize = 64;

#[derive(Serialize)]
struct ErrorEnvelope<'a> {
    success: bool,
    error: ErrorBody<'a>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    code: &'static str,
    message: &'a str,
}

/// 400 `VALIDATION_FAILED`. The envelope has no per-field details, so the
/// message must say everything; `fields` is not rendered.
fn request_error(message: &str, _fields: &[(String, String)]) -> Response {
    Response::json(
        400,
        &ErrorEnvelope {
            success: false,
            error: ErrorBody {
                code: "VALIDATION_FAILED",
                message,
            },
        },
    )
}

/// The first problem, and how many more there are.
fn summary_message(problems: &[String]) -> String {
    match problems {
        [] => "The request is invalid.".to_owned(),
        [one] => one.clone(),
        [first, rest @ ..] => {
            let n = rest.len();
            let s = if n == 1 { "" } else { "s" };
            format!("{first} (and {n} more problem{s})")
        }
    }
}

/// A key as shown in a message: cut when long.
fn shown_key(key: &str) -> Cow<'_, str> {
    match key.char_indices().nth(MESSAGE_KEY_CHARS) {
        Some((at, _)) => Cow::Owned(format!("{}…", &key[..at])),
        None => Cow::Borrowed(key),
    }
}

/// Reads `defaultCountryCode`: `Ok(None)` when absent, null or blank.
fn default_country_code(rules: &Rules, root: &Node<'_>) -> Result<Option<u16>, String> {
    let bad = |shown: String| {
        format!("defaultCountryCode must be a country calling code such as \"91\", not {shown}.")
    };
    let digits: Cow<'_, str> = match root.get("defaultCountryCode") {
        None | Some(Node::Null) => return Ok(None),
        Some(Node::Str(s)) => {
            let t = s.trim();
            if t.is_empty() {
                return Ok(None);
            }
            Cow::Borrowed(t.strip_prefix('+').unwrap_or(t))
        }
        Some(Node::Number(n)) => match n.as_u64() {
            Some(v) => Cow::Owned(v.to_string()),
            None => return Err(bad(n.to_string())),
        },
        Some(other) => return Err(bad(other.kind().to_owned())),
    };
    let well_formed = (1..=3).contains(&digits.len())
        && !digits.starts_with('0')
        && digits.bytes().all(|b| b.is_ascii_digit());
    match digits.parse::<u16>() {
        Ok(code) if well_formed && rules.phones.is_calling_code(code) => Ok(Some(code)),
        _ => {
            let sent = root
                .get("defaultCountryCode")
                .map(Node::to_json)
                .unwrap_or_default();
            Err(bad(shown_key(&sent).into_owned()))
        }
    }
}

/// Reads `contacts`: 1..=`limit` items.
/// `sent`: how many items the body sent (the parse keeps one past the limit).
fn contacts<'r, 'a>(
    root: &'r Node<'a>,
    limit: usize,
    sent: Option<usize>,
) -> Result<&'r [Node<'a>], String> {
    match root.get("contacts") {
        None | Some(Node::Null) => Err(format!(
            "contacts is required: an array of 1 to {limit} contacts."
        )),
        Some(Node::Array(items)) if items.is_empty() => {
            Err(format!("contacts is empty; send 1 to {limit} contacts."))
        }
        Some(Node::Array(items)) if items.len() > limit => Err(format!(
            "contacts has {} items; at most {limit} are allowed.",
            sent.unwrap_or(items.len())
        )),
        Some(Node::Array(items)) => Ok(items),
        Some(other) => Err(format!(
            "contacts must be an array of contacts, not {}.",
            other.kind()
        )),
    }
}

/// A customFields problem: the member (`customFields`,
/// `customFields.city`) and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct CustomProblem {
    path: String,
    message: String,
}

fn custom_problem(path: String, message: String) -> CustomProblem {
    CustomProblem { path, message }
}

/// Checks and normalizes `customFields`.
fn custom_fields(
    rules: &Rules,
    value: Option<&Node<'_>>,
    text_source: bool,
) -> Result<Object, CustomProblem> {
    const NAME: &str = "customFields";
    let limits = &rules.config.limits;
    let members = match value {
        None | Some(Node::Null) => return Ok(Object::new()),
        Some(Node::Object(m)) => m,
        Some(Node::Str(s)) if text_source => {
            // A CSV cell holds the object as JSON text.
            return match json::parse(s.as_bytes()) {
                Ok(node @ Node::Object(_)) => custom_fields(rules, Some(&node), false),
                Ok(other) => Err(custom_problem(
                    NAME.into(),
                    format!("must be a JSON object, not {}", other.kind()),
                )),
                Err(e) => Err(custom_problem(
                    NAME.into(),
                    format!("is not a JSON object ({e})"),
                )),
            };
        }
        Some(other) => {
            return Err(custom_problem(
                NAME.into(),
                format!("must be an object, not {}", other.kind()),
            ))
        }
    };
    if members.len() > limits.contact_book.custom_fields {
        return Err(custom_problem(
            NAME.into(),
            format!(
                "has {} keys; at most {} are allowed",
                members.len(),
                limits.contact_book.custom_fields
            ),
        ));
    }
    let max_key = limits.contact_book.custom_key;
    let mut out = Object::new();
    for (key, v) in members {
        let key_chars = key.chars().take(max_key + 1).count();
        if key.trim().is_empty() || key_chars > max_key {
            let what = if key.is_empty() {
                "an empty key".to_owned()
            } else if key.trim().is_empty() {
                "a blank key".to_owned()
            } else {
                format!(
                    "the key \"{}\" of over {max_key} characters",
                    shown_key(key)
                )
            };
            return Err(custom_problem(
                NAME.into(),
                format!("has {what}; keys must be 1 to {max_key} characters"),
            ));
        }
        if key.chars().any(text::is_forbidden_in_key) {
            return Err(custom_problem(
                NAME.into(),
                format!(
                    "has the key \"{}\" with a control character",
                    shown_key(key)
                ),
            ));
        }
        let path = || format!("{NAME}.{key}");
        let value = match v {
            Node::Null => Node::Null,
            Node::Bool(b) => Node::Bool(*b),
            Node::Number(n) => Node::Number(n.clone()),
            // Free text: multi-line. An empty string is data here, not
            // "absent".
            Node::Str(s) => match text::clean_multiline(s, limits.contact_book.custom_value) {
                Ok(v) => Node::from(v.map(Cow::into_owned).unwrap_or_default()),
                Err(e) => return Err(custom_problem(path(), e.to_string())),
            },
            Node::Array(_) | Node::Object(_) => {
                return Err(custom_problem(
                    path(),
                    format!(
                        "must be a string, number, boolean or null, not {}",
                        v.kind()
                    ),
                ))
            }
        };
        out.insert(key.to_string(), value);
    }
    Ok(out)
}

/// The checked fields of one contact.
#[derive(Debug, Clone, Default)]
struct Checked {
    /// In reason precedence order: the first one is the row's reason.
    errors: Vec<FieldError>,
    phone: Option<ValidPhone>,
    contact: Contact,
}

impl Checked {
    fn error(&mut self, field: &str, code: &'static str, message: String) {
        self.errors.push(FieldError {
            field: field.to_owned(),
            code,
            message,
        });
    }

    fn is_valid(&self) -> bool {
        self.errors.is_empty() && self.phone.is_some()
    }
}

fn check_phone(rules: &Rules, c: &mut Checked, row: Row<'_, '_>, default: PhoneDefault) {
    let raw: Cow<'_, str> = match row.get("phone") {
        None | Some(Node::Null) => {
            return c.error("phone", PHONE_REQUIRED, "phone is required.".into());
        }
        Some(Node::Str(s)) if s.trim().is_empty() => {
            return c.error("phone", PHONE_REQUIRED, "phone is required.".into());
        }
        // As sent: the phone module cleans the text itself (the rule of the
        // single-value call) and counts libphonenumber's 250 characters on
        // it.
        Some(Node::Str(s)) => Cow::Borrowed(s.as_ref()),
        Some(Node::Number(n)) => match n.as_u64() {
            Some(v) => Cow::Owned(v.to_string()),
            None => {
                return c.error(
                    "phone",
                    INVALID_PHONE,
                    format!("phone must be a string or a whole number of digits, not {n}."),
                )
            }
        },
        Some(other) => {
            return c.error(
                "phone",
                INVALID_PHONE,
                format!("phone must be a string, not {}.", other.kind()),
            )
        }
    };
    match rules.phones.normalize(&raw, default) {
        Ok(p) => {
            c.contact.phones.push(ContactPhone::from_valid(&p, None));
            c.phone = Some(p);
        }
        Err(e) => c.error(
            "phone",
            INVALID_PHONE,
            format!("phone is not a valid phone number: {e}."),
        ),
    }
}

fn check_email(c: &mut Checked, row: Row<'_, '_>) {
    let raw = match row.get("email") {
        None | Some(Node::Null) => return,
        Some(Node::Str(s)) => s,
        Some(other) => {
            return c.error(
                "email",
                INVALID_EMAIL,
                format!("email must be a string, not {}.", other.kind()),
            )
        }
    };
    match text::clean(raw, usize::MAX) {
        Ok(None) => {}
        Ok(Some(s)) => match validate_email(&s) {
            Ok(e) => c.contact.email = Some(e.normalized),
            Err(e) => c.error(
                "email",
                INVALID_EMAIL,
                format!("email is not a valid email address: {e}."),
            ),
        },
        Err(e) => c.error("email", INVALID_EMAIL, format!("email {e}.")),
    }
}

fn check_text(c: &mut Checked, row: Row<'_, '_>, name: &str, max: usize) -> Option<String> {
    match row.get(name) {
        None | Some(Node::Null) => None,
        Some(Node::Str(s)) => match text::clean(s, max) {
            Ok(v) => v.map(Cow::into_owned),
            Err(e) => {
                c.error(name, INVALID_FIELD, format!("{name} {e}."));
                None
            }
        },
        Some(other) => {
            c.error(
                name,
                INVALID_FIELD,
                format!("{name} must be a string, not {}.", other.kind()),
            );
            None
        }
    }
}

/// Checks every field but `customFields`, in reason precedence order.
fn check_fields(rules: &Rules, row: Row<'_, '_>, default: PhoneDefault) -> Checked {
    let limits = &rules.config.limits;
    let mut c = Checked::default();
    check_phone(rules, &mut c, row, default);
    check_email(&mut c, row);
    c.contact.display_name =
        check_text(&mut c, row, "displayName", limits.contact_book.display_name);
    c.contact.first_name = check_text(&mut c, row, "firstName", limits.contact_book.name);
    c.contact.last_name = check_text(&mut c, row, "lastName", limits.contact_book.name);
    c.contact.company = check_text(&mut c, row, "companyName", limits.contact_book.display_name);
    c
}

/// Import: one row; a customFields problem is this row's `INVALID_FIELD`.
fn check_row(rules: &Rules, row: Row<'_, '_>, default: PhoneDefault) -> RowCheck {
    let mut c = check_fields(rules, row, default);
    match custom_fields(rules, row.get("customFields"), row.text_source) {
        Ok(custom) => c.contact.custom_fields = custom,
        Err(p) => c.error(&p.path, INVALID_FIELD, format!("{} {}.", p.path, p.message)),
    }
    let key = c
        .phone
        .as_ref()
        .filter(|_| c.is_valid())
        .map(ValidPhone::key);
    RowCheck {
        errors: c.errors,
        contact: c.contact,
        key,
    }
}

#[derive(Debug, Clone)]
struct BookRow {
    /// `phone` exactly as sent (`null` when absent), for INVALID results.
    sent_phone: Node<'static>,
    checked: Checked,
    duplicate_of: Option<usize>,
}

/// A prepared Upload Contacts request.
#[derive(Debug, Clone)]
pub(crate) struct Batch {
    rows: Vec<BookRow>,
}

/// The contact-book API.
#[derive(Debug)]
pub(crate) struct ContactBook;

impl Api for ContactBook {
    type Batch = Batch;
    const COLUMNS: &'static ImportColumns = &columns::COLUMNS;

    fn budget(config: &Config) -> (Option<&'static str>, usize) {
        (
            Some("contacts"),
            config.limits.contact_book.custom_fields.saturating_mul(2),
        )
    }

    fn prepare(
        rules: &Rules,
        root: &Node<'_>,
        batch_len: Option<usize>,
        _existing: Option<&Existing>,
    ) -> Result<Batch, Response> {
        prepare(rules, root, batch_len)
    }

    /// Without a configured region, a row's phone is read as
    /// international (`defaultCountryCode` is the request's, and an import
    /// has none).
    fn import_default(configured: PhoneDefault) -> PhoneDefault {
        match configured {
            PhoneDefault::None => PhoneDefault::International,
            d => d,
        }
    }

    fn check_row(rules: &Rules, row: Row<'_, '_>, default: PhoneDefault) -> Option<RowCheck> {
        Some(check_row(rules, row, default))
    }

    fn request_error(message: &str, fields: &[(String, String)]) -> Response {
        request_error(message, fields)
    }
}

fn prepare(rules: &Rules, root: &Node<'_>, batch_len: Option<usize>) -> Result<Batch, Response> {
    let mut problems: Vec<String> = Vec::new();
    let code = default_country_code(rules, root).unwrap_or_else(|m| {
        problems.push(m);
        None
    });
    let items = match contacts(root, rules.config.batch_limit(), batch_len) {
        Ok(items) => items,
        Err(m) => {
            problems.push(m);
            &[]
        }
    };
    let default = match code {
        Some(code) => PhoneDefault::CallingCode(code),
        None => PhoneDefault::International,
    };
    let checked = map_rows(rules.pool(), items, |i, node| {
        if node.as_object().is_none() {
            return Err(format!(
                "contacts[{i}] (row {}) must be an object, not {}.",
                i + 1,
                node.kind()
            ));
        }
        let row = Row::new(node, false);
        let custom = custom_fields(rules, row.get("customFields"), false)
            .map_err(|p| format!("contacts[{i}].{} (row {}) {}.", p.path, i + 1, p.message))?;
        let mut checked = check_fields(rules, row, default);
        checked.contact.custom_fields = custom;
        Ok(BookRow {
            sent_phone: row.get("phone").map_or(Node::Null, Node::to_owned_node),
            checked,
            duplicate_of: None,
        })
    });
    let mut rows = Vec::with_capacity(checked.len());
    for r in checked {
        match r {
            Ok(row) => rows.push(row),
            Err(m) => problems.push(m),
        }
    }
    if !problems.is_empty() {
        return Err(request_error(&summary_message(&problems), &[]));
    }
    let mut seen = FirstWins::new();
    for (i, row) in rows.iter_mut().enumerate() {
        if row.checked.is_valid() {
            if let Some(p) = &row.checked.phone {
                row.duplicate_of = seen.claim(p.key(), i);
            }
        }
    }
    Ok(Batch { rows })
}

#[derive(Serialize)]
struct UploadBody<'a> {
    success: bool,
    message: &'static str,
    data: UploadData<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UploadData<'a> {
    contact_book: Option<&'a ContactBookInfo>,
    summary: UploadSummary,
    results: crate::par::RenderedRows<RowResult<'a>>,
}

#[derive(Serialize)]
struct UploadSummary {
    total: usize,
    created: usize,
    updated: usize,
    skipped: usize,
    invalid: usize,
}

#[derive(Serialize)]
struct RowResult<'a> {
    row: usize,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    contact: Option<ResultContact<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Option<ResultPhone<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultContact<'a> {
    contact_uid: &'a Node<'static>,
    phone: &'a str,
}

#[derive(Serialize)]
#[serde(untagged)]
enum ResultPhone<'a> {
    /// Normalized: E.164 digits without `+`.
    Digits(&'a str),
    /// As sent.
    Sent(&'a Node<'static>),
}

impl ApiBatch for Batch {
    /// Frees the batch, its rows spread over `pool`.
    fn release(self, pool: Option<&rayon::ThreadPool>) {
        crate::par::drop_rows(pool, self.rows);
    }

    fn keys(&self) -> LookupKeys {
        let mut seen = FirstWins::new();
        LookupKeys {
            phones: self
                .rows
                .iter()
                .filter(|r| r.checked.is_valid())
                .filter_map(|r| r.checked.phone.as_ref())
                .filter(|p| seen.claim(p.key(), 0).is_none())
                .map(|p| p.e164.clone())
                .collect(),
            ..LookupKeys::default()
        }
    }

    fn resolve(&self, rules: &Rules, existing: &Existing) -> Outcome {
        const NULL: Node<'static> = Node::Null;
        let mut outcomes = Vec::with_capacity(self.rows.len());
        let mut results = Vec::with_capacity(self.rows.len());
        for (index, row) in self.rows.iter().enumerate() {
            let c = &row.checked;
            let mut out = RowOutcome {
                index,
                status: RowStatus::Invalid,
                action: Action::None,
                key: None,
                duplicate_of: None,
                existing_id: None,
                errors: c.errors.clone(),
                contact: None,
            };
            let mut result = RowResult {
                row: index + 1,
                status: "INVALID",
                reason: None,
                contact: None,
                phone: None,
            };
            match c.phone.as_ref().filter(|_| c.is_valid()) {
                None => {
                    result.reason = Some(c.errors.first().map_or(PHONE_REQUIRED, |e| e.code));
                    result.phone = Some(ResultPhone::Sent(&row.sent_phone));
                }
                Some(p) => {
                    out.key = Some(p.e164.clone());
                    out.contact = Some(c.contact.clone());
                    if let Some(first) = row.duplicate_of {
                        out.status = RowStatus::Duplicate;
                        out.duplicate_of = Some(first);
                        result.status = "SKIPPED";
                        result.reason = Some("DUPLICATE_IN_REQUEST");
                        result.phone = Some(ResultPhone::Digits(p.digits()));
                    } else if let Some(uid) = existing.phone(p.key()) {
                        out.status = RowStatus::Existing;
                        out.action = Action::Update;
                        out.existing_id = Some(uid.clone());
                        result.status = "UPDATED";
                        result.contact = Some(ResultContact {
                            contact_uid: uid,
                            phone: p.digits(),
                        });
                    } else {
                        out.status = RowStatus::New;
                        out.action = Action::Create;
                        result.status = "CREATED";
                        result.contact = Some(ResultContact {
                            contact_uid: &NULL,
                            phone: p.digits(),
                        });
                    }
                }
            }
            outcomes.push(out);
            results.push(result);
        }
        let summary = Summary::of(&outcomes);
        let body = UploadBody {
            success: true,
            message: "Contacts uploaded",
            data: UploadData {
                contact_book: existing.contact_book.as_ref(),
                summary: UploadSummary {
                    total: summary.total,
                    created: summary.new,
                    updated: summary.existing,
                    skipped: summary.duplicate,
                    invalid: summary.invalid,
                },
                results: crate::par::render_rows(rules.pool(), results),
            },
        };
        let response = Response::json(200, &body);
        Outcome {
            response,
            rows: outcomes,
            summary,
            rejected: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Profile};
    use crate::json::parse;

    fn engine() -> Rules {
        Rules::new(Config {
            threads: Some(1),
            ..Config::new(Profile::ContactBook)
        })
        .unwrap()
    }

    fn code(e: &Rules, body: &str) -> Result<Option<u16>, String> {
        default_country_code(e, &parse(body.as_bytes()).unwrap())
    }

    #[test]
    fn default_country_code_forms() {
        let e = engine();
        assert_eq!(code(&e, r#"{"defaultCountryCode":"91"}"#), Ok(Some(91)));
        assert_eq!(code(&e, r#"{"defaultCountryCode":" +91 "}"#), Ok(Some(91)));
        assert_eq!(code(&e, r#"{"defaultCountryCode":91}"#), Ok(Some(91)));
        assert_eq!(code(&e, r#"{"defaultCountryCode":"1"}"#), Ok(Some(1)));
        assert_eq!(code(&e, r#"{"defaultCountryCode":"800"}"#), Ok(Some(800)));
        assert_eq!(code(&e, r#"{"defaultCountryCode":null}"#), Ok(None));
        assert_eq!(code(&e, r#"{"defaultCountryCode":"  "}"#), Ok(None));
        assert_eq!(code(&e, r#"{}"#), Ok(None));
        for bad in [
            r#""999""#,
            r#""091""#,
            r#""0""#,
            r#""9 1""#,
            r#""IN""#,
            r#""+""#,
            r#""++91""#,
            r#""65535""#,
            r#""99999999999999999999999""#,
            "91.5",
            "-91",
            "true",
            "[91]",
        ] {
            let body = format!(r#"{{"defaultCountryCode":{bad}}}"#);
            let m = code(&e, &body).unwrap_err();
            assert!(m.starts_with("defaultCountryCode must be"), "{bad}: {m}");
        }
    }

    #[test]
    fn custom_fields_rules() {
        let e = engine();
        let check = |body: &str, text_source: bool| {
            let n = parse(body.as_bytes()).unwrap();
            custom_fields(&e, n.get("c"), text_source)
        };
        let ok = check(
            r#"{"c":{"a":" x ","b":1.5,"c":true,"d":null,"e":""}}"#,
            false,
        )
        .unwrap();
        assert_eq!(
            ok.to_json(),
            r#"{"a":"x","b":1.5,"c":true,"d":null,"e":""}"#
        );
        assert!(check(r#"{"c":null}"#, false).unwrap().is_empty());
        assert!(check(r#"{}"#, false).unwrap().is_empty());
        let p = check(r#"{"c":{"":1}}"#, false).unwrap_err();
        assert_eq!(
            p.message,
            "has an empty key; keys must be 1 to 64 characters"
        );
        let p = check(r#"{"c":{"k":[1]}}"#, false).unwrap_err();
        assert_eq!(p.path, "customFields.k");
        let p = check(r#"{"c":{"k":"a\u0000b"}}"#, false).unwrap_err();
        assert_eq!(p.message, "contains a control character");
        let p = check(r#"{"c":"x"}"#, false).unwrap_err();
        assert_eq!(p.message, "must be an object, not a string");
        // A CSV cell holds JSON text.
        let ok = check(r#"{"c":"{\"city\":\"Pune\"}"}"#, true).unwrap();
        assert_eq!(ok.get("city"), Some(&Node::from("Pune")));
        assert!(check(r#"{"c":"[1]"}"#, true).is_err());
        assert!(check(r#"{"c":"{"}"#, true).is_err());
    }

    #[test]
    fn long_keys_are_cut_in_messages() {
        let key = "k".repeat(10_000);
        assert_eq!(shown_key(&key).chars().count(), MESSAGE_KEY_CHARS + 1);
        assert_eq!(shown_key("city"), "city");
    }

    #[test]
    fn summary_message_counts_the_rest() {
        let p = |n: usize| (0..n).map(|i| format!("p{i}")).collect::<Vec<_>>();
        assert_eq!(summary_message(&p(1)), "p0");
        assert_eq!(summary_message(&p(2)), "p0 (and 1 more problem)");
        assert_eq!(summary_message(&p(3)), "p0 (and 2 more problems)");
    }
}
