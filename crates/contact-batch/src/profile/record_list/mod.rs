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

mod columns;
pub(crate) mod options;

use std::borrow::Cow;

use serde::Serialize;

use super::api::{Api, ApiBatch, RowCheck};
use super::fields::{self, Problem, Row};
use super::tz_table::{zone_countries, ZoneCountries, TZDATA_VERSION};
use crate::columns::ImportColumns;
use crate::config::Config;
use crate::contact::{Contact, ContactPhone, ExternalRef};
use crate::dedupe::FirstWins;
use crate::existing::Existing;
use crate::json::{self, Node};
use crate::object::Object;
use crate::keys::LookupKeys;
use crate::outcome::{Action, FieldError, Outcome, RowOutcome, RowStatus, Summary};
use crate::par::map_rows;
use crate::phone::{PhoneDefault, PhoneKey, ValidPhone};
use crate::response::Response;
use crate::rules::Rules;

/// The allowed values of `phone_type`.
pub(crate) const PHONE_TYPES: [&str; 6] =
    ["HOME", "OFFICE", "MOBILE", "EXTRA_1", "EXTRA_2", "EXTRA_3"];

/// The type given to the deprecated `phone_number`.
const LEGACY_PHONE_TYPE: &str = "MOBILE";

/// The per-record error codes, declared in the order the API reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Code {
    PhoneNumberMissing,
    PhoneNumberInvalid,
    PhoneNumberNotUnique,
    FirstNameMissing,
    FirstNameInvalid,
    LastNameMissing,
    LastNameInvalid,
    TimezoneMissing,
    TimezoneInvalid,
    TimezoneUnmatched,
    PriorityInvalid,
    ExternalRefMissing,
    ExternalIdAndProviderNotUnique,
    Other,
}

impl Code {
    const ALL: [Code; 14] = [
        Code::PhoneNumberMissing,
        Code::PhoneNumberInvalid,
        Code::PhoneNumberNotUnique,
        Code::FirstNameMissing,
        Code::FirstNameInvalid,
        Code::LastNameMissing,
        Code::LastNameInvalid,
        Code::TimezoneMissing,
        Code::TimezoneInvalid,
        Code::TimezoneUnmatched,
        Code::PriorityInvalid,
        Code::ExternalRefMissing,
        Code::ExternalIdAndProviderNotUnique,
        Code::Other,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Code::PhoneNumberMissing => "PHONE_NUMBER_MISSING",
            Code::PhoneNumberInvalid => "PHONE_NUMBER_INVALID",
            Code::PhoneNumberNotUnique => "PHONE_NUMBER_NOT_UNIQUE",
            Code::FirstNameMissing => "FIRST_NAME_MISSING",
            Code::FirstNameInvalid => "FIRST_NAME_INVALID",
            Code::LastNameMissing => "LAST_NAME_MISSING",
            Code::LastNameInvalid => "LAST_NAME_INVALID",
            Code::TimezoneMissing => "TIMEZONE_MISSING",
            Code::TimezoneInvalid => "TIMEZONE_INVALID",
            Code::TimezoneUnmatched => "TIMEZONE_UNMATCHED",
            Code::PriorityInvalid => "PRIORITY_INVALID",
            Code::ExternalRefMissing => "EXTERNAL_REF_MISSING",
            Code::ExternalIdAndProviderNotUnique => "EXTERNAL_ID_AND_PROVIDER_NOT_UNIQUE",
            Code::Other => "OTHER",
        }
    }

    /// Position in the reporting order of a code string (codes not of this
    /// profile sort last).
    fn rank(code: &str) -> usize {
        Code::ALL
            .iter()
            .position(|c| c.as_str() == code)
            .unwrap_or(Code::ALL.len())
    }
}

/// The errors of one record: the first error of each code, reported in the
/// API's order.
#[derive(Debug, Default)]
struct Errors(Vec<FieldError>);

impl Errors {
    fn has(&self, code: Code) -> bool {
        self.0.iter().any(|e| e.code == code.as_str())
    }

