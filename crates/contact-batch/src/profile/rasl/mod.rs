//! The rasl profiles: Batch Create Contacts, Batch Delete Contacts and
//! Update Contact (seeds 000–002), a Laravel API.
//!
//! Field errors use Laravel's wording and shape (`{"phone": ["The phone
//! field is required."]}`, attribute names with `_` shown as spaces).
//!
//! Decisions where the API documents are silent are listed in the public
//! documentation module [`crate::decisions`].

mod checks;
mod codes;
mod columns;
mod create;
mod delete;
mod render;
mod update;

pub(crate) use create::Create;
pub(crate) use delete::Delete;
pub(crate) use update::Update;

use crate::dedupe::FirstWins;
use crate::json::Node;
use crate::outcome::{Action, Outcome, RowOutcome, Summary};
use crate::phone::ValidPhone;
use crate::request_error::{RequestError, RequestErrorKind};
use crate::response::Response;

/// Reads the top-level array `name` of at most `limit` items, refusing the
/// request the Laravel way when it is missing, empty, not an array or too long.
fn top_array<'r, 'a>(
    root: &'r Node<'a>,
    name: &str,
    limit: usize,
) -> Result<&'r [Node<'a>], RequestError> {
    let refuse = |kind: RequestErrorKind, msg: String| RequestError::on(kind, name, msg);
    match root.get(name) {
        None | Some(Node::Null) => Err(refuse(
            RequestErrorKind::BatchMissing,
            format!("The {name} field is required."),
        )),
        Some(Node::Array(items)) if items.is_empty() => Err(refuse(
            RequestErrorKind::BatchEmpty,
            format!("The {name} field is required."),
        )),
        Some(Node::Array(items)) if items.len() > limit => Err(refuse(
            RequestErrorKind::BatchTooLong,
            format!("The {name} field must not have more than {limit} items."),
        )),
        Some(Node::Array(items)) => Ok(items),
        Some(_) => Err(refuse(
            RequestErrorKind::BatchNotAnArray,
            format!("The {name} field must be an array."),
        )),
    }
}
fn phone_keys<'a>(phones: impl Iterator<Item = &'a ValidPhone>) -> Vec<String> {
    let mut seen = FirstWins::new();
    phones
        .filter(|p| seen.claim(p.key(), 0).is_none())
        .map(|p| p.e164.clone())
        .collect()
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
        refusal: None,
    }
}
