//! The five API profiles: request parsing onto the canonical model, field
//! rules, error codes, and the rendered response of each API.
//!
//! Every profile module offers the same four things: `prepare` (request →
//! a prepared batch or the API's request-level error), the batch's `keys`
//! and `resolve` (existing keys → outcome and response), `check_row` (one
//! row, for streaming imports) and `request_error` (the API's envelope for
//! a refused request).

pub(crate) mod contact_book;
pub(crate) mod fields;
pub(crate) mod rasl;
pub(crate) mod record_list;
pub(crate) mod tz_table;

use crate::config::{Config, Profile};
use crate::contact::Contact;
use crate::engine::Engine;
use crate::json::{self, BoundedError, Node};
use crate::outcome::{FieldError, LookupKeys, Outcome, Response};
use crate::phone::{PhoneDefault, PhoneKey};
use crate::store::Existing;

/// A prepared batch of one of the profiles.
#[derive(Debug, Clone)]
pub(crate) enum PreparedBatch {
    RaslCreate(rasl::CreateBatch),
    RaslDelete(rasl::DeleteBatch),
    // One contact with all its fields: boxed so the batch variants stay small.
    RaslUpdate(Box<rasl::UpdateBatch>),
    RecordList(record_list::Batch),
    ContactBook(contact_book::Batch),
}

impl PreparedBatch {
    pub(crate) fn keys(&self) -> LookupKeys {
        match self {
            PreparedBatch::RaslCreate(b) => b.keys(),
            PreparedBatch::RaslDelete(b) => b.keys(),
            PreparedBatch::RaslUpdate(b) => b.keys(),
            PreparedBatch::RecordList(b) => b.keys(),
            PreparedBatch::ContactBook(b) => b.keys(),
        }
    }

    /// Resolves a batch that is not needed afterwards (the one-call
    /// respond): what the outcome carries moves out of the batch, and the
    /// rest is freed across the engine's threads.
    pub(crate) fn resolve_once(self, engine: &Engine, existing: &Existing) -> Outcome {
        match self {
            PreparedBatch::RaslCreate(b) => b.resolve_once(engine, existing, engine.pool()),
            other => {
                let outcome = other.resolve(engine, existing);
                other.release(engine);
                outcome
            }
        }
    }

    /// Frees the batch, its rows spread over the engine's threads.
    pub(crate) fn release(self, engine: &Engine) {
        let pool = engine.pool();
        match self {
            PreparedBatch::RaslCreate(b) => b.release(pool),
            PreparedBatch::RecordList(b) => b.release(pool),
            PreparedBatch::ContactBook(b) => b.release(pool),
            PreparedBatch::RaslDelete(_) | PreparedBatch::RaslUpdate(_) => {}
        }
    }

    pub(crate) fn resolve(&self, engine: &Engine, existing: &Existing) -> Outcome {
        match self {
            PreparedBatch::RaslCreate(b) => b.resolve(engine, existing),
            PreparedBatch::RaslDelete(b) => b.resolve(engine, existing),
            PreparedBatch::RaslUpdate(b) => b.resolve(engine, existing),
            PreparedBatch::RecordList(b) => b.resolve(engine, existing),
            PreparedBatch::ContactBook(b) => b.resolve(engine, existing),
        }
    }
}

/// The profile's response for a refused request. `fields` names the
/// offending members (`contacts`, `contacts.3`, `body`) with a sentence each.
pub(crate) fn request_error(
    profile: Profile,
    message: &str,
    fields: &[(String, String)],
) -> Response {
    match profile {
        Profile::RaslCreate | Profile::RaslDelete | Profile::RaslUpdate => {
            rasl::request_error(message, fields)
        }
        Profile::RecordList => record_list::request_error(message, fields),
        Profile::ContactBook => contact_book::request_error(message, fields),
    }
}

/// The refusal of a body over `max_body_bytes`: `bytes` is its size, when
/// known (a host that stopped reading at the limit does not know it).
pub(crate) fn oversized(engine: &Engine, bytes: Option<u64>) -> Response {
    let max = engine.config.max_body_bytes;
    let message = match bytes {
        Some(n) => format!("The request body is {n} bytes; at most {max} bytes are accepted."),
        None => {
            format!("The request body is more than {max} bytes; at most {max} bytes are accepted.")
        }
    };
    request_error(
        engine.config.profile,
        &message,
        &[("body".to_owned(), message.clone())],
    )
}