    fn add(&mut self, code: Code, field: &str, message: String) {
        if !self.has(code) {
            self.0.push(FieldError {
                field: field.to_owned(),
                code: code.as_str(),
                message,
            });
        }
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn finish(mut self) -> Vec<FieldError> {
        self.0.sort_by_key(|e| Code::rank(e.code));
        self.0
    }
}

/// "a string", "an integer", ... for messages.
fn with_article(kind: &str) -> String {
    match kind.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => format!("an {kind}"),
        _ => format!("a {kind}"),
    }
}

/// A sentence about a field's problem; `value` is the member as sent.
fn describe(field: &str, p: Problem, value: Option<&Node<'_>>) -> String {
    match p {
        Problem::Missing => format!("{field} is required."),
        Problem::WrongType(t) => format!(
            "{field} must be {}, not {}.",
            with_article(t),
            value.map_or("absent", Node::kind)
        ),
        Problem::TooLong(max) => format!("{field} must be at most {max} characters long."),
        Problem::Control => format!("{field} must not contain control characters."),
        Problem::TooSmall(min) => format!("{field} must be at least {min}."),
        Problem::TooBig(max) => format!("{field} must be at most {max}."),
    }
}

/// The member as sent, for the echo of an invalid value.
fn raw(row: Row<'_, '_>, name: &str) -> Option<Node<'static>> {
    row.node.get(name).map(Node::to_owned_node)
}

/// A member that may hold JSON structure. From a text source (CSV) a cell
/// holding a JSON array or object is read as that value.
fn structured<'r, 'a>(row: Row<'r, 'a>, name: &str) -> Option<Cow<'r, Node<'a>>> {
    let v = row.get(name)?;
    if row.text_source {
        if let Node::Str(s) = v {
            if let Ok(parsed @ (Node::Array(_) | Node::Object(_))) =
                json::parse(s.trim().as_bytes())
            {
                return Some(Cow::Owned(parsed.into_owned()));
            }
        }
    }
    Some(Cow::Borrowed(v))
}

/// Percent-encodes everything but RFC 3986 unreserved characters, so a host
/// id cannot break out of its path segment.
fn path_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The tz country of a phone region: libphonenumber has three regions that
/// the tz tables file under another ISO code; `None` for non-geographic
/// numbers, which match any zone.
fn tz_country(region: &str) -> Option<&str> {
    match region {
        "001" => None,
        "AC" | "TA" => Some("SH"),
        "XK" => Some("RS"),
        other => Some(other),
    }
}

/// A value for a message: back-quoted, cut after 40 characters.
fn quoted(s: &str) -> String {
    match s.char_indices().nth(40) {
        Some((cut, _)) => format!("`{}…`", &s[..cut]),
        None => format!("`{s}`"),
    }
}

/// One valid number of a record.
#[derive(Debug, Clone)]
struct PhoneSlot {
    /// Where it was sent, e.g. `phone_numbers.1.phone_number`.
    field: String,
    phone: ValidPhone,
    /// Its `phone_type`, when that is valid.
    label: Option<&'static str>,
}

/// The checked fields of one record, before any batch or store context.
#[derive(Debug, Clone, Default)]
struct Checked {
    /// Errors visible on the record alone, in the API's order.
    errors: Vec<FieldError>,
    /// Its valid numbers in the order sent; the first is the primary one.
    phones: Vec<PhoneSlot>,
    /// The trimmed external provider/id pair, when both are valid.
    external: Option<(String, String)>,
    /// The record as the response shows it, without `errors`.
    echo: Object,
    /// The canonical form (meaningful when `errors` is empty).
    contact: Contact,
}

