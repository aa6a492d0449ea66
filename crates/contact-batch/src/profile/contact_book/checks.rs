//! The contact-book field checks: `defaultCountryCode`, the `contacts`
//! array, each contact's fields and its `customFields`.

use crate::request_error::RequestErrorKind;
use std::borrow::Cow;

use super::codes::*;
use crate::contact::{Contact, ContactPhone};
use crate::email::{validate_email, EmailError};
use crate::json::{self, Node};
use crate::object::Object;
use crate::outcome::FieldError;
use crate::phone::{PhoneDefault, ValidPhone};
use crate::profile::api::RowCheck;
use crate::profile::fields::Row;
use crate::rules::Rules;
use crate::text;

/// Reads `defaultCountryCode`: `Ok(None)` when absent, null or blank.
pub(super) fn default_country_code(rules: &Rules, root: &Node<'_>) -> Result<Option<u16>, String> {
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
pub(super) fn contacts<'r, 'a>(
    root: &'r Node<'a>,
    limit: usize,
    sent: Option<usize>,
) -> Result<&'r [Node<'a>], (RequestErrorKind, String)> {
    match root.get("contacts") {
        None | Some(Node::Null) => Err((
            RequestErrorKind::BatchMissing,
            format!("contacts is required: an array of 1 to {limit} contacts."),
        )),
        Some(Node::Array(items)) if items.is_empty() => Err((
            RequestErrorKind::BatchEmpty,
            format!("contacts is empty; send 1 to {limit} contacts."),
        )),
        Some(Node::Array(items)) if items.len() > limit => Err((
            RequestErrorKind::BatchTooLong,
            format!(
                "contacts has {} items; at most {limit} are allowed.",
                sent.unwrap_or(items.len())
            ),
        )),
        Some(Node::Array(items)) => Ok(items),
        Some(other) => Err((
            RequestErrorKind::BatchNotAnArray,
            format!(
                "contacts must be an array of contacts, not {}.",
                other.kind()
            ),
        )),
    }
}

/// A customFields problem: the member (`customFields`,
/// `customFields.city`) and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct CustomProblem {
    pub(super) path: String,
    pub(super) message: String,
}

pub(super) fn custom_problem(path: String, message: String) -> CustomProblem {
    CustomProblem { path, message }
}

/// Checks and normalizes `customFields`.
pub(super) fn custom_fields(
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
pub(super) struct Checked {
    /// In reason precedence order: the first one is the row's reason.
    pub(super) errors: Vec<FieldError>,
    pub(super) phone: Option<ValidPhone>,
    pub(super) contact: Contact,
}

impl Checked {
    pub(super) fn error(&mut self, field: &str, code: &'static str, message: String) {
        self.errors.push(FieldError {
            field: field.to_owned(),
            code: crate::outcome::ErrorCode::new(code),
            message,
        });
    }

    pub(super) fn is_valid(&self) -> bool {
        self.errors.is_empty() && self.phone.is_some()
    }
}

pub(super) fn check_phone(rules: &Rules, c: &mut Checked, row: Row<'_, '_>, default: PhoneDefault) {
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

pub(super) fn check_email(c: &mut Checked, row: Row<'_, '_>) {
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
    // The raw value: an address is trimmed, never reshaped (crate::email).
    match validate_email(raw) {
        Ok(e) => c.contact.email = Some(e.normalized),
        Err(EmailError::Empty) => {}
        Err(EmailError::ControlCharacter) => c.error(
            "email",
            INVALID_EMAIL,
            "email contains a control character.".to_owned(),
        ),
        Err(e) => c.error(
            "email",
            INVALID_EMAIL,
            format!("email is not a valid email address: {e}."),
        ),
    }
}

pub(super) fn check_text(
    c: &mut Checked,
    row: Row<'_, '_>,
    name: &str,
    max: usize,
) -> Option<String> {
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
pub(super) fn check_fields(rules: &Rules, row: Row<'_, '_>, default: PhoneDefault) -> Checked {
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
pub(super) fn check_row(rules: &Rules, row: Row<'_, '_>, default: PhoneDefault) -> RowCheck {
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
