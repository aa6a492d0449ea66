//! Streaming imports: the engine's row rules over a file of any size.
//!
//! The host (the command line) reads rows in chunks and hands each chunk to
//! an [`Importer`], which checks the chunk's rows in parallel and dedupes
//! them in order against every earlier row. Memory grows with the number of
//! distinct phone keys (16 bytes of key and 8 of row number each), not with
//! the file.

use serde::Serialize;

use crate::config::Profile;
use crate::contact::Contact;
use crate::dedupe::FirstWins;
use crate::engine::Engine;
use crate::json::Node;
use crate::outcome::{FieldError, RowStatus, Summary};
use crate::phone::{PhoneDefault, PhoneKey};
use crate::profile;
use crate::store::Existing;

/// One input row: its fields as a JSON object (or why it could not be read),
/// and an optional per-row region (ISO alpha-2) for phones without `+`.
#[derive(Debug, Clone)]
pub struct ImportRow<'a> {
    /// The row's fields, or a message saying why the row is malformed (a
    /// CSV line with the wrong number of cells, an NDJSON line that is not
    /// an object, ...). A malformed row is that row's `invalid` outcome.
    pub fields: Result<Node<'a>, String>,
    /// Overrides the engine's default region for this row.
    pub region: Option<String>,
}

/// The outcome of one imported row; [`ImportLine::to_json`] is its NDJSON line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportLine {
    /// 1-based row number in the input (header excluded).
    pub row: usize,
    /// `new`, `existing`, `duplicate` or `invalid`.
    pub status: RowStatus,
    /// E.164 phone of a valid row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// For a duplicate: the row that holds the key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<usize>,
    /// For an invalid row: `{"field": ["message", ...]}`.
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "grouped")]
    pub errors: Vec<FieldError>,
    /// The normalized contact of a valid row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
}

fn grouped<S: serde::Serializer>(errors: &[FieldError], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut fields: Vec<(&str, Vec<&str>)> = Vec::new();
    for e in errors {
        match fields.iter_mut().find(|(f, _)| *f == e.field) {
            Some((_, list)) => list.push(&e.message),
            None => fields.push((&e.field, vec![&e.message])),
        }
    }
    let mut map = s.serialize_map(Some(fields.len()))?;
    for (f, list) in fields {
        map.serialize_entry(f, &list)?;
    }
    map.end()
}

impl ImportLine {
    /// The NDJSON line (without the newline).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| format!("{{\"row\":{}}}", self.row))
    }
}

/// The profile has no contact rows to import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportUnsupported(pub Profile);

impl std::fmt::Display for ImportUnsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the {} profile has no contact rows to import (use rasl-create, rasl-update, record-list or contact-book)",
            self.0
        )
    }
}

impl std::error::Error for ImportUnsupported {}

/// Dedupe state of one import, fed chunk by chunk.
#[derive(Debug)]
pub struct Importer<'e> {
    engine: &'e Engine,
    existing: &'e Existing,
    text_source: bool,
    seen: FirstWins<PhoneKey>,
    summary: Summary,
}

impl<'e> Importer<'e> {
    /// Starts an import. `text_source`: every value arrives as a string
    /// (CSV), so integer and boolean fields accept their text form and empty
    /// cells are absent.
    pub fn new(
        engine: &'e Engine,
        existing: &'e Existing,
        text_source: bool,
    ) -> Result<Importer<'e>, ImportUnsupported> {
        if engine.config.profile == Profile::RaslDelete {
            return Err(ImportUnsupported(engine.config.profile));
        }
        Ok(Importer {
            engine,
            existing,
            text_source,
            seen: FirstWins::new(),
            summary: Summary::default(),
        })
    }

    fn default_for(&self, region: Option<&str>) -> Result<PhoneDefault, FieldError> {
        match region.map(str::trim).filter(|r| !r.is_empty()) {
            Some(code) => self
                .engine
                .phones
                .region(code)
                .map(PhoneDefault::Region)
                .ok_or_else(|| FieldError {
                    field: "region".into(),
                    code: "unknown_region",
                    message: format!("`{code}` is not a known ISO 3166-1 alpha-2 region"),
                }),
            None => Ok(
                match (self.engine.phone_default, self.engine.config.profile) {
                    (PhoneDefault::None, Profile::ContactBook) => PhoneDefault::International,
                    (d, _) => d,
                },
            ),
        }
    }

    /// Checks a chunk of rows (in parallel) and dedupes it against all
    /// earlier rows (in order). Returns one line per row, in order.
    pub fn push(&mut self, rows: &[ImportRow<'_>]) -> Vec<ImportLine> {
        let checks = crate::batch::map_rows(self.engine.pool(), rows, |_, row| {
            let default = self.default_for(row.region.as_deref());
            match (&row.fields, default) {
                (Err(message), _) => Err(vec![FieldError {
                    field: "row".into(),
                    code: "malformed_row",
                    message: message.clone(),
                }]),
                (Ok(_), Err(e)) => Err(vec![e]),
                (Ok(node), Ok(default)) if node.as_object().is_some() => {
                    profile::check_row(self.engine, node, default, self.text_source)
                        .ok_or_else(Vec::new)
                }
                (Ok(node), Ok(_)) => Err(vec![FieldError {
                    field: "row".into(),
                    code: "malformed_row",
                    message: format!("a row must be an object, not {}", node.kind()),
                }]),
            }
        });
        let first_row = self.summary.total + 1;
        let mut lines = Vec::with_capacity(checks.len());
        for (i, check) in checks.into_iter().enumerate() {
            let row = first_row + i;
            let line = match check {
                Err(errors) => ImportLine {
                    row,
                    status: RowStatus::Invalid,
                    phone: None,
                    duplicate_of: None,
                    errors,
                    contact: None,
                },
                Ok(c) if !c.errors.is_empty() || c.key.is_none() => ImportLine {
                    row,
                    status: RowStatus::Invalid,
                    phone: None,
                    duplicate_of: None,
                    errors: c.errors,
                    contact: None,
                },
                Ok(c) => {
                    let key = c.key.unwrap_or_else(|| unreachable!("checked above"));
                    let (status, duplicate_of) = match self.seen.claim(key, row) {
                        Some(first) => (RowStatus::Duplicate, Some(first)),
                        None if self.existing.phone(key).is_some() => (RowStatus::Existing, None),
                        None => (RowStatus::New, None),
                    };
                    ImportLine {
                        row,
                        status,
                        phone: Some(key.to_string()),
                        duplicate_of,
                        errors: Vec::new(),
                        contact: Some(c.contact),
                    }
                }
            };
            self.summary.total += 1;
            match line.status {
                RowStatus::New => self.summary.new += 1,
                RowStatus::Existing => self.summary.existing += 1,
                RowStatus::Duplicate => self.summary.duplicate += 1,
                RowStatus::Invalid => self.summary.invalid += 1,
            }
            lines.push(line);
        }
        lines
    }

    /// Counts over every row pushed so far.
    pub fn summary(&self) -> Summary {
        self.summary
    }
}