/// Reads the `phone_number` member of `row` (an entry of `phone_numbers`,
/// or the record for the deprecated form). Returns the valid number and the
/// echo: E.164 when valid, as sent otherwise.
fn check_number(
    rules: &Rules,
    row: Row<'_, '_>,
    field: &str,
    default: PhoneDefault,
    errors: &mut Errors,
) -> (Option<ValidPhone>, Option<Node<'static>>) {
    let limit = rules.config.limits.record_list.phone_chars;
    match row.text("phone_number", limit) {
        Ok(None) => {
            errors.add(
                Code::PhoneNumberMissing,
                field,
                format!("{field} is required."),
            );
            (None, raw(row, "phone_number"))
        }
        Ok(Some(text)) => match rules.phones.normalize(sent(row, "phone_number"), default) {
            Ok(p) => {
                let echo = Node::from(p.e164.clone());
                (Some(p), Some(echo))
            }
            Err(e) => {
                errors.add(
                    Code::PhoneNumberInvalid,
                    field,
                    format!("{field} `{text}` is not a valid phone number: {e}."),
                );
                (None, raw(row, "phone_number"))
            }
        },
        Err(p) => {
            errors.add(
                Code::PhoneNumberInvalid,
                field,
                describe(field, p, row.get("phone_number")),
            );
            (None, raw(row, "phone_number"))
        }
    }
}

/// `phone_numbers` and the deprecated `phone_number`: fills `phones` with
/// the valid numbers and returns the echo of both members (`phone_number`
/// only when it was sent).
fn check_phones(
    rules: &Rules,
    row: Row<'_, '_>,
    default: PhoneDefault,
    errors: &mut Errors,
    phones: &mut Vec<PhoneSlot>,
) -> (Option<Node<'static>>, Node<'static>) {
    let list = structured(row, "phone_numbers").filter(|v| !v.is_null());
    let legacy_sent = row.get("phone_number").is_some_and(|v| !v.is_null());
    match list.as_deref() {
        Some(Node::Array(items)) if !items.is_empty() => {
            let list_echo = check_entries(rules, row.text_source, items, default, errors, phones);
            let legacy_echo =
                legacy_sent.then(|| check_legacy_beside(rules, row, default, errors, phones));
            (legacy_echo, list_echo)
        }
        Some(Node::Array(_)) | None => {
            if !legacy_sent {
                errors.add(
                    Code::PhoneNumberMissing,
                    "phone_numbers",
                    "phone_numbers is required: send 1 or more {phone_number, phone_type} entries."
                        .to_owned(),
                );
                return (raw(row, "phone_number"), Node::Array(Vec::new()));
            }
            let (phone, echo) = check_number(rules, row, "phone_number", default, errors);
            let entries = match phone {
                Some(phone) => {
                    let entry = entry_echo(Node::from(phone.e164.clone()), LEGACY_PHONE_TYPE);
                    phones.push(PhoneSlot {
                        field: "phone_number".to_owned(),
                        phone,
                        label: Some(LEGACY_PHONE_TYPE),
                    });
                    vec![entry]
                }
                None => Vec::new(),
            };
            (echo, Node::Array(entries))
        }
        Some(other) => {
            errors.add(
                Code::PhoneNumberInvalid,
                "phone_numbers",
                format!(
                    "phone_numbers must be an array of {{phone_number, phone_type}} objects, not {}.",
                    other.kind()
                ),
            );
            (raw(row, "phone_number"), other.to_owned_node())
        }
    }
}

