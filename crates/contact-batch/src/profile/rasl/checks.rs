//! The rasl profiles' field checks: a contact read onto the canonical model
//! and the members its response echoes.

use std::borrow::Cow;

use serde::Serialize;

use super::codes::*;
use crate::contact::{Contact, ContactPhone};
use crate::email::validate_email;
use crate::json::Node;
use crate::outcome::{ErrorCode, FieldError};
use crate::phone::{PhoneDefault, ValidPhone};
use crate::profile::api::RowCheck;
use crate::profile::fields::{Problem, Row};
use crate::rules::Rules;

/// Whether absent fields get their create-time defaults or stay untouched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    Create,
    Update,
    /// Create rules for a streaming import, which needs the typed contact
    /// only: the rendered members are not built.
    Import,
}

/// The checked fields of one contact row.
#[derive(Debug, Clone, Default)]
pub(super) struct Checked {
    pub(super) errors: Vec<FieldError>,
    /// Normalized members in the API's field order: every field for create
    /// (null when absent), only the fields sent for update (null clears).
    pub(super) values: Values,
    pub(super) phone: Option<ValidPhone>,
    pub(super) contact: Contact,
    /// False for imports: `values` stays empty.
    pub(super) keep_values: bool,
}

impl Checked {
    /// Records a normalized member for the response. `value` is only called
    /// when the response needs it: imports skip building the members
    /// altogether.
    pub(super) fn set(&mut self, name: &'static str, value: impl FnOnce() -> Member) {
        if self.keep_values {
            self.values.set(name, value());
        }
    }

    /// The members as a JSON object, text read from the row's contact.
    pub(super) fn members(&self) -> Members<'_> {
        Members {
            values: &self.values,
            contact: &self.contact,
        }
    }
}

/// The value of one response member. Text members name the field of the
/// row's [`Contact`] that holds the normalized text, so a row keeps one copy
/// of each value, not two.
#[derive(Debug, Clone)]
pub(super) enum Member {
    Null,
    /// A fixed word (`lead`, `customer`).
    Word(&'static str),
    Int(i64),
    Ints(Vec<i64>),
    Text(TextField),
}

/// A text field of [`Contact`], as the rasl profiles fill it.
#[derive(Debug, Clone, Copy)]
pub(super) enum TextField {
    FirstName,
    LastName,
    Phone,
    Email,
    Company,
    Description,
    City,
    State,
    Zip,
    Address,
}

impl TextField {
    /// `description` and `address` keep their line breaks and tabs; every
    /// other text field is single-line (see [`crate::text`]).
    pub(super) fn is_multiline(self) -> bool {
        matches!(self, TextField::Description | TextField::Address)
    }

    pub(super) fn of(self, c: &Contact) -> Option<&str> {
        match self {
            TextField::FirstName => c.first_name.as_deref(),
            TextField::LastName => c.last_name.as_deref(),
            TextField::Phone => c.phones.first().map(|p| p.e164.as_str()),
            TextField::Email => c.email.as_deref(),
            TextField::Company => c.company.as_deref(),
            TextField::Description => c.description.as_deref(),
            TextField::City => c.city.as_deref(),
            TextField::State => c.state.as_deref(),
            TextField::Zip => c.zip.as_deref(),
            TextField::Address => c.address.as_deref(),
        }
    }
}

impl Member {
    pub(super) fn to_value(&self, contact: &Contact) -> Node<'static> {
        match self {
            Member::Null => Node::Null,
            Member::Word(w) => Node::Str(Cow::Borrowed(w)),
            Member::Int(n) => Node::from(*n),
            Member::Ints(ns) => Node::Array(ns.iter().map(|n| Node::from(*n)).collect()),
            Member::Text(f) => f.of(contact).map_or(Node::Null, Node::from),
        }
    }
}

