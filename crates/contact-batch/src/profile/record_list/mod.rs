//! The record-list profile: Create Multiple Records in a record list
//! (seed 003). SPEC §4.4 is the contract; this module states the choices it
//! leaves open.
//!
//! Every record gets the API's error codes, in the documented order, each at
//! most once ([`Code`]). Records with errors are reported, not created; the
//! others are created: the answer is 201 with `has_error` telling whether any
//! record failed, even when every record failed. Only a request whose shape is
//! wrong (no `records` array, an empty or oversized one, a record that is not
//! an object, a body that is not a JSON object) is refused with 400
//! `INVALID_REQUEST`, and then nothing is created.
//!
//! Decisions where the API documents are silent are listed in the public
//! documentation module [`crate::decisions`].

mod checks;
mod codes;
mod columns;
mod render;
mod timezone;

use super::api::{Api, ApiBatch, RowCheck};
use super::fields::Row;
use crate::columns::ImportColumns;
use crate::config::Config;
use crate::contact::Contact;
use crate::dedupe::FirstWins;
use crate::existing::Existing;
use crate::json::Node;
use crate::keys::LookupKeys;
use crate::outcome::{Action, FieldError, Outcome, RowOutcome, RowStatus, Summary};
use crate::par::map_rows;
use crate::phone::{PhoneDefault, PhoneKey};
use crate::request_error::{RequestError, RequestErrorKind};
use crate::response::Response;
use crate::rules::Rules;

use self::checks::*;
use self::codes::*;
use self::render::*;

/// One record after `prepare`.
#[derive(Debug, Clone)]
struct Record {
    checked: Checked,
    /// In-batch repeats of a record valid on its own, in the API's order.
    repeats: Vec<FieldError>,
    /// The earlier record that holds the first repeated key.
    duplicate_of: Option<usize>,
}

impl Record {
    /// Valid on its own and first of all its keys: its keys are looked up.
    fn is_candidate(&self) -> bool {
        self.checked.errors.is_empty() && self.repeats.is_empty()
    }
}

/// The record-list API.
#[derive(Debug)]
pub(crate) struct RecordList;

impl Api for RecordList {
    type Batch = Batch;
    const COLUMNS: &'static ImportColumns = &columns::COLUMNS;

