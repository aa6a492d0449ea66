//! Update Contact (`PATCH /api/v2/contacts/{id}`): only the fields sent
//! are checked and merged onto the stored contact.

use crate::columns::ImportColumns;
use crate::config::Config;
use crate::existing::Existing;
use crate::json::Node;
use crate::keys::LookupKeys;
use crate::outcome::{Action, ErrorCode, FieldError, Outcome, RowOutcome, RowStatus, Summary};
use crate::phone::{PhoneDefault, PhoneKey, ValidPhone};
use crate::profile::api::{Api, ApiBatch, RowCheck};
use crate::profile::fields::Row;
use crate::request_error::RequestError;
use crate::response::Response;
use crate::rules::Rules;

use super::checks::*;
use super::codes::*;
use super::columns;
use super::render::*;
use super::{phone_keys, rejected};

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
    ) -> Result<Box<UpdateBatch>, RequestError> {
        prepare_update(rules, root).map(Box::new)
    }

    fn check_row(rules: &Rules, row: Row<'_, '_>, default: PhoneDefault) -> Option<RowCheck> {
        Some(check_row(rules, row, default))
    }

    fn request_error(message: &str, fields: &[(String, String)]) -> Response {
        request_error(message, fields)
    }
}

fn prepare_update(rules: &Rules, root: &Node<'_>) -> Result<UpdateBatch, RequestError> {
    Ok(UpdateBatch {
        checked: check_fields(
            rules,
            Row::new(root, false),
            rules.phone_default,
            Mode::Update,
        ),
    })
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
                    code: ErrorCode::new("duplicate_phone"),
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
            possible_duplicates: Vec::new(),
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
            refusal: None,
        }
    }
}
