//! The interface every API profile implements, and what it hands back.
//!
//! A profile is a type implementing [`Api`] (how a request of that API is
//! read, checked and refused) whose [`Api::Batch`] implements [`ApiBatch`]
//! (the keys a prepared request needs looked up, and its rendered
//! outcome). The registry ([`crate::registry`]) names each profile once;
//! the `Profile` enum and every dispatch over it are generated from it.
//!
//! Profiles read only the [`Rules`] (config, phone parser, phone default,
//! thread pool), never the engine.

use std::fmt::Debug;

use super::fields::Row;
use crate::columns::ImportColumns;
use crate::config::Config;
use crate::contact::Contact;
use crate::existing::Existing;
use crate::json::Node;
use crate::keys::LookupKeys;
use crate::outcome::{FieldError, Outcome};
use crate::phone::{PhoneDefault, PhoneKey};
use crate::request_error::RequestError;
use crate::response::Response;
use crate::rules::Rules;

/// One API: its request, its checks and its request-level errors.
pub(crate) trait Api {
    /// A request of this API after phase one.
    type Batch: ApiBatch;

    /// The top-level array that holds the batch's rows (`None`: the request
    /// is one row), and how many JSON values and keys one row may hold in
    /// its one limited array or object (see [`super::budget`]).
    fn budget(config: &Config) -> (Option<&'static str>, usize);

    /// Phase one: the request's root object onto a prepared batch, or the
    /// API's request-level error. `batch_len`: how many rows the body sent
    /// (the parse keeps one past the limit). `existing`: the existing keys,
    /// when the caller already holds them (the one-call respond).
    fn prepare(
        rules: &Rules,
        root: &Node<'_>,
        batch_len: Option<usize>,
        existing: Option<&Existing>,
    ) -> Result<Self::Batch, RequestError>;

    /// Whether imports of contact rows make sense for this API (a batch of
    /// ids does not).
    const IMPORTS: bool = true;

    /// The API's rows as the columns of a CSV file.
    const COLUMNS: &'static ImportColumns = &ImportColumns::NONE;

    /// The phone default of an import row with no region of its own, given
    /// the configured one.
    fn import_default(configured: PhoneDefault) -> PhoneDefault {
        configured
    }

    /// One row checked on its own, for streaming imports; `None` when the
    /// API has no contact rows.
    fn check_row(rules: &Rules, row: Row<'_, '_>, default: PhoneDefault) -> Option<RowCheck>;

    /// The API's response for a refused request. `fields` names the
    /// offending members (`contacts`, `contacts.3`, `body`) with a sentence
    /// each.
    fn request_error(message: &str, fields: &[(String, String)]) -> Response;
}

/// A prepared request of one API.
pub(crate) trait ApiBatch: Debug + Clone + Sized {
    /// The keys the host must look up.
    fn keys(&self) -> LookupKeys;

    /// Phase two: classify the rows against the existing keys and render
    /// the response. May be called more than once.
    fn resolve(&self, rules: &Rules, existing: &Existing) -> Outcome;

    /// The normalized contacts of the rows valid on their own (no field
    /// error; repeats of another row's key included), with their index,
    /// in request order: the people possible duplicates are looked for
    /// among. None for an API without contact rows.
    fn valid_contacts(&self) -> Vec<(usize, &Contact)> {
        Vec::new()
    }

    /// [`ApiBatch::resolve`] for a batch not needed afterwards (the one-call
    /// respond): what the outcome carries may move out of the batch.
    fn resolve_once(self, rules: &Rules, existing: &Existing) -> Outcome {
        let outcome = self.resolve(rules, existing);
        self.release(rules.pool());
        outcome
    }

    /// Frees the batch, its rows spread over `pool` (dropping many rows on
    /// one thread showed in profiles).
    fn release(self, pool: Option<&crate::par::Pool>) {
        let _ = pool;
    }
}

/// A large batch (one contact with all its fields) kept behind a pointer so
/// the enum of prepared batches stays small.
impl<B: ApiBatch> ApiBatch for Box<B> {
    fn keys(&self) -> LookupKeys {
        (**self).keys()
    }
    fn resolve(&self, rules: &Rules, existing: &Existing) -> Outcome {
        (**self).resolve(rules, existing)
    }
    fn valid_contacts(&self) -> Vec<(usize, &Contact)> {
        (**self).valid_contacts()
    }
    fn resolve_once(self, rules: &Rules, existing: &Existing) -> Outcome {
        (*self).resolve_once(rules, existing)
    }
    fn release(self, pool: Option<&crate::par::Pool>) {
        (*self).release(pool)
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
