//! Batch Delete Contacts (`DELETE /api/v2/contacts/batch`).

use crate::columns::ImportColumns;
use crate::config::Config;
use crate::dedupe::FirstWins;
use crate::existing::Existing;
use crate::json::Node;
use crate::keys::LookupKeys;
use crate::outcome::{Action, ErrorCode, FieldError, Outcome, RowOutcome, RowStatus, Summary};
use crate::phone::PhoneDefault;
use crate::profile::api::{Api, ApiBatch, RowCheck};
use crate::profile::fields::Row;
use crate::request_error::{RequestError, RequestErrorKind};
use crate::response::Response;
use crate::rules::Rules;

use super::codes::*;
use super::columns;
use super::render::*;
use super::top_array;

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
    ) -> Result<DeleteBatch, RequestError> {
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

fn prepare_delete(rules: &Rules, root: &Node<'_>) -> Result<DeleteBatch, RequestError> {
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
        return Err(RequestError::new(
            RequestErrorKind::ElementInvalid,
            laravel_message(&problems),
            problems,
        ));
    }
    Ok(DeleteBatch { ids })
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
                    possible_duplicates: Vec::new(),
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
                        code: ErrorCode::new("not_found"),
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
            refusal: None,
        }
    }
}
