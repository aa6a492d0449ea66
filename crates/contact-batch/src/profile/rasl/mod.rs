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
pub(crate) mod options;
mod render;

use super::api::{Api, ApiBatch, RowCheck};
use super::fields::Row;
use crate::columns::ImportColumns;
use crate::config::Config;
use crate::dedupe::FirstWins;
use crate::existing::Existing;
use crate::json::Node;
use crate::keys::LookupKeys;
use crate::outcome::{Action, FieldError, Outcome, RowOutcome, RowStatus, Summary};
use crate::par::{map_rows, render_rows};
use crate::phone::{PhoneDefault, PhoneKey, ValidPhone};
use crate::response::Response;
use crate::rules::Rules;

use self::checks::*;
use self::codes::*;
use self::render::*;

/// Reads the top-level array `name` of at most `limit` items, refusing the
/// request the Laravel way when it is missing, empty, not an array or too long.
fn top_array<'r, 'a>(
    root: &'r Node<'a>,
    name: &str,
    limit: usize,
) -> Result<&'r [Node<'a>], Response> {
    let refuse = |msg: String| request_error(&msg, &[(name.to_owned(), msg.clone())]);
    match root.get(name) {
        None | Some(Node::Null) => Err(refuse(format!("The {name} field is required."))),
        Some(Node::Array(items)) if items.is_empty() => {
            Err(refuse(format!("The {name} field is required.")))
        }
        Some(Node::Array(items)) if items.len() > limit => Err(refuse(format!(
            "The {name} field must not have more than {limit} items."
        ))),
        Some(Node::Array(items)) => Ok(items),
        Some(_) => Err(refuse(format!("The {name} field must be an array."))),
    }
}

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
) -> Result<CreateBatch, Response> {
    let contacts = top_array(root, "contacts", rules.config.batch_limit())?;
    let mut problems: Vec<(String, String)> = Vec::new();
    for (i, c) in contacts.iter().enumerate() {
        if c.as_object().is_none() {
            let f = format!("contacts.{i}");
            problems.push((f.clone(), format!("The {f} field must be an array.")));
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
                    }
                }
            }
        }
        Some(_) => problems.push((
            "options".to_owned(),
            "The options field must be an array.".to_owned(),
        )),
    }
    if !problems.is_empty() {
        return Err(request_error(&laravel_message(&problems), &problems));
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

fn phone_keys<'a>(phones: impl Iterator<Item = &'a ValidPhone>) -> Vec<String> {
    let mut seen = FirstWins::new();
    phones
        .filter(|p| seen.claim(p.key(), 0).is_none())
        .map(|p| p.e164.clone())
        .collect()
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
    ) -> Result<CreateBatch, Response> {
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
    fn release(self, pool: Option<&rayon::ThreadPool>) {
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
    /// The outcome, every row's contact still to be filled in.
    fn outcome(&self, rules: &Rules, existing: &Existing) -> Outcome {
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
                            code: "duplicate_in_request",
                            message: "The phone field has a duplicate value.".into(),
                        });
                    }
                } else if let Some(id) = key.and_then(|k| existing.phone(k)) {
                    out.status = RowStatus::Existing;
                    out.existing_id = Some(id.clone());
                    if !self.skip_duplicates {
                        out.errors.push(FieldError {
                            field: "phone".into(),
                            code: "duplicate_phone",
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
        let summary = Summary::of(&outcomes);
        let failed: Vec<&RowOutcome> = outcomes.iter().filter(|o| !o.errors.is_empty()).collect();
        let to_create = outcomes
            .iter()
            .filter(|o| o.action == Action::Create)
            .count();

        if !self.continue_on_error && !failed.is_empty() {
            let details = whole_request_details(&failed);
            let message = laravel_message(&details);
            return rejected(request_error(&message, &details), outcomes, summary);
        }
        if let Some(quota) = rules.config.rasl.plan_quota {
            if to_create as u64 > quota {
                let message = format!(
                    "Creating {to_create} contacts would exceed the {quota} your plan still allows; nothing was created."
                );
                let details = [("contacts".to_owned(), message.clone())];
                let response = envelope(403, "FEATURE_LIMIT_EXCEEDED", &message, &details);
                return rejected(response, outcomes, summary);
            }
        }

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
        Outcome {
            response: Response::json(200, &body),
            rows: outcomes,
            summary,
            rejected: false,
        }
    }
}

/// The rows whose contact the outcome carries: the new ones (also when the
/// whole request was refused, so the host sees what would have been created).
fn new_rows(outcome: &mut Outcome) -> impl Iterator<Item = &mut RowOutcome> {
    outcome
        .rows
        .iter_mut()
        .filter(|o| o.status == RowStatus::New)
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
    }
}

/// A prepared Batch Delete Contacts request.
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
    ) -> Result<DeleteBatch, Response> {
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

fn prepare_delete(rules: &Rules, root: &Node<'_>) -> Result<DeleteBatch, Response> {
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
        return Err(request_error(&laravel_message(&problems), &problems));
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
                        code: "not_found",
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
        }
    }
}

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
    ) -> Result<Box<UpdateBatch>, Response> {
        prepare_update(rules, root).map(Box::new)
    }

    fn check_row(rules: &Rules, row: Row<'_, '_>, default: PhoneDefault) -> Option<RowCheck> {
        Some(check_row(rules, row, default))
    }

    fn request_error(message: &str, fields: &[(String, String)]) -> Response {
        request_error(message, fields)
    }
}

fn prepare_update(rules: &Rules, root: &Node<'_>) -> Result<UpdateBatch, Response> {
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
                    code: "duplicate_phone",
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
        }
    }
}
