//! record-list's field checks: a record read onto the canonical contact and
//! its echo, with its errors in the API's order.

use std::borrow::Cow;

use super::codes::*;
use super::timezone::check_zone;
use crate::contact::{Contact, ContactPhone, ExternalRef};
use crate::dedupe::FirstWins;
use crate::existing::Existing;
use crate::json::{self, Node};
use crate::object::Object;
use crate::outcome::FieldError;
use crate::phone::{PhoneDefault, ValidPhone};
use crate::profile::api::RowCheck;
use crate::profile::fields::{self, Problem, Row};
use crate::rules::Rules;

/// The member as sent, for the echo of an invalid value.
pub(super) fn raw(row: Row<'_, '_>, name: &str) -> Option<Node<'static>> {
    row.node.get(name).map(Node::to_owned_node)
}

/// A member that may hold JSON structure. From a text source (CSV) a cell
/// holding a JSON array or object is read as that value.
pub(super) fn structured<'r, 'a>(row: Row<'r, 'a>, name: &str) -> Option<Cow<'r, Node<'a>>> {
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
pub(super) fn path_segment(s: &str) -> String {
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

/// A value for a message: back-quoted, cut after 40 characters.
pub(super) fn quoted(s: &str) -> String {
    match s.char_indices().nth(40) {
        Some((cut, _)) => format!("`{}…`", &s[..cut]),
        None => format!("`{s}`"),
    }
}

/// One valid number of a record.
#[derive(Debug, Clone)]
pub(super) struct PhoneSlot {
    /// Where it was sent, e.g. `phone_numbers.1.phone_number`.
    pub(super) field: String,
    pub(super) phone: ValidPhone,
    /// Its `phone_type`, when that is valid.
    pub(super) label: Option<&'static str>,
}

/// The checked fields of one record, before any batch or store context.
#[derive(Debug, Clone, Default)]
pub(super) struct Checked {
    /// Errors visible on the record alone, in the API's order.
    pub(super) errors: Vec<FieldError>,
    /// Its valid numbers in the order sent; the first is the primary one.
    pub(super) phones: Vec<PhoneSlot>,
    /// The trimmed external provider/id pair, when both are valid.
    pub(super) external: Option<(String, String)>,
    /// The record as the response shows it, without `errors`.
    pub(super) echo: Object,
    /// The canonical form (meaningful when `errors` is empty).
    pub(super) contact: Contact,
}

/// Reads the `phone_number` member of `row` (an entry of `phone_numbers`,
/// or the record for the deprecated form). Returns the valid number and the
/// echo: E.164 when valid, as sent otherwise.
pub(super) fn check_number(
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
pub(super) fn check_phones(
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

pub(super) fn entry_echo(number: Node<'static>, phone_type: &str) -> Node<'static> {
    let mut m = Object::new();
    m.insert("phone_number".to_owned(), number);
    m.insert("phone_type".to_owned(), Node::from(phone_type.to_owned()));
    Node::from(m)
}

/// The entries of a non-empty `phone_numbers`; returns their echo.
pub(super) fn check_entries(
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
pub(super) fn check_legacy_beside(
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
pub(super) fn sent<'r>(row: Row<'r, '_>, name: &str) -> &'r str {
    match row.get(name) {
        Some(Node::Str(s)) => s,
        _ => "",
    }
}

/// `first_name` / `last_name`: required text.
pub(super) fn check_name(
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
pub(super) fn check_timezone(
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
    let first = phones.first().map(|slot| {
        (
            slot.field.as_str(),
            slot.phone.e164.as_str(),
            slot.phone.region.as_deref(),
        )
    });
    if let Err((code, message)) = check_zone(&zone, first) {
        errors.add(code, "timezone", message);
        if code == Code::TimezoneInvalid {
            if let Some(v) = raw(row, "timezone") {
                echo.insert("timezone".to_owned(), v);
            }
            return None;
        }
    }
    let zone = zone.into_owned();
    echo.insert("timezone".to_owned(), Node::from(zone.clone()));
    Some(zone)
}

/// `priority`: an integer in 1..=10.
pub(super) fn check_priority(
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
pub(super) fn check_extra_data(row: Row<'_, '_>, errors: &mut Errors, echo: &mut Object) -> Object {
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
pub(super) fn check_external_text(
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
pub(super) fn check_sync(row: Row<'_, '_>, errors: &mut Errors, echo: &mut Object) {
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
pub(super) fn check_record(rules: &Rules, row: Row<'_, '_>, default: PhoneDefault) -> Checked {
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
        .map(|slot| ContactPhone::from_valid(&slot.phone, slot.label.map(str::to_owned)))
        .collect();
    c.errors = errors.finish();
    c
}

/// Import: one record with the rules that need no batch or store context.
pub(super) fn check_row(rules: &Rules, row: Row<'_, '_>, default: PhoneDefault) -> RowCheck {
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

/// Store conflicts of a candidate record: its errors and the stored id of
/// its first phone found in the store.
pub(super) fn store_conflicts(
    c: &Checked,
    existing: &Existing,
) -> (Vec<FieldError>, Option<Node<'static>>) {
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
