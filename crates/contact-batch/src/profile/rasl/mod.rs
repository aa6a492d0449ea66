//! The rasl profiles: Batch Create Contacts, Batch Delete Contacts and
//! Update Contact (seeds 000–002), a Laravel API.
//!
//! Field errors use Laravel's wording and shape (`{"phone": ["The phone
//! field is required."]}`, attribute names with `_` shown as spaces).
//!
//! Decisions where the API documents are silent are listed in the public
//! documentation module [`crate::decisions`].

mod columns;
pub(crate) mod options;

use std::borrow::Cow;

use serde::Serialize;

use super::api::{Api, ApiBatch, RowCheck};
use super::fields::{Problem, Row};
use crate::columns::ImportColumns;
use crate::config::Config;
use crate::contact::{Contact, ContactPhone};
use crate::dedupe::FirstWins;
use crate::email::validate_email;
use crate::existing::Existing;
use crate::json::Node;
use crate::object::Object;
use crate::keys::LookupKeys;
use crate::outcome::{Action, FieldError, Outcome, RowOutcome, RowStatus, Summary};
use crate::par::{map_rows, render_rows, RenderedRows};
use crate::phone::{PhoneDefault, PhoneKey, ValidPhone};
use crate::response::Response;
use crate::rules::Rules;

const CONTACT_TYPES: [&str; 2] = ["lead", "customer"];
const ID_FIELDS: [&str; 4] = ["source_id", "status_id", "country_id", "assigned_id"];
/// Every field of a contact row, for the echoed `data` copies.
const ROW_FIELDS: [&str; 16] = [
    "firstname",
    "lastname",
    "phone",
    "type",
    "source_id",
    "status_id",
    "country_id",
    "assigned_id",
    "email",
    "company",
    "description",
    "city",
    "state",
    "zip",
    "address",
    "groups",
];

#[derive(Serialize)]
struct ErrorEnvelope<'a> {
    success: bool,
    error: ErrorBody<'a>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    code: &'a str,
    message: &'a str,
    details: Object,
}

fn envelope(status: u16, code: &str, message: &str, fields: &[(String, String)]) -> Response {
    let mut details = Object::new();
    for (field, msg) in fields {
        match details.get_or_insert_with(field.clone(), || Node::Array(Vec::new())) {
            Node::Array(list) => list.push(Node::from(msg.as_str())),
            _ => unreachable!("details members are arrays"),
        }
    }
    Response::json(
        status,
        &ErrorEnvelope {
            success: false,
            error: ErrorBody {
                code,
                message,
                details,
            },
        },
    )
}

/// 422 `VALIDATION_ERROR` with Laravel-style `details`.
fn request_error(message: &str, fields: &[(String, String)]) -> Response {
    envelope(422, "VALIDATION_ERROR", message, fields)
}

/// Laravel's summary message: the first error, and how many more there are.
fn laravel_message(fields: &[(String, String)]) -> String {
    match fields.len() {
        0 => "The given data was invalid.".to_owned(),
        1 => fields[0].1.clone(),
        2 => format!("{} (and 1 more error)", fields[0].1),
        n => format!("{} (and {} more errors)", fields[0].1, n - 1),
    }
}

/// Laravel's displayable name of an attribute validated on its own (one
/// row): `_` shown as a space (`source id`). Attributes of wildcard rules
/// (`groups.*`, `contacts.*.phone`) are shown as their full path, as is.
fn attr(field: &str) -> String {
    field.replace('_', " ")
}

