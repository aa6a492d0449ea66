//! The rasl profiles' field lists, Laravel's messages and their order: what a
//! refused row or request says.

use crate::outcome::{FieldError, RowOutcome};
use crate::profile::fields::Problem;

pub(super) const CONTACT_TYPES: [&str; 2] = ["lead", "customer"];
pub(super) const ID_FIELDS: [&str; 4] = ["source_id", "status_id", "country_id", "assigned_id"];
/// Every field of a contact row, for the echoed `data` copies.
pub(super) const ROW_FIELDS: [&str; 16] = [
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

/// Laravel's summary message: the first error, and how many more there are.
pub(super) fn laravel_message(fields: &[(String, String)]) -> String {
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
pub(super) fn attr(field: &str) -> String {
    field.replace('_', " ")
}

/// The errors of a request validated as a whole (`continue_on_error:
/// false`), as Laravel reports them: each attribute named by its full path
/// (`contacts.3.source_id`, in the key and in the message), rule by rule in
/// the order of the rules (every contact's `firstname`, then every
/// contact's `lastname`, ...), contacts in order within a rule.
pub(super) fn whole_request_details(failed: &[&RowOutcome]) -> Vec<(String, String)> {
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
pub(super) fn rule_rank(field: &str) -> usize {
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
pub(super) fn in_request(message: &str, field: &str, path: &str) -> String {
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

pub(super) fn problem_message(field: &str, p: Problem) -> (&'static str, String) {
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

pub(super) fn field_error(field: &str, p: Problem) -> FieldError {
    let (code, message) = problem_message(field, p);
    FieldError {
        field: field.to_owned(),
        code: crate::outcome::ErrorCode::new(code),
        message,
    }
}