fn entry_echo(number: Node<'static>, phone_type: &str) -> Node<'static> {
    let mut m = Object::new();
    m.insert("phone_number".to_owned(), number);
    m.insert(
        "phone_type".to_owned(),
        Node::from(phone_type.to_owned()),
    );
    Node::from(m)
}

/// The entries of a non-empty `phone_numbers`; returns their echo.
fn check_entries(
    rules: &Rules,
    text_source: bool,
    items: &[Node<'_>],
    default: PhoneDefault,
    errors: &mut Errors,
    phones: &mut Vec<PhoneSlot>,
) -> Node<'static> {
    let max = rules.config.limits.record_list.phones;
    if items.len() > max {
        errors.add(
            Code::PhoneNumberInvalid,
            "phone_numbers",
            format!(
                "phone_numbers has {} entries; at most {max} are allowed.",
                items.len()
            ),
        );
        return Node::Array(items.iter().map(Node::to_owned_node).collect());
    }
    let mut types: Vec<&'static str> = Vec::with_capacity(items.len());
    let mut echo = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        if item.as_object().is_none() {
            let field = format!("phone_numbers.{i}");
            errors.add(
                Code::PhoneNumberInvalid,
                &field,
                format!(
                    "{field} must be an object with phone_number and phone_type, not {}.",
                    item.kind()
                ),
            );
            echo.push(item.to_owned_node());
            continue;
        }
        let entry = Row::new(item, text_source);
        let field = format!("phone_numbers.{i}.phone_number");
        let (phone, number_echo) = check_number(rules, entry, &field, default, errors);
        let type_field = format!("phone_numbers.{i}.phone_type");
        let mut label = None;
        let type_echo = match entry.get("phone_type") {
            None | Some(Node::Null) => {
                errors.add(
                    Code::PhoneNumberInvalid,
                    &type_field,
                    format!(
                        "{type_field} is required: one of {}.",
                        PHONE_TYPES.join(", ")
                    ),
                );
                raw(entry, "phone_type")
            }
            Some(Node::Str(s)) => match PHONE_TYPES.iter().find(|t| **t == s.trim()) {
                Some(&t) if types.contains(&t) => {
                    errors.add(
                        Code::PhoneNumberInvalid,
                        &type_field,
                        format!("{type_field} {t} is used by an earlier entry of the record; each type may appear once."),
                    );
                    Some(Node::from(t.to_owned()))
                }
                Some(&t) => {
                    types.push(t);
                    label = Some(t);
                    Some(Node::from(t.to_owned()))
                }
                None => {
                    errors.add(
                        Code::PhoneNumberInvalid,
                        &type_field,
                        format!(
                            "{type_field} {} is not one of {}.",
                            quoted(s),
                            PHONE_TYPES.join(", ")
                        ),
                    );
                    raw(entry, "phone_type")
                }
            },
            Some(v) => {
                errors.add(
                    Code::PhoneNumberInvalid,
                    &type_field,
                    describe(&type_field, Problem::WrongType("string"), Some(v)),
                );
                raw(entry, "phone_type")
            }
        };
        let mut m = Object::new();
        if let Some(v) = number_echo {
            m.insert("phone_number".to_owned(), v);
        }
        if let Some(v) = type_echo {
            m.insert("phone_type".to_owned(), v);
        }
        echo.push(Node::from(m));
        if let Some(phone) = phone {
            phones.push(PhoneSlot {
                field,
                phone,
                label,
            });
        }
    }
    let mut seen = FirstWins::new();
    for (j, slot) in phones.iter().enumerate() {
        if let Some(first) = seen.claim(slot.phone.key(), j) {
            errors.add(
                Code::PhoneNumberNotUnique,
                &slot.field,
                format!(
                    "{} {} repeats {} of the same record.",
                    slot.field, slot.phone.e164, phones[first].field
                ),
            );
        }
    }
    Node::Array(echo)
}

/// The deprecated `phone_number` sent beside a non-empty `phone_numbers`:
/// it must be one of the list's numbers. Returns its echo.
fn check_legacy_beside(
    rules: &Rules,
    row: Row<'_, '_>,
    default: PhoneDefault,
    errors: &mut Errors,
    phones: &[PhoneSlot],
) -> Node<'static> {
    let limit = rules.config.limits.record_list.phone_chars;
    let raw_echo = || raw(row, "phone_number").unwrap_or(Node::Null);
    match row.text("phone_number", limit) {
        Ok(None) => raw_echo(),
        Ok(Some(text)) => match rules.phones.normalize(sent(row, "phone_number"), default) {
            Ok(p) => {
                if !phones.iter().any(|s| s.phone.key() == p.key()) {
                    errors.add(
                        Code::PhoneNumberInvalid,
                        "phone_number",
                        format!(
                            "phone_number {} is not one of phone_numbers; send the numbers in phone_numbers only.",
                            p.e164
                        ),
                    );
                }
                Node::from(p.e164)
            }
            Err(e) => {
                errors.add(
                    Code::PhoneNumberInvalid,
                    "phone_number",
                    format!("phone_number `{text}` is not a valid phone number: {e}."),
                );
                raw_echo()
            }
        },
        Err(p) => {
            errors.add(
                Code::PhoneNumberInvalid,
                "phone_number",
                describe("phone_number", p, row.get("phone_number")),
            );
            raw_echo()
        }
    }
}

