//! Why a request is refused as a whole, typed: generic code (the body's
//! size, JSON, shape, budget) and each profile's own reading of its batch
//! produce a [`RequestError`]; the profile renders it as its API's
//! response once, at the end (`Api::request_error`). Hosts read the kind
//! from [`Outcome::refusal`](crate::Outcome::refusal) without parsing a
//! message.

use serde::Serialize;

/// What made a request unacceptable as a whole (no row was judged).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RequestErrorKind {
    /// The body is larger than `max_body_bytes`.
    TooLarge,
    /// The body is empty (or only whitespace).
    Empty,
    /// The body is not JSON (invalid UTF-8 included).
    NotJson,
    /// The body holds more JSON values than any request the API accepts.
    BudgetExceeded,
    /// The body is JSON but not an object.
    NotAnObject,
    /// The batch member is missing (or null).
    BatchMissing,
    /// The batch member is an empty array.
    BatchEmpty,
    /// The batch has more rows than the limit.
    BatchTooLong,
    /// The batch member is not an array.
    BatchNotAnArray,
    /// An element of the batch is not an object (or, for ids, not an id).
    ElementInvalid,
    /// The request's options are invalid.
    BadOptions,
    /// Other request-level members are invalid (several problems at once,
    /// a profile's own members such as contact-book's
    /// `defaultCountryCode`).
    Invalid,
}

impl RequestErrorKind {
    /// A stable snake_case name, e.g. `batch_too_long`.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestErrorKind::TooLarge => "too_large",
            RequestErrorKind::Empty => "empty",
            RequestErrorKind::NotJson => "not_json",
            RequestErrorKind::BudgetExceeded => "budget_exceeded",
            RequestErrorKind::NotAnObject => "not_an_object",
            RequestErrorKind::BatchMissing => "batch_missing",
            RequestErrorKind::BatchEmpty => "batch_empty",
            RequestErrorKind::BatchTooLong => "batch_too_long",
            RequestErrorKind::BatchNotAnArray => "batch_not_an_array",
            RequestErrorKind::ElementInvalid => "element_invalid",
            RequestErrorKind::BadOptions => "bad_options",
            RequestErrorKind::Invalid => "invalid",
        }
    }
}

/// A refused request before it is rendered: its kind, the message, and
/// the offending members (`contacts`, `contacts.3`, `body`) with a sentence
/// each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RequestError {
    pub(crate) kind: RequestErrorKind,
    pub(crate) message: String,
    pub(crate) fields: Vec<(String, String)>,
}

impl RequestError {
    /// An error with its members.
    pub(crate) fn new(
        kind: RequestErrorKind,
        message: impl Into<String>,
        fields: Vec<(String, String)>,
    ) -> RequestError {
        RequestError {
            kind,
            message: message.into(),
            fields,
        }
    }

    /// An error about one member, whose sentence is the message.
    pub(crate) fn on(kind: RequestErrorKind, member: &str, message: String) -> RequestError {
        RequestError {
            kind,
            fields: vec![(member.to_owned(), message.clone())],
            message,
        }
    }
}