/// The errors of a request validated as a whole (`continue_on_error:
/// false`), as Laravel reports them: each attribute named by its full path
/// (`contacts.3.source_id`, in the key and in the message), rule by rule in
/// the order of the rules (every contact's `firstname`, then every
/// contact's `lastname`, ...), contacts in order within a rule.
fn whole_request_details(failed: &[&RowOutcome]) -> Vec<(String, String)> {
    let mut details: Vec<(usize, usize, String, String)> = failed
        .iter()
        .flat_map(|o| {
            o.errors.iter().map(move |e| {
                let path = format!("contacts.{}.{}", o.index, e.field);
                let message = in_request(&e.message, &e.field, &path);
                (rule_rank(&e.field), o.index, path, message)
            })
        })
        .collect();
    // Stable: one attribute's messages keep their order.
    details.sort_by_key(|(rank, index, _, _)| (*rank, *index));
    details
        .into_iter()
        .map(|(_, _, path, message)| (path, message))
        .collect()
}

/// Where a field's rule comes in the rule list (`groups.*` right after
/// `groups`); unknown fields last.
fn rule_rank(field: &str) -> usize {
    let (base, nested) = match field.split_once('.') {
        Some((base, _)) => (base, 1),
        None => (field, 0),
    };
    ROW_FIELDS
        .iter()
        .position(|f| *f == base)
        .map_or(usize::MAX, |at| 2 * at + nested)
}

/// A row's message with its attribute renamed to `path`. Every rasl field
/// message starts `The {attribute}` or `The selected {attribute}`
/// (Laravel's templates, and ours written like them), which a unit test
/// holds for every message kind.
fn in_request(message: &str, field: &str, path: &str) -> String {
    let shown = attr(field);
    for lead in ["The selected ", "The "] {
        if let Some(rest) = message
            .strip_prefix(lead)
            .and_then(|r| r.strip_prefix(shown.as_str()))
        {
            return format!("{lead}{path}{rest}");
        }
    }
    message.to_owned()
}

fn problem_message(field: &str, p: Problem) -> (&'static str, String) {
    let a = attr(field);
    match p {
        Problem::Missing => ("required", format!("The {a} field is required.")),
        Problem::WrongType("string") => ("string", format!("The {a} field must be a string.")),
        Problem::WrongType("integer") => ("integer", format!("The {a} field must be an integer.")),
        Problem::WrongType("boolean") => {
            ("boolean", format!("The {a} field must be true or false."))
        }
        // Laravel's `array` rule covers JSON objects too; it has no
        // `object` rule.
        Problem::WrongType("array" | "object") => {
            ("array", format!("The {a} field must be an array."))
        }
        Problem::WrongType(other) => ("type", format!("The {a} field must be of type {other}.")),
        Problem::TooLong(max) => (
            "max",
            format!("The {a} field must not be greater than {max} characters."),
        ),
        Problem::Control => (
            "control_characters",
            format!("The {a} field must not contain control characters."),
        ),
        Problem::TooSmall(min) => ("min", format!("The {a} field must be at least {min}.")),
        Problem::TooBig(max) => (
            "max",
            format!("The {a} field must not be greater than {max}."),
        ),
    }
}

fn field_error(field: &str, p: Problem) -> FieldError {
    let (code, message) = problem_message(field, p);
    FieldError {
        field: field.to_owned(),
        code,
        message,
    }
}

/// Whether absent fields get their create-time defaults or stay untouched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Create,
    Update,
    /// Create rules for a streaming import, which needs the typed contact
    /// only: the rendered members are not built.
    Import,
}

/// The checked fields of one contact row.
#[derive(Debug, Clone, Default)]
struct Checked {
    errors: Vec<FieldError>,
    /// Normalized members in the API's field order: every field for create
    /// (null when absent), only the fields sent for update (null clears).
    values: Values,
    phone: Option<ValidPhone>,
    contact: Contact,
    /// False for imports: `values` stays empty.
    keep_values: bool,
}

impl Checked {
    /// Records a normalized member for the response. `value` is only called
    /// when the response needs it: imports skip building the members
    /// altogether.
    fn set(&mut self, name: &'static str, value: impl FnOnce() -> Member) {
        if self.keep_values {
            self.values.set(name, value());
        }
    }