/// The text of a string member as sent (before cleaning): the phone module
/// cleans a number itself and counts libphonenumber's 250 characters on it.
fn sent<'r>(row: Row<'r, '_>, name: &str) -> &'r str {
    match row.get(name) {
        Some(Node::Str(s)) => s,
        _ => "",
    }
}

/// `first_name` / `last_name`: required text.
fn check_name(
    row: Row<'_, '_>,
    name: &str,
    max: usize,
    (missing, invalid): (Code, Code),
    errors: &mut Errors,
    echo: &mut Object,
) -> Option<String> {
    match row.required_text(name, max) {
        Ok(s) => {
            let s = s.into_owned();
            echo.insert(name.to_owned(), Node::from(s.clone()));
            Some(s)
        }
        Err(p) => {
            let code = if p == Problem::Missing {
                missing
            } else {
                invalid
            };
            errors.add(code, name, describe(name, p, row.get(name)));
            if let Some(v) = raw(row, name) {
                echo.insert(name.to_owned(), v);
            }
            None
        }
    }
}

/// `timezone`: an IANA name, matching the country of the first valid number.
fn check_timezone(
    rules: &Rules,
    row: Row<'_, '_>,
    phones: &[PhoneSlot],
    errors: &mut Errors,
    echo: &mut Object,
) -> Option<String> {
    let result = row.text("timezone", rules.config.limits.record_list.timezone);
    let zone = match result {
        Ok(Some(tz)) => tz,
        Ok(None) => {
            if rules.config.record_list.require_timezone {
                errors.add(
                    Code::TimezoneMissing,
                    "timezone",
                    "timezone is required: an IANA time zone name such as Europe/Lisbon."
                        .to_owned(),
                );
            }
            if row.node.get("timezone").is_some() {
                echo.insert("timezone".to_owned(), Node::Null);
            }
            return None;
        }
        Err(p) => {
            errors.add(
                Code::TimezoneInvalid,
                "timezone",
                describe("timezone", p, row.get("timezone")),
            );
            if let Some(v) = raw(row, "timezone") {
                echo.insert("timezone".to_owned(), v);
            }
            return None;
        }
    };
    match zone_countries(&zone) {
        ZoneCountries::Unknown => {
            errors.add(
                Code::TimezoneInvalid,
                "timezone",
                format!(
                    "timezone `{zone}` is not a zone name of the IANA tz database {TZDATA_VERSION} (such as Europe/Lisbon or UTC)."
                ),
            );
            if let Some(v) = raw(row, "timezone") {
                echo.insert("timezone".to_owned(), v);
            }
            return None;
        }
        ZoneCountries::NonGeographic => {}
        ZoneCountries::Countries(countries) => {
            let first = phones.first().and_then(|slot| {
                let country = slot.phone.region.as_deref().and_then(tz_country)?;
                Some((slot, country))
            });
            if let Some((slot, country)) = first {
                if !countries.contains(&country) {
                    errors.add(
                        Code::TimezoneUnmatched,
                        "timezone",
                        format!(
                            "timezone {zone} is not a time zone of {country}, the country of {} {}.",
                            slot.field, slot.phone.e164
                        ),
                    );
                }
            }
        }
    }
    let zone = zone.into_owned();
    echo.insert("timezone".to_owned(), Node::from(zone.clone()));
    Some(zone)
}

