//! record-list's error codes, in the order the API reports them, and the
//! sentences that go with them.

use crate::json::Node;
use crate::outcome::FieldError;
use crate::profile::fields::Problem;

/// The allowed values of `phone_type`.
pub(crate) const PHONE_TYPES: [&str; 6] =
    ["HOME", "OFFICE", "MOBILE", "EXTRA_1", "EXTRA_2", "EXTRA_3"];

/// The type given to the deprecated `phone_number`.
pub(super) const LEGACY_PHONE_TYPE: &str = "MOBILE";

/// The per-record error codes, declared in the order the API reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Code {
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
    pub(super) const ALL: [Code; 14] = [
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

    pub(super) fn as_str(self) -> &'static str {
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
    pub(super) fn rank(code: &str) -> usize {
        Code::ALL
            .iter()
            .position(|c| c.as_str() == code)
            .unwrap_or(Code::ALL.len())
    }
}

/// The errors of one record: the first error of each code, reported in the
/// API's order.
#[derive(Debug, Default)]
pub(super) struct Errors(Vec<FieldError>);

impl Errors {
    pub(super) fn has(&self, code: Code) -> bool {
        self.0.iter().any(|e| e.code == code.as_str())
    }

    pub(super) fn add(&mut self, code: Code, field: &str, message: String) {
        if !self.has(code) {
            self.0.push(FieldError {
                field: field.to_owned(),
                code: crate::outcome::ErrorCode::new(code.as_str()),
                message,
            });
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(super) fn finish(mut self) -> Vec<FieldError> {
        self.0.sort_by_key(|e| Code::rank(e.code.as_str()));
        self.0
    }
}

/// "a string", "an integer", ... for messages.
pub(super) fn with_article(kind: &str) -> String {
    match kind.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => format!("an {kind}"),
        _ => format!("a {kind}"),
    }
}

/// A sentence about a field's problem; `value` is the member as sent.
pub(super) fn describe(field: &str, p: Problem, value: Option<&Node<'_>>) -> String {
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