    /// The members as a JSON object, text read from the row's contact.
    fn members(&self) -> Members<'_> {
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
enum Member {
    Null,
    /// A fixed word (`lead`, `customer`).
    Word(&'static str),
    Int(i64),
    Ints(Vec<i64>),
    Text(TextField),
}

/// A text field of [`Contact`], as the rasl profiles fill it.
#[derive(Debug, Clone, Copy)]
enum TextField {
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
    fn is_multiline(self) -> bool {
        matches!(self, TextField::Description | TextField::Address)
    }

    fn of(self, c: &Contact) -> Option<&str> {
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
    fn to_value(&self, contact: &Contact) -> Node<'static> {
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
struct Values(Vec<(&'static str, Member)>);

impl Values {
    /// Sets `name`, keeping its place when it is already set.
    fn set(&mut self, name: &'static str, value: Member) {
        match self.0.iter_mut().find(|(k, _)| *k == name) {
            Some((_, slot)) => *slot = value,
            None => self.0.push((name, value)),
        }
    }

    /// Moves `name` (when set) to the end.
    fn move_to_end(&mut self, name: &str) {
        if let Some(at) = self.0.iter().position(|(k, _)| *k == name) {
            let member = self.0.remove(at);
            self.0.push(member);
        }
    }

    fn iter(&self) -> impl Iterator<Item = (&'static str, &Member)> {
        self.0.iter().map(|(k, v)| (*k, v))
    }
}

/// A row's members with the contact their text lives in: the JSON object.
struct Members<'a> {
    values: &'a Values,
    contact: &'a Contact,
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

fn check_fields(rules: &Rules, row: Row<'_, '_>, default: PhoneDefault, mode: Mode) -> Checked {
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
                    c.contact.phones.push(ContactPhone {
                        e164: p.e164.clone(),
                        label: None,
                        region: p.region.clone(),
                        number_type: p.number_type,
                        extension: p.extension.clone(),
                    });
                    c.phone = Some(p);
                }
                Err(e) => c.errors.push(FieldError {
                    field: "phone".to_owned(),
                    code: "phone",
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
            code: "in",
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
                    code: "email",
                    message: "The email field must be a valid email address.".to_owned(),
                }),
            },
            Err(Problem::Control) | Err(Problem::TooLong(_)) => c.errors.push(FieldError {
                field: "email".to_owned(),
                code: "email",
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

fn check_groups(c: &mut Checked, row: Row<'_, '_>, max: usize) {
    match row.get("groups") {
        None => {}
        Some(Node::Null) => {
            c.set("groups", || Member::Null);
        }
        Some(Node::Array(items)) => {
            if items.len() > max {
                c.errors.push(FieldError {
                    field: "groups".to_owned(),
                    code: "max",
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
fn check_row(rules: &Rules, row: Row<'_, '_>, default: PhoneDefault) -> RowCheck {
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

/// Reads the top-level array `name` of at most `limit` items, refusing the
/// request the Laravel way when it is missing, empty, not an array or too long.
fn top_array<'r, 'a>(
    root: &'r Node<'a>,
    name: &str,
    limit: usize,
) -> Result<&'r [Node<'a>], Response> {
    let refuse = |msg: String| request_error(&msg, &[(name.to_owned(), msg.clone())]);
    match root.get(name) {
        None | Some(Node::Null) => Err(refuse(format!("The {name} field is required."))),
        Some(Node::Array(items)) if items.is_empty() => {
            Err(refuse(format!("The {name} field is required.")))
        }
        Some(Node::Array(items)) if items.len() > limit => Err(refuse(format!(
            "The {name} field must not have more than {limit} items."
        ))),
        Some(Node::Array(items)) => Ok(items),
        Some(_) => Err(refuse(format!("The {name} field must be an array."))),
    }
}

#[derive(Debug, Clone)]
struct CreateRow {
    /// The row as sent, for the response's `data` echo: kept only for rows
    /// the response may echo (see [`prepare_create`]).
    data: Option<Node<'static>>,
    checked: Checked,
    duplicate_of: Option<usize>,
}

/// A prepared Batch Create Contacts request.
#[derive(Debug, Clone)]
pub(crate) struct CreateBatch {
    rows: Vec<CreateRow>,
    continue_on_error: bool,
    skip_duplicates: bool,
}

/// Prepares a Batch Create Contacts request. The response echoes the rows
/// it does not create (invalid, duplicates, already stored): with `existing`
/// known (one call), only those rows are copied; without it (two phases)
/// every row is, since any might turn out to be stored.
fn prepare_create(
    rules: &Rules,
    root: &Node<'_>,
    existing: Option<&Existing>,
) -> Result<CreateBatch, Response> {
    let contacts = top_array(root, "contacts", rules.config.batch_limit())?;
    let mut problems: Vec<(String, String)> = Vec::new();
    for (i, c) in contacts.iter().enumerate() {
        if c.as_object().is_none() {
            let f = format!("contacts.{i}");
            problems.push((f.clone(), format!("The {f} field must be an array.")));
        }
    }
    let mut continue_on_error = true;
    let mut skip_duplicates = false;
    match root.get("options") {
        None | Some(Node::Null) => {}
        Some(opts @ Node::Object(_)) => {
            let opts = Row::new(opts, false);
            for (name, slot) in [
                ("continue_on_error", &mut continue_on_error),
                ("skip_duplicates", &mut skip_duplicates),
            ] {
                match opts.bool(name) {
                    Ok(Some(b)) => *slot = b,
                    Ok(None) => {}
                    Err(_) => {
                        let f = format!("options.{name}");
                        let m = format!("The {} field must be true or false.", attr(&f));
                        problems.push((f, m));
                    }
                }
            }
        }
        Some(_) => problems.push((
            "options".to_owned(),
            "The options field must be an array.".to_owned(),
        )),
    }
    if !problems.is_empty() {
        return Err(request_error(&laravel_message(&problems), &problems));
    }

    // Without the existing keys every row may be echoed: copy each with its
    // checks, on the engine's threads.
    let mut rows = map_rows(rules.pool(), contacts, |_, node| CreateRow {
        checked: check_fields(
            rules,
            Row::new(node, false),
            rules.phone_default,
            Mode::Create,
        ),
        data: existing.is_none().then(|| node.to_detached(&ROW_FIELDS)),
        duplicate_of: None,
    });
    let mut seen = FirstWins::new();
    for (i, row) in rows.iter_mut().enumerate() {
        if let (true, Some(p)) = (row.checked.errors.is_empty(), &row.checked.phone) {
            row.duplicate_of = seen.claim(p.key(), i);
        }
    }
    // With them (one call), only the rows the response echoes, here: they
    // are few, and another pass on the pool would cost more to start.
    if let Some(store) = existing {
        for (row, node) in rows.iter_mut().zip(contacts) {
            let echoed = !row.checked.errors.is_empty()
                || row.duplicate_of.is_some()
                || row
                    .checked
                    .phone
                    .as_ref()
                    .is_some_and(|p| store.phone(p.key()).is_some());
            if echoed {
                row.data = Some(node.to_detached(&ROW_FIELDS));
            }
        }
    }
    Ok(CreateBatch {
        rows,
        continue_on_error,
        skip_duplicates,
    })
}

fn phone_keys<'a>(phones: impl Iterator<Item = &'a ValidPhone>) -> Vec<String> {
    let mut seen = FirstWins::new();
    phones
        .filter(|p| seen.claim(p.key(), 0).is_none())
        .map(|p| p.e164.clone())
        .collect()
}

#[derive(Serialize)]
struct CreateBody<'a> {
    success: bool,
    summary: CreateSummary,
    created: RenderedRows<Members<'a>>,
    skipped: RenderedRows<Skipped<'a>>,
    errors: RenderedRows<RowErrors<'a>>,
}

#[derive(Serialize)]
struct CreateSummary {
    total: usize,
    created: usize,
    skipped: usize,
    failed: usize,
}

#[derive(Serialize)]
struct Skipped<'a> {
    index: usize,
    reason: &'static str,
    data: Option<&'a Node<'static>>,
}

#[derive(Serialize)]
struct RowErrors<'a> {
    index: usize,
    data: Option<&'a Node<'static>>,
    errors: Object,
}

fn grouped(errors: &[FieldError]) -> Object {
    let mut map = Object::new();
    for e in errors {
        if let Node::Array(list) = map.get_or_insert_with(e.field.clone(), || Node::Array(Vec::new())) {
            list.push(Node::from(e.message.as_str()));
        }
    }
    map
}

/// Batch Create Contacts.
#[derive(Debug)]
pub(crate) struct Create;

impl Api for Create {
    type Batch = CreateBatch;
    const COLUMNS: &'static ImportColumns = &columns::CREATE;

    fn budget(config: &Config) -> (Option<&'static str>, usize) {
        (Some("contacts"), config.limits.rasl.groups)
    }

    fn prepare(
        rules: &Rules,
        root: &Node<'_>,
        _batch_len: Option<usize>,
        existing: Option<&Existing>,
    ) -> Result<CreateBatch, Response> {
        prepare_create(rules, root, existing)
    }

    fn check_row(rules: &Rules, row: Row<'_, '_>, default: PhoneDefault) -> Option<RowCheck> {
        Some(check_row(rules, row, default))
    }

    fn request_error(message: &str, fields: &[(String, String)]) -> Response {
        request_error(message, fields)
    }
}

impl ApiBatch for CreateBatch {
    /// Frees the batch, its rows spread over `pool`.
    fn release(self, pool: Option<&rayon::ThreadPool>) {
        crate::par::drop_rows(pool, self.rows);
    }

    fn keys(&self) -> LookupKeys {
        LookupKeys {
            phones: phone_keys(
                self.rows
                    .iter()
                    .filter(|r| r.checked.errors.is_empty())
                    .filter_map(|r| r.checked.phone.as_ref()),
            ),
            ..LookupKeys::default()
        }
    }

    fn resolve(&self, rules: &Rules, existing: &Existing) -> Outcome {
        let mut outcome = self.outcome(rules, existing);
        for o in new_rows(&mut outcome) {
            o.contact = Some(self.rows[o.index].checked.contact.clone());
        }
        outcome
    }

    /// The new rows' contacts move into the outcome instead of being
    /// copied.
    fn resolve_once(mut self, rules: &Rules, existing: &Existing) -> Outcome {
        let mut outcome = self.outcome(rules, existing);
        for o in new_rows(&mut outcome) {
            o.contact = Some(std::mem::take(&mut self.rows[o.index].checked.contact));
        }
        self.release(rules.pool());
        outcome
    }
}

impl CreateBatch {
    /// The outcome, every row's contact still to be filled in.
    fn outcome(&self, rules: &Rules, existing: &Existing) -> Outcome {
        let mut outcomes = Vec::with_capacity(self.rows.len());
        for (index, row) in self.rows.iter().enumerate() {
            let key = row.checked.phone.as_ref().map(ValidPhone::key);
            let mut out = RowOutcome {
                index,
                status: RowStatus::Invalid,
                action: Action::None,
                key: row.checked.phone.as_ref().map(|p| p.e164.clone()),
                duplicate_of: None,
                existing_id: None,
                errors: row.checked.errors.clone(),
                contact: None,
            };
            if out.errors.is_empty() {
                if let Some(first) = row.duplicate_of {
                    out.status = RowStatus::Duplicate;
                    out.duplicate_of = Some(first);
                    if !self.skip_duplicates {
                        // Laravel's `distinct` wording; `duplicate_of`
                        // says which contact holds the phone.
                        out.errors.push(FieldError {
                            field: "phone".into(),
                            code: "duplicate_in_request",
                            message: "The phone field has a duplicate value.".into(),
                        });
                    }
                } else if let Some(id) = key.and_then(|k| existing.phone(k)) {
                    out.status = RowStatus::Existing;
                    out.existing_id = Some(id.clone());
                    if !self.skip_duplicates {
                        out.errors.push(FieldError {
                            field: "phone".into(),
                            code: "duplicate_phone",
                            message: "The phone has already been taken.".into(),
                        });
                    }
                } else {
                    out.status = RowStatus::New;
                    out.action = Action::Create;
                }
            }
            outcomes.push(out);
        }
        let summary = Summary::of(&outcomes);
        let failed: Vec<&RowOutcome> = outcomes.iter().filter(|o| !o.errors.is_empty()).collect();
        let to_create = outcomes
            .iter()
            .filter(|o| o.action == Action::Create)
            .count();

        if !self.continue_on_error && !failed.is_empty() {
            let details = whole_request_details(&failed);
            let message = laravel_message(&details);
            return rejected(request_error(&message, &details), outcomes, summary);
        }
        if let Some(quota) = rules.config.rasl.plan_quota {
            if to_create as u64 > quota {
                let message = format!(
                    "Creating {to_create} contacts would exceed the {quota} your plan still allows; nothing was created."
                );
                let details = [("contacts".to_owned(), message.clone())];
                let response = envelope(403, "FEATURE_LIMIT_EXCEEDED", &message, &details);
                return rejected(response, outcomes, summary);
            }
        }

        let body = CreateBody {
            success: true,
            summary: CreateSummary {
                total: outcomes.len(),
                created: to_create,
                skipped: outcomes
                    .iter()
                    .filter(|o| o.errors.is_empty() && o.action == Action::None)
                    .count(),
                failed: failed.len(),
            },
            created: render_rows(
                rules.pool(),
                outcomes
                    .iter()
                    .filter(|o| o.action == Action::Create)
                    .map(|o| self.rows[o.index].checked.members())
                    .collect(),
            ),
            skipped: render_rows(
                rules.pool(),
                outcomes
                    .iter()
                    .filter(|o| o.errors.is_empty() && o.action == Action::None)
                    .map(|o| Skipped {
                        index: o.index,
                        reason: if o.status == RowStatus::Duplicate {
                            "duplicate_in_request"
                        } else {
                            "duplicate_phone"
                        },
                        data: self.rows[o.index].data.as_ref(),
                    })
                    .collect(),
            ),
            errors: render_rows(
                rules.pool(),
                failed
                    .iter()
                    .map(|o| RowErrors {
                        index: o.index,
                        data: self.rows[o.index].data.as_ref(),
                        errors: grouped(&o.errors),
                    })
                    .collect(),
            ),
        };
        Outcome {
            response: Response::json(200, &body),
            rows: outcomes,
            summary,
            rejected: false,
        }
    }
}

/// The rows whose contact the outcome carries: the new ones (also when the
/// whole request was refused, so the host sees what would have been created).
fn new_rows(outcome: &mut Outcome) -> impl Iterator<Item = &mut RowOutcome> {
    outcome
        .rows
        .iter_mut()
        .filter(|o| o.status == RowStatus::New)
}

fn rejected(response: Response, mut rows: Vec<RowOutcome>, summary: Summary) -> Outcome {
    for r in &mut rows {
        r.action = Action::None;
    }
    Outcome {
        response,
        rows,
        summary,
        rejected: true,
    }
}

/// A prepared Batch Delete Contacts request.
#[derive(Debug, Clone)]
pub(crate) struct DeleteBatch {
    ids: Vec<i64>,
}

/// Batch Delete Contacts.
#[derive(Debug)]
pub(crate) struct Delete;

impl Api for Delete {
    type Batch = DeleteBatch;
    const IMPORTS: bool = false;
    const COLUMNS: &'static ImportColumns = &columns::UPDATE;

    fn budget(_config: &Config) -> (Option<&'static str>, usize) {
        (Some("ids"), 0)
    }

    fn prepare(
        rules: &Rules,
        root: &Node<'_>,
        _batch_len: Option<usize>,
        _existing: Option<&Existing>,
    ) -> Result<DeleteBatch, Response> {
        prepare_delete(rules, root)
    }

    /// Delete has no contact rows.
    fn check_row(_rules: &Rules, _row: Row<'_, '_>, _default: PhoneDefault) -> Option<RowCheck> {
        None
    }

    fn request_error(message: &str, fields: &[(String, String)]) -> Response {
        request_error(message, fields)
    }
}

fn prepare_delete(rules: &Rules, root: &Node<'_>) -> Result<DeleteBatch, Response> {
    let items = top_array(root, "ids", rules.config.batch_limit())?;
    let mut problems = Vec::new();
    let mut ids = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let f = format!("ids.{i}");
        match item.as_i64() {
            Some(n) if n >= 1 => ids.push(n),
            Some(_) => problems.push((f.clone(), format!("The {f} field must be at least 1."))),
            None => problems.push((f.clone(), format!("The {f} field must be an integer."))),
        }
    }
    if !problems.is_empty() {
        return Err(request_error(&laravel_message(&problems), &problems));
    }
    Ok(DeleteBatch { ids })
}

#[derive(Serialize)]
struct DeleteBody {
    success: bool,
    summary: DeleteSummary,
}

#[derive(Serialize)]
struct DeleteSummary {
    total: usize,
    deleted: usize,
    failed: usize,
}

impl ApiBatch for DeleteBatch {
    fn keys(&self) -> LookupKeys {
        let mut seen = FirstWins::new();
        LookupKeys {
            ids: self
                .ids
                .iter()
                .copied()
                .filter(|id| seen.claim(*id, 0).is_none())
                .collect(),
            ..LookupKeys::default()
        }
    }

    fn resolve(&self, _rules: &Rules, existing: &Existing) -> Outcome {
        let mut seen = FirstWins::new();
        let rows: Vec<RowOutcome> = self
            .ids
            .iter()
            .enumerate()
            .map(|(index, &id)| {
                let mut out = RowOutcome {
                    index,
                    status: RowStatus::Invalid,
                    action: Action::None,
                    key: Some(id.to_string()),
                    duplicate_of: None,
                    existing_id: None,
                    errors: Vec::new(),
                    contact: None,
                };
                if let Some(first) = seen.claim(id, index) {
                    out.status = RowStatus::Duplicate;
                    out.duplicate_of = Some(first);
                } else if existing.has_id(id) {
                    out.status = RowStatus::Existing;
                    out.action = Action::Delete;
                    out.existing_id = Some(Node::from(id));
                } else {
                    out.errors.push(FieldError {
                        field: format!("ids.{index}"),
                        code: "not_found",
                        message: format!("Contact {id} does not exist."),
                    });
                }
                out
            })
            .collect();
        let deleted = rows.iter().filter(|r| r.action == Action::Delete).count();
        let body = DeleteBody {
            success: true,
            summary: DeleteSummary {
                total: rows.len(),
                deleted,
                failed: rows.len() - deleted,
            },
        };
        Outcome {
            response: Response::json(200, &body),
            summary: Summary::of(&rows),
            rows,
            rejected: false,
        }
    }
}

/// A prepared Update Contact request.
#[derive(Debug, Clone)]
pub(crate) struct UpdateBatch {
    checked: Checked,
}

/// Update Contact.
#[derive(Debug)]
pub(crate) struct Update;

impl Api for Update {
    // One contact with all its fields: boxed so the batch enum stays small.
    type Batch = Box<UpdateBatch>;
    const COLUMNS: &'static ImportColumns = &columns::UPDATE;

    fn budget(config: &Config) -> (Option<&'static str>, usize) {
        (None, config.limits.rasl.groups)
    }

    fn prepare(
        rules: &Rules,
        root: &Node<'_>,
        _batch_len: Option<usize>,
        _existing: Option<&Existing>,
    ) -> Result<Box<UpdateBatch>, Response> {
        prepare_update(rules, root).map(Box::new)
    }

    fn check_row(rules: &Rules, row: Row<'_, '_>, default: PhoneDefault) -> Option<RowCheck> {
        Some(check_row(rules, row, default))
    }

    fn request_error(message: &str, fields: &[(String, String)]) -> Response {
        request_error(message, fields)
    }
}

fn prepare_update(rules: &Rules, root: &Node<'_>) -> Result<UpdateBatch, Response> {
    Ok(UpdateBatch {
        checked: check_fields(
            rules,
            Row::new(root, false),
            rules.phone_default,
            Mode::Update,
        ),
    })
}

#[derive(Serialize)]
struct UpdateBody<'a> {
    success: bool,
    message: &'static str,
    data: &'a Object,
}

/// Compares stored ids loosely: `7` and `"7"` are the same contact.
fn same_id(a: &Node<'_>, b: &Node<'_>) -> bool {
    let text = |v: &Node<'_>| match v {
        Node::Str(s) => Some(s.to_string()),
        Node::Number(n) => Some(n.to_string()),
        _ => None,
    };
    matches!((text(a), text(b)), (Some(x), Some(y)) if x == y)
}

impl ApiBatch for UpdateBatch {
    fn keys(&self) -> LookupKeys {
        LookupKeys {
            phones: phone_keys(self.checked.phone.iter()),
            ..LookupKeys::default()
        }
    }

    fn resolve(&self, rules: &Rules, existing: &Existing) -> Outcome {
        let stored = existing.contact.clone().unwrap_or_default();
        let mut errors = self.checked.errors.clone();
        if let Some(p) = &self.checked.phone {
            let own_phone = stored
                .get("phone")
                .and_then(Node::as_str)
                .and_then(|s| rules.phones.normalize(s, rules.phone_default).ok())
                .is_some_and(|own| own.key() == p.key());
            let taken_by_other = existing
                .phone(p.key())
                .is_some_and(|owner| !stored.get("id").is_some_and(|id| same_id(id, owner)));
            if taken_by_other && !own_phone {
                errors.push(FieldError {
                    field: "phone".into(),
                    code: "duplicate_phone",
                    message: "The phone has already been taken.".into(),
                });
            }
        }
        let key: Option<PhoneKey> = self.checked.phone.as_ref().map(ValidPhone::key);
        let mut row = RowOutcome {
            index: 0,
            status: RowStatus::Invalid,
            action: Action::None,
            key: key.map(|k| k.to_string()),
            duplicate_of: None,
            existing_id: stored.get("id").cloned(),
            errors,
            contact: None,
        };
        if !row.errors.is_empty() {
            let fields: Vec<(String, String)> = row
                .errors
                .iter()
                .map(|e| (e.field.clone(), e.message.clone()))
                .collect();
            let response = request_error(&laravel_message(&fields), &fields);
            let summary = Summary::of(std::slice::from_ref(&row));
            return rejected(response, vec![row], summary);
        }
        let mut merged = stored;
        for (k, v) in self.checked.values.iter() {
            merged.insert(k, v.to_value(&self.checked.contact));
        }
        row.status = RowStatus::Existing;
        row.action = Action::Update;
        row.contact = Some(self.checked.contact.clone());
        let response = Response::json(
            200,
            &UpdateBody {
                success: true,
                message: "Contact updated successfully",
                data: &merged,
            },
        );
        Outcome {
            summary: Summary::of(std::slice::from_ref(&row)),
            response,
            rows: vec![row],
            rejected: false,
        }
    }
}