/// Phase one for any profile: bounded checks before any expensive work, then
/// the profile's own parsing. `existing` is given when the caller already
/// holds the existing keys (the one-call [`Engine::respond`]): a profile may
/// then skip work that only rows found there, or not found there, need.
pub(crate) fn prepare(
    engine: &Engine,
    body: &[u8],
    existing: Option<&Existing>,
) -> Result<PreparedBatch, Response> {
    let profile = engine.config.profile;
    let refuse =
        |message: String| request_error(profile, &message, &[("body".to_owned(), message.clone())]);
    if body.len() > engine.config.max_body_bytes {
        return Err(oversized(engine, Some(body.len() as u64)));
    }
    // A UTF-8 byte order mark before the body is accepted, as imports
    // accept one before their first line; it is not part of the JSON.
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(refuse(
            "The request body is empty; a JSON object is expected.".into(),
        ));
    }
    let parsed = json::parse_bounded(body, &budget(&engine.config)).map_err(|e| match e {
        BoundedError::Json(e) => refuse(format!("The request body is not valid JSON: {e}.")),
        BoundedError::TooManyValues { max, at } => refuse(format!(
            "The request body holds more than {max} JSON values and keys (the count passed \
             {max} at {at}); a request this API accepts holds fewer: at most {} of the \
             documented sizes.",
            match engine.config.batch_limit() {
                1 => "1 row".to_owned(),
                n => format!("{n} rows"),
            }
        )),
    })?;
    let (root, batch_len) = (parsed.root, parsed.batch_len);
    if root.as_object().is_none() {
        return Err(refuse(format!(
            "The request body must be a JSON object, not {}.",
            root.kind()
        )));
    }
    match profile {
        Profile::RaslCreate => {
            rasl::prepare_create(engine, &root, existing).map(PreparedBatch::RaslCreate)
        }
        Profile::RaslDelete => rasl::prepare_delete(engine, &root).map(PreparedBatch::RaslDelete),
        Profile::RaslUpdate => {
            rasl::prepare_update(engine, &root).map(|b| PreparedBatch::RaslUpdate(Box::new(b)))
        }
        Profile::RecordList => {
            record_list::prepare(engine, &root, batch_len).map(PreparedBatch::RecordList)
        }
        Profile::ContactBook => {
            contact_book::prepare(engine, &root, batch_len).map(PreparedBatch::ContactBook)
        }
    }
}

/// Values and keys a row may hold besides its documented arrays and
/// objects: its fields (a key and a value each), and members the profile
/// ignores (a row echoed in a response keeps them).
const ROW_SLACK: usize = 256;
/// Values and keys any request may hold whatever its rows: options,
/// members the profile ignores, a small request's extras.
const REQUEST_SLACK: usize = 1 << 18;

/// What a parse keeps of a request body: the batch array's rows up to one
/// past the limit, and at most as many values and object keys in all as
/// the batch limit's rows of documented size hold, plus [`ROW_SLACK`] per
/// row and [`REQUEST_SLACK`]. A body within it parses as it always did;
/// past it, the request is refused, so the memory a request takes is
/// bounded by what the profile can accept (about 1.5 M values and keys,
/// some 70 MB, for rasl-create's defaults) and not by the size of the body.
pub(crate) fn budget(config: &Config) -> json::Budget {
    let limits = &config.limits;
    // The values and keys a row may hold in its one limited array or object.
    let (batch_key, per_row) = match config.profile {
        Profile::RaslCreate => (Some("contacts"), limits.rasl_groups),
        Profile::RaslUpdate => (None, limits.rasl_groups),
        Profile::RaslDelete => (Some("ids"), 0),
        // An entry of phone_numbers: the object, two keys and two values.
        Profile::RecordList => (Some("records"), limits.record_phones.saturating_mul(5)),
        Profile::ContactBook => (
            Some("contacts"),
            limits.book_custom_fields.saturating_mul(2),
        ),
    };
    let rows = match batch_key {
        Some(_) => config.batch_limit().saturating_add(1),
        None => 1,
    };
    json::Budget {
        batch_key,
        batch_limit: config.batch_limit(),
        max_values: rows
            .saturating_mul(per_row.saturating_add(ROW_SLACK))
            .saturating_add(REQUEST_SLACK),
        object_root: true,
    }
}

/// One row checked on its own, for streaming imports: errors in rule order,
/// the normalized contact, and the primary phone key when the row is valid.
#[derive(Debug, Clone, Default)]
pub(crate) struct RowCheck {
    pub errors: Vec<FieldError>,
    pub contact: Contact,
    pub key: Option<PhoneKey>,
}

/// Checks one import row with the profile's contact rules. `None` when the
/// profile has no contact rows (rasl-delete).
pub(crate) fn check_row(
    engine: &Engine,
    row: &Node<'_>,
    default: PhoneDefault,
    text_source: bool,
) -> Option<RowCheck> {
    let row = fields::Row::new(row, text_source);
    match engine.config.profile {
        Profile::RaslCreate | Profile::RaslUpdate => Some(rasl::check_row(engine, row, default)),
        Profile::RecordList => Some(record_list::check_row(engine, row, default)),
        Profile::ContactBook => Some(contact_book::check_row(engine, row, default)),
        Profile::RaslDelete => None,
    }
}
