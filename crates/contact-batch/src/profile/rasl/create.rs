//! Batch Create Contacts (`POST /api/v2/contacts/batch`): prepare, then
//! classify, apply the request's policy and render.

use crate::columns::ImportColumns;
use crate::config::Config;
use crate::contact::Contact;
use crate::dedupe::FirstWins;
use crate::existing::Existing;
use crate::json::Node;
use crate::keys::LookupKeys;
use crate::outcome::{Action, ErrorCode, FieldError, Outcome, RowOutcome, RowStatus, Summary};
use crate::par::{map_rows, render_rows};
use crate::phone::{PhoneDefault, ValidPhone};
use crate::profile::api::{Api, ApiBatch, RowCheck};
use crate::profile::fields::Row;
use crate::request_error::{RequestError, RequestErrorKind};
use crate::response::Response;
use crate::rules::Rules;

use super::checks::*;
use super::codes::*;
use super::columns;
use super::render::*;
use super::{phone_keys, rejected, top_array};

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
) -> Result<CreateBatch, RequestError> {
    let contacts = top_array(root, "contacts", rules.config.batch_limit())?;
    let mut problems: Vec<(String, String)> = Vec::new();
    // The kind of the refusal: elements that are no objects, bad options,
    // or (both) invalid members.
    let mut kind = None;
    let mut saw = |k: RequestErrorKind| {
        kind = Some(match kind {
            Some(other) if other != k => RequestErrorKind::Invalid,
            _ => k,
        })
    };
    for (i, c) in contacts.iter().enumerate() {
        if c.as_object().is_none() {
            let f = format!("contacts.{i}");
            problems.push((f.clone(), format!("The {f} field must be an array.")));
            saw(RequestErrorKind::ElementInvalid);
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
                        saw(RequestErrorKind::BadOptions);
                    }
                }
            }
        }
        Some(_) => {
            problems.push((
                "options".to_owned(),
                "The options field must be an array.".to_owned(),
            ));
            saw(RequestErrorKind::BadOptions);
        }
    }
    if let Some(kind) = kind {
        return Err(RequestError::new(
            kind,
            laravel_message(&problems),
            problems,
        ));
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
    ) -> Result<CreateBatch, RequestError> {
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
    fn release(self, pool: Option<&crate::par::Pool>) {
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

    fn valid_contacts(&self) -> Vec<(usize, &Contact)> {
        let valid = self.rows.iter().enumerate();
        valid
            .filter(|(_, r)| r.checked.errors.is_empty())
            .map(|(i, r)| (i, &r.checked.contact))
            .collect()
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
    /// The outcome, every row's contact still to be filled in: the rows
    /// classified, the request's policy applied, the response rendered.
    fn outcome(&self, rules: &Rules, existing: &Existing) -> Outcome {
        let outcomes = self.classify(existing);
        let summary = Summary::of(&outcomes);
        if let Some(refusal) = self.policy(rules, &outcomes) {
            return rejected(refusal, outcomes, summary);
        }
        Outcome {
            response: self.render(rules, &outcomes),
            rows: outcomes,
            summary,
            rejected: false,
            refusal: None,
        }
    }

    /// Each row's status: invalid, a repeat of an earlier row, already
    /// stored, or new; a repeat and a stored row fail unless
    /// `skip_duplicates`.
    fn classify(&self, existing: &Existing) -> Vec<RowOutcome> {
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
                possible_duplicates: Vec::new(),
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
                            code: ErrorCode::new("duplicate_in_request"),
                            message: "The phone field has a duplicate value.".into(),
                        });
                    }
                } else if let Some(id) = key.and_then(|k| existing.phone(k)) {
                    out.status = RowStatus::Existing;
                    out.existing_id = Some(id.clone());
                    if !self.skip_duplicates {
                        out.errors.push(FieldError {
                            field: "phone".into(),
                            code: ErrorCode::new("duplicate_phone"),
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
        outcomes
    }

    /// The request-wide rules, once the rows are classified: with
    /// `continue_on_error: false` a failed row refuses the whole request
    /// (422), and creating more than the plan's quota is refused (403).
    fn policy(&self, rules: &Rules, outcomes: &[RowOutcome]) -> Option<Response> {
        let failed: Vec<&RowOutcome> = outcomes.iter().filter(|o| !o.errors.is_empty()).collect();
        if !self.continue_on_error && !failed.is_empty() {
            let details = whole_request_details(&failed);
            let message = laravel_message(&details);
            return Some(request_error(&message, &details));
        }
        let to_create = outcomes
            .iter()
            .filter(|o| o.action == Action::Create)
            .count();
        if let Some(quota) = rules.config.rasl.plan_quota {
            if to_create as u64 > quota {
                let message = format!(
                    "Creating {to_create} contacts would exceed the {quota} your plan still allows; nothing was created."
                );
                let details = [("contacts".to_owned(), message.clone())];
                return Some(envelope(403, "FEATURE_LIMIT_EXCEEDED", &message, &details));
            }
        }
        None
    }

    /// The 200 body: the created rows' members, the skipped and the failed
    /// rows with their data as sent.
    fn render(&self, rules: &Rules, outcomes: &[RowOutcome]) -> Response {
        let failed: Vec<&RowOutcome> = outcomes.iter().filter(|o| !o.errors.is_empty()).collect();
        let to_create = outcomes
            .iter()
            .filter(|o| o.action == Action::Create)
            .count();
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
        Response::json(200, &body)
    }
}

fn new_rows(outcome: &mut Outcome) -> impl Iterator<Item = &mut RowOutcome> {
    outcome
        .rows
        .iter_mut()
        .filter(|o| o.status == RowStatus::New)
}