/// `priority`: an integer in 1..=10.
fn check_priority(
    row: Row<'_, '_>,
    errors: &mut Errors,
    echo: &mut Object,
) -> Option<i64> {
    match row.int("priority", 1, 10) {
        Ok(v) => {
            if let Some(n) = v {
                echo.insert("priority".to_owned(), Node::from(n));
            } else if row.node.get("priority").is_some() {
                echo.insert("priority".to_owned(), Node::Null);
            }
            v
        }
        Err(p) => {
            let sent = match (p, row.get("priority")) {
                (Problem::WrongType(_), Some(v)) => v.kind().to_owned(),
                (_, Some(v)) => v.to_json(),
                (_, None) => "absent".to_owned(),
            };
            errors.add(
                Code::PriorityInvalid,
                "priority",
                format!("priority must be an integer from 1 to 10, not {sent}."),
            );
            if let Some(v) = raw(row, "priority") {
                echo.insert("priority".to_owned(), v);
            }
            None
        }
    }
}

/// `extra_data`: an object, kept as sent (member order included).
fn check_extra_data(
    row: Row<'_, '_>,
    errors: &mut Errors,
    echo: &mut Object,
) -> Object {
    let Some(v) = structured(row, "extra_data") else {
        return Object::new();
    };
    match v.as_object() {
        Some(members) => {
            let map: Object = members
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_owned_node()))
                .collect();
            echo.insert("extra_data".to_owned(), Node::from(map.clone()));
            map
        }
        None if v.is_null() => {
            echo.insert("extra_data".to_owned(), Node::Null);
            Object::new()
        }
        None => {
            errors.add(
                Code::Other,
                "extra_data",
                describe("extra_data", Problem::WrongType("object"), Some(&v)),
            );
            if let Some(raw) = raw(row, "extra_data") {
                echo.insert("extra_data".to_owned(), raw);
            }
            Object::new()
        }
    }
}

/// `external_provider`, `external_id`, `external_url`: optional text; any
/// problem is `OTHER`. `Err(())` when the value is unusable.
fn check_external_text(
    row: Row<'_, '_>,
    name: &str,
    max: usize,
    errors: &mut Errors,
    echo: &mut Object,
) -> Result<Option<String>, ()> {
    match row.text(name, max) {
        Ok(v) => {
            let v = v.map(Cow::into_owned);
            if let Some(s) = &v {
                echo.insert(name.to_owned(), Node::from(s.clone()));
            } else if row.node.get(name).is_some() {
                echo.insert(name.to_owned(), Node::Null);
            }
            Ok(v)
        }
        Err(p) => {
            errors.add(Code::Other, name, describe(name, p, row.get(name)));
            if let Some(v) = raw(row, name) {
                echo.insert(name.to_owned(), v);
            }
            Err(())
        }
    }
}

/// `sync_external_id`: a JSON boolean (or its text form from a text source).
fn check_sync(row: Row<'_, '_>, errors: &mut Errors, echo: &mut Object) {
    const NAME: &str = "sync_external_id";
    let value = match row.get(NAME) {
        None => return,
        Some(Node::Null) => Some(Node::Null),
        Some(Node::Bool(b)) => Some(Node::Bool(*b)),
        Some(v) if row.text_source => fields::as_bool(v, true).map(Node::Bool),
        Some(_) => None,
    };
    match value {
        Some(v) => {
            echo.insert(NAME.to_owned(), v);
        }
        None => {
            errors.add(
                Code::Other,
                NAME,
                describe(NAME, Problem::WrongType("boolean"), row.get(NAME)),
            );
            if let Some(v) = raw(row, NAME) {
                echo.insert(NAME.to_owned(), v);
            }
        }
    }
}