    fn budget(config: &Config) -> (Option<&'static str>, usize) {
        // An entry of phone_numbers: the object, two keys and two values.
        (
            Some("records"),
            config.limits.record_list.phones.saturating_mul(5),
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

    fn check_row(rules: &Rules, row: Row<'_, '_>, default: PhoneDefault) -> Option<RowCheck> {
        Some(check_row(rules, row, default))
    }

    fn request_error(message: &str, fields: &[(String, String)]) -> Response {
        request_error(message, fields)
    }
}

/// A prepared Create Multiple Records request.
#[derive(Debug, Clone)]
pub(crate) struct Batch {
    records: Vec<Record>,
}

/// `batch_len`: how many records the body sent (the parse keeps one past
/// the limit; see `profile::budget`).
fn prepare(
    rules: &Rules,
    root: &Node<'_>,
    batch_len: Option<usize>,
) -> Result<Batch, RequestError> {
    let limit = rules.config.batch_limit();
    let refuse =
        |kind: RequestErrorKind, message: String| RequestError::on(kind, "records", message);
    let items = match root.get("records") {
        None | Some(Node::Null) => {
            return Err(refuse(
                RequestErrorKind::BatchMissing,
                format!("The request body must have a records array of 1 to {limit} records."),
            ))
        }
        Some(Node::Array(items)) if items.is_empty() => {
            return Err(refuse(
                RequestErrorKind::BatchEmpty,
                format!("records is empty; send 1 to {limit} records."),
            ))
        }
        Some(Node::Array(items)) if items.len() > limit => {
            return Err(refuse(
                RequestErrorKind::BatchTooLong,
                format!(
                    "records has {} records; at most {limit} are accepted in one request.",
                    batch_len.unwrap_or(items.len())
                ),
            ))
        }
        Some(Node::Array(items)) => items,
        Some(other) => {
            return Err(refuse(
                RequestErrorKind::BatchNotAnArray,
                format!(
                    "records must be an array of record objects, not {}.",
                    other.kind()
                ),
            ))
        }
    };
    let problems: Vec<(String, String)> = items
        .iter()
        .enumerate()
        .filter(|(_, r)| r.as_object().is_none())
        .map(|(i, r)| {
            let name = format!("records.{i}");
            let message = format!("{name} must be a record object, not {}.", r.kind());
            (name, message)
        })
        .collect();
    match problems.as_slice() {
        [] => {}
        [(_, only)] => {
            return Err(RequestError::new(
                RequestErrorKind::ElementInvalid,
                only.clone(),
                problems,
            ))
        }
        _ => {
            let message = format!(
                "{} records are not objects; every record must be a JSON object.",
                problems.len()
            );
            return Err(RequestError::new(
                RequestErrorKind::ElementInvalid,
                message,
                problems,
            ));
        }
    }

    let checked = map_rows(rules.pool(), items, |_, node| {
        check_record(rules, Row::new(node, false), rules.phone_default)
    });

    // First wins, in request order, among records valid on their own.
    let mut phones: FirstWins<PhoneKey> = FirstWins::new();
    let mut refs: FirstWins<(String, String)> = FirstWins::new();
    let records = checked
        .into_iter()
        .enumerate()
        .map(|(index, checked)| {
            let mut record = Record {
                checked,
                repeats: Vec::new(),
                duplicate_of: None,
            };
            if !record.checked.errors.is_empty() {
                return record;
            }
            let mut repeats = Errors::default();
            let mut duplicate_of = None;
            for slot in &record.checked.phones {
                if let Some(first) = phones.owner(&slot.phone.key()) {
                    duplicate_of.get_or_insert(first);
                    repeats.add(
                        Code::PhoneNumberNotUnique,
                        &slot.field,
                        format!(
                            "{} {} is already used by records.{first} of this request.",
                            slot.field, slot.phone.e164
                        ),
                    );
                }
            }
            if let Some(pair) = &record.checked.external {
                if let Some(first) = refs.owner(pair) {
                    duplicate_of.get_or_insert(first);
                    repeats.add(
                        Code::ExternalIdAndProviderNotUnique,
                        "external_id",
                        format!(
                            "external_provider {} with external_id {} is already used by records.{first} of this request.",
                            quoted(&pair.0),
                            quoted(&pair.1)
                        ),
                    );
                }
            }
            if repeats.is_empty() {
                for slot in &record.checked.phones {
                    phones.claim(slot.phone.key(), index);
                }
                if let Some(pair) = &record.checked.external {
                    refs.claim(pair.clone(), index);
                }
            } else {
                record.repeats = repeats.finish();
                record.duplicate_of = duplicate_of;
            }
            record
        })
        .collect();
    Ok(Batch { records })
}

impl ApiBatch for Batch {
    /// Frees the batch, its rows spread over `pool`.
    fn release(self, pool: Option<&crate::par::Pool>) {
        crate::par::drop_rows(pool, self.records);
    }

    fn keys(&self) -> LookupKeys {
        let mut seen = FirstWins::new();
        let candidates = || self.records.iter().filter(|r| r.is_candidate());
        LookupKeys {
            phones: candidates()
                .flat_map(|r| r.checked.phones.iter())
                .filter(|slot| seen.claim(slot.phone.key(), 0).is_none())
                .map(|slot| slot.phone.e164.clone())
                .collect(),
            external_refs: {
                let mut seen = FirstWins::new();
                candidates()
                    .filter_map(|r| r.checked.external.clone())
                    .filter(|pair| seen.claim(pair.clone(), 0).is_none())
                    .collect()
            },
            ..LookupKeys::default()
        }
    }

    fn valid_contacts(&self) -> Vec<(usize, &Contact)> {
        let valid = self.records.iter().enumerate();
        valid
            .filter(|(_, r)| r.checked.errors.is_empty())
            .map(|(i, r)| (i, &r.checked.contact))
            .collect()
    }

    fn resolve(&self, rules: &Rules, existing: &Existing) -> Outcome {
        let list_id = existing.record_list_id.as_deref();
        let mut rows = Vec::with_capacity(self.records.len());
        let mut echoed = Vec::with_capacity(self.records.len());
        for (index, record) in self.records.iter().enumerate() {
            let c = &record.checked;
            let mut out = RowOutcome {
                index,
                status: RowStatus::Invalid,
                action: Action::None,
                key: c.phones.first().map(|slot| slot.phone.e164.clone()),
                duplicate_of: None,
                existing_id: None,
                errors: c.errors.clone(),
                contact: None,
                possible_duplicates: Vec::new(),
            };
            if out.errors.is_empty() {
                out.contact = Some(c.contact.clone());
                if !record.repeats.is_empty() {
                    out.status = RowStatus::Duplicate;
                    out.duplicate_of = record.duplicate_of;
                    out.errors = record.repeats.clone();
                } else {
                    let (conflicts, stored_id) = store_conflicts(c, existing);
                    if conflicts.is_empty() {
                        out.status = RowStatus::New;
                        out.action = Action::Create;
                    } else {
                        out.status = RowStatus::Existing;
                        out.existing_id = stored_id;
                        out.errors = conflicts;
                    }
                }
            }
            echoed.push(ShownRecord {
                record_list_id: list_id,
                echo: &c.echo,
                errors: out.errors.iter().map(|e| e.code.as_str()).collect(),
            });
            rows.push(out);
        }
        let total_created = rows.iter().filter(|r| r.action == Action::Create).count();
        let total_errors = rows.len() - total_created;
        let links = list_id.map(|id| {
            let base = rules.config.record_list.link_base.trim_end_matches('/');
            let list = format!("{base}/{}", path_segment(id));
            Links {
                this: Href {
                    href: format!("{list}/records"),
                },
                record_list: Href { href: list },
            }
        });
        let body = CreatedBody {
            record_list_id: list_id,
            has_error: total_errors > 0,
            total_errors,
            total_created,
            links,
            embedded: Embedded {
                records: crate::par::render_rows(rules.pool(), echoed),
            },
        };
        Outcome {
            response: Response::json(201, &body),
            summary: Summary::of(&rows),
            rows,
            rejected: false,
            refusal: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::timezone::tz_country;
    use super::timezone::tz_table::TZDATA_VERSION;
    use super::*;
    use crate::config::{Config, Profile};
    use crate::json::parse;
    use crate::profile::fields::Problem;

    fn engine() -> Rules {
        Rules::new(Config {
            threads: Some(1),
            default_region: Some("PT".into()),
            ..Config::new(Profile::RecordList)
        })
        .unwrap()
    }

    #[test]
    fn codes_rank_in_declaration_order() {
        for (i, code) in Code::ALL.iter().enumerate() {
            assert_eq!(Code::rank(code.as_str()), i);
            assert_eq!(*code as usize, i);
        }
        assert!(Code::ALL.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(Code::rank("duplicate_phone"), Code::ALL.len());
    }

    #[test]
    fn errors_keep_the_first_of_each_code_in_api_order() {
        let mut e = Errors::default();
        e.add(Code::Other, "extra_data", "x".into());
        e.add(
            Code::PhoneNumberInvalid,
            "phone_numbers.1.phone_type",
            "first".into(),
        );
        e.add(
            Code::PhoneNumberInvalid,
            "phone_numbers.2.phone_type",
            "second".into(),
        );
        e.add(
            Code::PhoneNumberMissing,
            "phone_numbers.0.phone_number",
            "m".into(),
        );
        let list = e.finish();
        let codes: Vec<&str> = list.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(
            codes,
            ["PHONE_NUMBER_MISSING", "PHONE_NUMBER_INVALID", "OTHER"]
        );
        assert_eq!(list[1].field, "phone_numbers.1.phone_type");
        assert_eq!(list[1].message, "first");
    }

    #[test]
    fn helpers() {
        assert_eq!(path_segment("rl-1_a.b~c"), "rl-1_a.b~c");
        assert_eq!(path_segment("a/b?c#d é"), "a%2Fb%3Fc%23d%20%C3%A9");
        assert_eq!(tz_country("001"), None);
        assert_eq!(tz_country("AC"), Some("SH"));
        assert_eq!(tz_country("TA"), Some("SH"));
        assert_eq!(tz_country("XK"), Some("RS"));
        assert_eq!(tz_country("PT"), Some("PT"));
        assert_eq!(quoted("abc"), "`abc`");
        let long = "é".repeat(50);
        assert_eq!(quoted(&long), format!("`{}…`", "é".repeat(40)));
        assert_eq!(with_article("integer"), "an integer");
        assert_eq!(with_article("string"), "a string");
        let n = parse(br#"{"a": 1}"#).unwrap();
        assert_eq!(
            describe("first_name", Problem::WrongType("string"), n.get("a")),
            "first_name must be a string, not a number."
        );
    }

    #[test]
    fn text_sources_read_json_cells() {
        let n = parse(br#"{"extra_data": "{\"k\": [1]}", "phone_numbers": "  ", "x": "plain"}"#)
            .unwrap();
        let csv = Row::new(&n, true);
        assert!(matches!(
            structured(csv, "extra_data").as_deref(),
            Some(Node::Object(_))
        ));
        assert!(structured(csv, "phone_numbers").is_none());
        assert!(matches!(
            structured(csv, "x").as_deref(),
            Some(Node::Str(s)) if s == "plain"
        ));
        // A JSON request keeps strings as strings.
        let json = Row::new(&n, false);
        assert!(matches!(
            structured(json, "extra_data").as_deref(),
            Some(Node::Str(_))
        ));
    }

    #[test]
    fn check_row_gives_the_first_valid_number_as_key() {
        let e = engine();
        let n = parse(
            br#"{"phone_numbers": [{"phone_number": "912 345 678", "phone_type": "HOME"},
                                   {"phone_number": "+351929312319", "phone_type": "MOBILE"}],
                 "first_name": "A", "last_name": "B", "external_provider": "crm", "external_id": "1"}"#,
        )
        .unwrap();
        let c = check_row(&e, Row::new(&n, false), e.phone_default);
        assert!(c.errors.is_empty(), "{:?}", c.errors);
        assert_eq!(
            c.key.map(|k| k.to_string()).as_deref(),
            Some("+351912345678")
        );
        assert_eq!(c.contact.phones.len(), 2);
        assert_eq!(c.contact.phones[1].label.as_deref(), Some("MOBILE"));
        assert_eq!(c.contact.external_ref.as_ref().unwrap().provider, "crm");

        let n = parse(br#"{"phone_number": "+351929312319", "first_name": "A"}"#).unwrap();
        let c = check_row(&e, Row::new(&n, false), e.phone_default);
        assert_eq!(c.key, None);
        assert_eq!(c.errors[0].code, "LAST_NAME_MISSING");
        // The row's own default region is used, not the engine's.
        let n =
            parse(br#"{"phone_number": "(415) 555-2671", "first_name": "A", "last_name": "B"}"#)
                .unwrap();
        let us = PhoneDefault::Region(e.phones.region("US").unwrap());
        let c = check_row(&e, Row::new(&n, false), us);
        assert_eq!(
            c.key.map(|k| k.to_string()).as_deref(),
            Some("+14155552671")
        );
    }

    #[test]
    fn unknown_zone_message_names_the_tz_release() {
        let e = engine();
        let n = parse(br#"{"phone_number": "+351929312319", "first_name": "A", "last_name": "B", "timezone": "Mars/Base"}"#)
            .unwrap();
        let c = check_row(&e, Row::new(&n, false), e.phone_default);
        assert_eq!(c.errors.len(), 1);
        assert!(
            c.errors[0].message.contains(TZDATA_VERSION),
            "{}",
            c.errors[0].message
        );
        assert!(c.errors[0].message.contains("`Mars/Base`"));
    }
}
