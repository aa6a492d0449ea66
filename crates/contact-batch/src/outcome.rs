//! What the engine returns: the rendered HTTP response and the typed
//! per-row outcomes beside it.

use crate::request_error::RequestErrorKind;
use serde::Serialize;

use crate::contact::Contact;
use crate::json::Node;
use crate::matching::Reasons;
use crate::response::Response;

/// Where a row stands after dedupe and the store lookup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RowStatus {
    /// Valid, first of its key in the batch, not in the store.
    New,
    /// Valid, first of its key in the batch, already in the store.
    Existing,
    /// Valid, but an earlier row of the batch has the same key.
    Duplicate,
    /// One or more fields are wrong.
    Invalid,
}

/// What the host should write for a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Action {
    /// Insert the normalized contact.
    Create,
    /// Update the stored contact (`existing_id`) with the normalized one.
    Update,
    /// Delete the stored record (rasl-delete).
    Delete,
    /// Nothing.
    None,
}

/// The code of a [`FieldError`]: a profile's error code (e.g.
/// `PHONE_NUMBER_INVALID`) or a Laravel rule name / snake_case reason
/// (e.g. `max`, `duplicate_phone`). Compare it with a string
/// (`error.code == "max"`) or read it with [`ErrorCode::as_str`]; it
/// serializes as that string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ErrorCode(&'static str);

impl ErrorCode {
    /// A code of this text; the engine's own come from its profiles' code
    /// tables, a host may name its own (for errors it adds).
    pub const fn new(code: &'static str) -> ErrorCode {
        ErrorCode(code)
    }

    /// The code as the API writes it.
    pub const fn as_str(self) -> &'static str {
        self.0
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl PartialEq<str> for ErrorCode {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

/// One wrong field of a row.
///
/// Non-exhaustive, like the other outcome structs: a later version may
/// add members without breaking a host (build one with
/// [`FieldError::new`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct FieldError {
    /// The field as named in the request, e.g. `phone`, `phone_numbers.1.phone_type`.
    pub field: String,
    /// The profile's error code (e.g. `PHONE_NUMBER_INVALID`) or a
    /// snake_case reason (e.g. `invalid_phone`).
    pub code: ErrorCode,
    /// A sentence for a person.
    pub message: String,
}

impl FieldError {
    /// A field error: the field as named in the request, the profile's
    /// code, a sentence for a person.
    pub fn new(
        field: impl Into<String>,
        code: ErrorCode,
        message: impl Into<String>,
    ) -> FieldError {
        FieldError {
            field: field.into(),
            code,
            message: message.into(),
        }
    }
}

/// The outcome of one row of the request.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct RowOutcome {
    /// 0-based position in the request.
    pub index: usize,
    /// Where the row stands.
    pub status: RowStatus,
    /// What to write.
    pub action: Action,
    /// The primary key (E.164 phone) of a valid row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// For a duplicate: the index of the row that holds the key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<usize>,
    /// For an existing row: the stored id the host supplied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub existing_id: Option<Node<'static>>,
    /// For an invalid row: what is wrong, in rule order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// The normalized contact, for a valid row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
    /// For a valid row, with [`Config::possible_duplicates`](crate::Config::possible_duplicates)
    /// on: the other valid rows of the batch and the stored candidates
    /// that may be the same person, best first (ties: rows before stored
    /// candidates, earlier first), at most [`matching::MAX_LISTED`](crate::matching::MAX_LISTED).
    /// In addition to the API's own duplicates (`duplicate_of`, `existing_id`),
    /// which do not change. Empty when off.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub possible_duplicates: Vec<PossibleDuplicate>,
}

/// A row or a stored contact that may be the same person as a row
/// ([`RowOutcome::possible_duplicates`]). Exactly one of `row` and `id` is
/// set. Serializes as `{"row": 2, "score": 0.998, "reasons": {"first_name":
/// "nickname", "email": "exact"}}` or with `"id"` instead of `"row"`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PossibleDuplicate {
    /// The other row's index in the request (0-based, as
    /// [`RowOutcome::index`]), when it is a row of the batch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
    /// The stored candidate's id as the host gave it, when it is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<Node<'static>>,
    /// The match probability, at or above the configured threshold.
    pub score: f64,
    /// Why: each compared field's level (fields missing on a side left out).
    pub reasons: Reasons,
}

/// Row counts of an outcome: `total = new + existing + duplicate + invalid`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Summary {
    /// Rows in the request.
    pub total: usize,
    /// Rows with [`RowStatus::New`].
    pub new: usize,
    /// Rows with [`RowStatus::Existing`].
    pub existing: usize,
    /// Rows with [`RowStatus::Duplicate`].
    pub duplicate: usize,
    /// Rows with [`RowStatus::Invalid`].
    pub invalid: usize,
}

impl Summary {
    /// Counts the statuses of `rows`.
    pub fn of(rows: &[RowOutcome]) -> Summary {
        let mut s = Summary {
            total: rows.len(),
            ..Summary::default()
        };
        for r in rows {
            match r.status {
                RowStatus::New => s.new += 1,
                RowStatus::Existing => s.existing += 1,
                RowStatus::Duplicate => s.duplicate += 1,
                RowStatus::Invalid => s.invalid += 1,
            }
        }
        s
    }
}

/// Everything the engine decided for one request.
///
/// Serializes with its members' names (`response`, `rows`, `summary`,
/// `rejected`), for hosts that log or forward outcomes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Outcome {
    /// The API's response.
    pub response: Response,
    /// One outcome per row, in request order (empty when the request itself
    /// was refused).
    pub rows: Vec<RowOutcome>,
    /// Counts over `rows`.
    pub summary: Summary,
    /// True when the host must not write anything (request refused,
    /// `continue_on_error: false` with errors, quota exceeded, update invalid).
    pub rejected: bool,
    /// Why the request itself was refused, when it was (no row judged):
    /// too large, not JSON, the batch missing or too long, ... `None` for
    /// every outcome with rows, rejected ones included.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refusal: Option<RequestErrorKind>,
}

impl Outcome {
    pub(crate) fn refused(response: Response, refusal: Option<RequestErrorKind>) -> Outcome {
        Outcome {
            response,
            rows: Vec::new(),
            summary: Summary::default(),
            rejected: true,
            refusal,
        }
    }

    /// Indices of the rows to create, in request order (empty when rejected).
    pub fn to_create(&self) -> Vec<usize> {
        self.with_action(Action::Create)
    }

    /// Indices of the rows that update a stored contact (empty when rejected).
    pub fn to_update(&self) -> Vec<usize> {
        self.with_action(Action::Update)
    }

    /// Indices of the rows whose stored record is deleted (rasl-delete).
    pub fn to_delete(&self) -> Vec<usize> {
        self.with_action(Action::Delete)
    }

    fn with_action(&self, action: Action) -> Vec<usize> {
        if self.rejected {
            return Vec::new();
        }
        self.rows
            .iter()
            .filter(|r| r.action == action)
            .map(|r| r.index)
            .collect()
    }
}