/// Every rule that needs neither the rest of the batch nor the store.
fn check_record(rules: &Rules, row: Row<'_, '_>, default: PhoneDefault) -> Checked {
    let limits = &rules.config.limits;
    let mut errors = Errors::default();
    let mut c = Checked::default();

    let (legacy_echo, list_echo) = check_phones(rules, row, default, &mut errors, &mut c.phones);
    if let Some(v) = legacy_echo {
        c.echo.insert("phone_number".to_owned(), v);
    }
    c.echo.insert("phone_numbers".to_owned(), list_echo);

    let first = (Code::FirstNameMissing, Code::FirstNameInvalid);
    let last = (Code::LastNameMissing, Code::LastNameInvalid);
    c.contact.first_name = check_name(
        row,
        "first_name",
        limits.record_list.name,
        first,
        &mut errors,
        &mut c.echo,
    );
    c.contact.last_name = check_name(
        row,
        "last_name",
        limits.record_list.name,
        last,
        &mut errors,
        &mut c.echo,
    );
    c.contact.timezone = check_timezone(rules, row, &c.phones, &mut errors, &mut c.echo);
    c.contact.priority = check_priority(row, &mut errors, &mut c.echo);
    c.contact.custom_fields = check_extra_data(row, &mut errors, &mut c.echo);

    let max = limits.record_list.external;
    let provider = check_external_text(row, "external_provider", max, &mut errors, &mut c.echo);
    let id = check_external_text(row, "external_id", max, &mut errors, &mut c.echo);
    // Only checked and echoed; the canonical contact has no place for it.
    let _ = check_external_text(row, "external_url", max, &mut errors, &mut c.echo);
    check_sync(row, &mut errors, &mut c.echo);
    match (provider, id) {
        (Ok(Some(provider)), Ok(Some(id))) => {
            c.contact.external_ref = Some(ExternalRef {
                provider: provider.clone(),
                id: id.clone(),
            });
            c.external = Some((provider, id));
        }
        (Ok(Some(_)), Ok(None)) => errors.add(
            Code::ExternalRefMissing,
            "external_id",
            "external_id is required when external_provider is given.".to_owned(),
        ),
        (Ok(None), Ok(Some(_))) => errors.add(
            Code::ExternalRefMissing,
            "external_provider",
            "external_provider is required when external_id is given.".to_owned(),
        ),
        _ => {}
    }

    c.contact.phones = c
        .phones
        .iter()
        .map(|slot| ContactPhone {
            e164: slot.phone.e164.clone(),
            label: slot.label.map(str::to_owned),
            region: slot.phone.region.clone(),
            number_type: slot.phone.number_type,
            extension: slot.phone.extension.clone(),
        })
        .collect();
    c.errors = errors.finish();
    c
}

/// Import: one record with the rules that need no batch or store context.
fn check_row(rules: &Rules, row: Row<'_, '_>, default: PhoneDefault) -> RowCheck {
    let c = check_record(rules, row, default);
    RowCheck {
        key: c
            .phones
            .first()
            .filter(|_| c.errors.is_empty())
            .map(|slot| slot.phone.key()),
        errors: c.errors,
        contact: c.contact,
    }
}

#[derive(Serialize)]
struct RequestErrorBody<'a> {
    code: &'static str,
    message: &'a str,
    description: &'static str,
    fields: Vec<RequestErrorField<'a>>,
}

#[derive(Serialize)]
struct RequestErrorField<'a> {
    name: &'a str,
    description: &'a str,
}