/// A row's normalized members, in insertion order. Field names are the
/// API's own (static); a row has at most a dozen, so a vector with linear
/// lookup beats a map with owned keys.
#[derive(Debug, Clone, Default)]
pub(super) struct Values(Vec<(&'static str, Member)>);

impl Values {
    /// Sets `name`, keeping its place when it is already set.
    pub(super) fn set(&mut self, name: &'static str, value: Member) {
        match self.0.iter_mut().find(|(k, _)| *k == name) {
            Some((_, slot)) => *slot = value,
            None => self.0.push((name, value)),
        }
    }

    /// Moves `name` (when set) to the end.
    pub(super) fn move_to_end(&mut self, name: &str) {
        if let Some(at) = self.0.iter().position(|(k, _)| *k == name) {
            let member = self.0.remove(at);
            self.0.push(member);
        }
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = (&'static str, &Member)> {
        self.0.iter().map(|(k, v)| (*k, v))
    }
}

/// A row's members with the contact their text lives in: the JSON object.
pub(super) struct Members<'a> {
    pub(super) values: &'a Values,
    pub(super) contact: &'a Contact,
}

impl Serialize for Members<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.values.0.len()))?;
        for (name, member) in self.values.iter() {
            match member {
                Member::Null => map.serialize_entry(name, &())?,
                Member::Word(w) => map.serialize_entry(name, w)?,
                Member::Int(n) => map.serialize_entry(name, n)?,
                Member::Ints(ns) => map.serialize_entry(name, ns)?,
                Member::Text(f) => map.serialize_entry(name, &f.of(self.contact))?,
            }
        }
        map.end()
    }
}

pub(super) fn check_fields(
    rules: &Rules,
    row: Row<'_, '_>,
    default: PhoneDefault,
    mode: Mode,
) -> Checked {
    let limits = &rules.config.limits;
    let keep_values = mode != Mode::Import;
    let mut c = Checked {
        keep_values,
        // Room for every member a row can have: one allocation.
        values: Values(Vec::with_capacity(if keep_values {
            ROW_FIELDS.len()
        } else {
            0
        })),
        ..Checked::default()
    };
    let present = |name: &str| mode != Mode::Update || row.has(name);

    // The value goes to the contact; the response member points at it.
    let text = |c: &mut Checked,
                name: &'static str,
                field: TextField,
                max: usize,
                required: bool|
     -> Option<String> {
        if !present(name) {
            return None;
        }
        let result = if required {
            row.required_text(name, max).map(Some)
        } else if field.is_multiline() {
            row.multiline_text(name, max)
        } else {
            row.text(name, max)
        };
        match result {
            Ok(v) => {
                c.set(name, || {
                    v.as_ref().map_or(Member::Null, |_| Member::Text(field))
                });
                v.map(Cow::into_owned)
            }
            Err(p) => {
                c.errors.push(field_error(name, p));
                None
            }
        }
    };

    c.contact.first_name = text(
        &mut c,
        "firstname",
        TextField::FirstName,
        limits.rasl.text,
        true,
    );
    c.contact.last_name = text(
        &mut c,
        "lastname",
        TextField::LastName,
        limits.rasl.text,
        false,
    );

    if present("phone") {
        // The phone module cleans the text itself (the same rule as the
        // single-value call) and counts libphonenumber's 250 characters on
        // the text as sent.
        match row.required_raw("phone") {
            Ok(raw) => match rules.phones.normalize(raw, default) {
                Ok(p) => {
                    c.set("phone", || Member::Text(TextField::Phone));
                    c.contact.phones.push(ContactPhone::from_valid(&p, None));
                    c.phone = Some(p);
                }
                Err(e) => c.errors.push(FieldError {
                    field: "phone".to_owned(),
                    code: ErrorCode::new("phone"),
                    message: format!("The phone field must be a valid phone number ({e})."),
                }),
            },
            Err(p) => c.errors.push(field_error("phone", p)),
        }
    }

    match row.get("type") {
        None | Some(Node::Null) => {
            if mode != Mode::Update {
                c.set("type", || Member::Word("lead"));
            }
        }
        Some(Node::Str(s)) if CONTACT_TYPES.contains(&s.trim()) => {
            let word = CONTACT_TYPES
                .into_iter()
                .find(|t| *t == s.trim())
                .unwrap_or(CONTACT_TYPES[0]);
            c.set("type", || Member::Word(word));
        }
        Some(_) => c.errors.push(FieldError {
            field: "type".to_owned(),
            code: ErrorCode::new("in"),
            message: "The selected type is invalid.".to_owned(),
        }),
    }

    for name in ID_FIELDS {
        if !present(name) {
            continue;
        }
        match row.int(name, 1, i64::MAX) {
            Ok(v) => {
                c.set(name, || v.map_or(Member::Null, Member::Int));
            }
            Err(p) => c.errors.push(field_error(name, p)),
        }
    }

    if present("email") {
        match row.text("email", usize::MAX) {
            Ok(None) => {
                c.set("email", || Member::Null);
            }
            Ok(Some(raw)) => match validate_email(&raw) {
                Ok(e) => {
                    c.set("email", || Member::Text(TextField::Email));
                    c.contact.email = Some(e.normalized);
                }
                Err(_) => c.errors.push(FieldError {
                    field: "email".to_owned(),
                    code: ErrorCode::new("email"),
                    message: "The email field must be a valid email address.".to_owned(),
                }),
            },
            Err(Problem::Control) | Err(Problem::TooLong(_)) => c.errors.push(FieldError {
                field: "email".to_owned(),
                code: ErrorCode::new("email"),
                message: "The email field must be a valid email address.".to_owned(),
            }),
            Err(p) => c.errors.push(field_error("email", p)),
        }
    }

    c.contact.company = text(
        &mut c,
        "company",
        TextField::Company,
        limits.rasl.text,
        false,
    );
    c.contact.description = text(
        &mut c,
        "description",
        TextField::Description,
        limits.rasl.description,
        false,
    );
    c.contact.city = text(&mut c, "city", TextField::City, limits.rasl.text, false);
    c.contact.state = text(&mut c, "state", TextField::State, limits.rasl.text, false);
    c.contact.zip = text(&mut c, "zip", TextField::Zip, limits.rasl.zip, false);
    c.contact.address = text(
        &mut c,
        "address",
        TextField::Address,
        limits.rasl.text,
        false,
    );

    // country_id and assigned_id follow address in the API's field order.
    for name in ["country_id", "assigned_id"] {
        c.values.move_to_end(name);
    }

    if row.has("groups") {
        check_groups(&mut c, row, limits.rasl.groups);
    }
    c
}

