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

mod checks;
mod codes;
mod columns;
mod render;

use super::api::{Api, ApiBatch, RowCheck};
use super::fields::Row;
use crate::columns::ImportColumns;
use crate::config::Config;
use crate::contact::Contact;
use crate::dedupe::FirstWins;
use crate::existing::Existing;
use crate::json::Node;
use crate::keys::LookupKeys;
use crate::outcome::{Action, Outcome, RowOutcome, RowStatus, Summary};
use crate::par::map_rows;
use crate::phone::PhoneDefault;
use crate::request_error::{RequestError, RequestErrorKind};
use crate::response::Response;
use crate::rules::Rules;

use self::checks::*;
use self::codes::*;
use self::render::*;

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
    ) -> Result<Batch, RequestError> {
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

fn prepare(
    rules: &Rules,
    root: &Node<'_>,
    batch_len: Option<usize>,
) -> Result<Batch, RequestError> {
    // Every problem of the request, each with its kind: one kind names the
    // refusal, several are `Invalid`.
    let mut problems: Vec<(RequestErrorKind, String)> = Vec::new();
    let code = default_country_code(rules, root).unwrap_or_else(|m| {
        problems.push((RequestErrorKind::Invalid, m));
        None
    });
    let items = match contacts(root, rules.config.batch_limit(), batch_len) {
        Ok(items) => items,
        Err(problem) => {
            problems.push(problem);
            &[]
        }
    };
    let default = match code {
        Some(code) => PhoneDefault::CallingCode(code),
        None => PhoneDefault::International,
    };
    let checked = map_rows(rules.pool(), items, |i, node| {
        if node.as_object().is_none() {
            return Err((
                RequestErrorKind::ElementInvalid,
                format!(
                    "contacts[{i}] (row {}) must be an object, not {}.",
                    i + 1,
                    node.kind()
                ),
            ));
        }
        let row = Row::new(node, false);
        let custom = custom_fields(rules, row.get("customFields"), false).map_err(|p| {
            (
                RequestErrorKind::Invalid,
                format!("contacts[{i}].{} (row {}) {}.", p.path, i + 1, p.message),
            )
        })?;
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
    if let Some((first, _)) = problems.first() {
        let kind = if problems.iter().all(|(k, _)| k == first) {
            *first
        } else {
            RequestErrorKind::Invalid
        };
        let messages: Vec<String> = problems.into_iter().map(|(_, m)| m).collect();
        return Err(RequestError::new(
            kind,
            summary_message(&messages),
            Vec::new(),
        ));
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

impl ApiBatch for Batch {
    /// Frees the batch, its rows spread over `pool`.
    fn release(self, pool: Option<&crate::par::Pool>) {
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

    fn valid_contacts(&self) -> Vec<(usize, &Contact)> {
        let valid = self.rows.iter().enumerate();
        valid
            .filter(|(_, r)| r.checked.is_valid() && r.checked.phone.is_some())
            .map(|(i, r)| (i, &r.checked.contact))
            .collect()
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
                possible_duplicates: Vec::new(),
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
                    result.reason =
                        Some(c.errors.first().map_or(PHONE_REQUIRED, |e| e.code.as_str()));
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
            refusal: None,
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