/// 400 `INVALID_REQUEST`, one `fields` entry per offending member.
fn request_error(message: &str, fields: &[(String, String)]) -> Response {
    Response::json(
        400,
        &RequestErrorBody {
            code: "INVALID_REQUEST",
            message,
            description: "The request body does not match the schema of Create Multiple Records; no record was created.",
            fields: fields
                .iter()
                .map(|(name, description)| RequestErrorField { name, description })
                .collect(),
        },
    )
}

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
    ) -> Result<Batch, Response> {
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
fn prepare(rules: &Rules, root: &Node<'_>, batch_len: Option<usize>) -> Result<Batch, Response> {
    let limit = rules.config.batch_limit();
    let refuse =
        |message: String| request_error(&message, &[("records".to_owned(), message.clone())]);
    let items = match root.get("records") {
        None | Some(Node::Null) => {
            return Err(refuse(format!(
                "The request body must have a records array of 1 to {limit} records."
            )))
        }
        Some(Node::Array(items)) if items.is_empty() => {
            return Err(refuse(format!(
                "records is empty; send 1 to {limit} records."
            )))
        }
        Some(Node::Array(items)) if items.len() > limit => {
            return Err(refuse(format!(
                "records has {} records; at most {limit} are accepted in one request.",
                batch_len.unwrap_or(items.len())
            )))
        }
        Some(Node::Array(items)) => items,
        Some(other) => {
            return Err(refuse(format!(
                "records must be an array of record objects, not {}.",
                other.kind()
            )))
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
        [(_, only)] => return Err(request_error(only, &problems)),
        _ => {
            let message = format!(
                "{} records are not objects; every record must be a JSON object.",
                problems.len()
            );
            return Err(request_error(&message, &problems));
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

#[derive(Serialize)]
struct CreatedBody<'a> {
    record_list_id: Option<&'a str>,
    has_error: bool,
    total_errors: usize,
    total_created: usize,
    #[serde(rename = "_links", skip_serializing_if = "Option::is_none")]
    links: Option<Links>,
    #[serde(rename = "_embedded")]
    embedded: Embedded<'a>,
}

#[derive(Serialize)]
struct Links {
    #[serde(rename = "self")]
    this: Href,
    record_list: Href,
}

#[derive(Serialize)]
struct Href {
    href: String,
}

#[derive(Serialize)]
struct Embedded<'a> {
    records: crate::par::RenderedRows<ShownRecord<'a>>,
}

/// One record as the response shows it: `record_list_id` (when the host
/// gave one), the members it sent, normalized, then its error codes. Written
/// from the checked record without copying its echo.
struct ShownRecord<'a> {
    record_list_id: Option<&'a str>,
    echo: &'a Object,
    errors: Vec<&'static str>,
}

impl Serialize for ShownRecord<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        // The echo holds the API's record fields only, never these two
        // names, so each appears once, where the API puts it.
        debug_assert!(!self.echo.contains_key("record_list_id"));
        debug_assert!(!self.echo.contains_key("errors"));
        let mut map = s.serialize_map(None)?;
        if let Some(id) = self.record_list_id {
            map.serialize_entry("record_list_id", id)?;
        }
        for (k, v) in self.echo {
            map.serialize_entry(k, v)?;
        }
        map.serialize_entry("errors", &self.errors)?;
        map.end()
    }
}

/// Store conflicts of a candidate record: its errors and the stored id of
/// its first phone found in the store.
fn store_conflicts(c: &Checked, existing: &Existing) -> (Vec<FieldError>, Option<Node<'static>>) {
    let mut errors = Errors::default();
    let mut stored_id = None;
    for slot in &c.phones {
        if let Some(id) = existing.phone(slot.phone.key()) {
            if stored_id.is_none() {
                stored_id = Some(id.clone());
                errors.add(
                    Code::PhoneNumberNotUnique,
                    &slot.field,
                    format!(
                        "{} {} is already in the record list.",
                        slot.field, slot.phone.e164
                    ),
                );
            }
        }
    }
    if let Some((provider, id)) = &c.external {
        if existing.has_external_ref(provider, id) {
            errors.add(
                Code::ExternalIdAndProviderNotUnique,
                "external_id",
                format!(
                    "external_provider {} with external_id {} is already in the record list.",
                    quoted(provider),
                    quoted(id)
                ),
            );
        }
    }
    (errors.finish(), stored_id)
}

impl ApiBatch for Batch {
    /// Frees the batch, its rows spread over `pool`.
    fn release(self, pool: Option<&rayon::ThreadPool>) {
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
                errors: out.errors.iter().map(|e| e.code).collect(),
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
        let codes: Vec<&str> = list.iter().map(|e| e.code).collect();
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