pub(super) fn check_groups(c: &mut Checked, row: Row<'_, '_>, max: usize) {
    match row.get("groups") {
        None => {}
        Some(Node::Null) => {
            c.set("groups", || Member::Null);
        }
        Some(Node::Array(items)) => {
            if items.len() > max {
                c.errors.push(FieldError {
                    field: "groups".to_owned(),
                    code: ErrorCode::new("max"),
                    message: format!("The groups field must not have more than {max} items."),
                });
                return;
            }
            let mut ids: Vec<i64> = Vec::with_capacity(items.len());
            let mut ok = true;
            for (i, item) in items.iter().enumerate() {
                let field = format!("groups.{i}");
                match item.as_i64() {
                    Some(n) if n >= 1 => {
                        if !ids.contains(&n) {
                            ids.push(n);
                        }
                    }
                    Some(_) => {
                        ok = false;
                        c.errors.push(field_error(&field, Problem::TooSmall(1)));
                    }
                    None => {
                        ok = false;
                        c.errors
                            .push(field_error(&field, Problem::WrongType("integer")));
                    }
                }
            }
            if ok {
                c.set("groups", || Member::Ints(ids));
            }
        }
        Some(_) => c
            .errors
            .push(field_error("groups", Problem::WrongType("array"))),
    }
}

/// Import: one row with the create rules.
pub(super) fn check_row(rules: &Rules, row: Row<'_, '_>, default: PhoneDefault) -> RowCheck {
    let c = check_fields(rules, row, default, Mode::Import);
    RowCheck {
        key: c
            .phone
            .as_ref()
            .filter(|_| c.errors.is_empty())
            .map(ValidPhone::key),
        errors: c.errors,
        contact: c.contact,
    }
}
