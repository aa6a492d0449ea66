//! Streaming imports: the engine's row rules over a file of any size.
//!
//! The host (the command line) reads rows in chunks and hands each chunk to
//! an [`Importer`], which checks the chunk's rows in parallel and dedupes
//! them in order against every earlier row. Memory grows with the number of
//! distinct phone keys (16 bytes of key and 8 of row number each), not with
//! the file.

mod line;
mod ndjson;

pub use self::line::ImportLine;

use crate::config::Profile;
use crate::contact::Contact;
use crate::dedupe::FirstWins;
use crate::engine::Engine;
use crate::existing::Existing;
use crate::json::Node;
use crate::outcome::{ErrorCode, FieldError, RowStatus, Summary};
use crate::phone::{PhoneDefault, PhoneKey};
use crate::profile;

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

/// A row that passed its checks, waiting for the in-order dedupe.
#[derive(Debug)]
struct Checked {
    key: PhoneKey,
    e164: String,
    contact: Contact,
}

/// Dedupe state of one import, fed chunk by chunk.
///
/// A chunk goes through two steps: [`ImportChecker::check_with`] checks its
/// rows, each on its own (in parallel on the engine's threads), and
/// [`Importer::record`] dedupes them in order against every earlier row.
/// [`Importer::push`] and [`Importer::push_with`] do both; a host that
/// pipelines chunks can check one chunk while another thread records the
/// one before it, since the checker holds no state of the import.
#[derive(Debug)]
pub struct Importer<'e> {
    checker: ImportChecker<'e>,
    existing: &'e Existing,
    seen: FirstWins<PhoneKey>,
    summary: Summary,
}

/// The per-row half of an import: the profile's checks and the row's E.164
/// key, which depend on no other row. Obtained from
/// [`Importer::checker`]; cheap to copy and usable from any thread.
#[derive(Debug, Clone, Copy)]
pub struct ImportChecker<'e> {
    engine: &'e Engine,
    text_source: bool,
}

/// One chunk's rows as checked by [`ImportChecker::check_with`], in order,
/// waiting for [`Importer::record`].
#[derive(Debug)]
pub struct CheckedChunk(Vec<Result<Checked, Vec<FieldError>>>);

impl<'e> Importer<'e> {
    /// Starts an import. `text_source`: every value arrives as a string
    /// (CSV), so integer and boolean fields accept their text form and empty
    /// cells are absent.
    pub fn new(
        engine: &'e Engine,
        existing: &'e Existing,
        text_source: bool,
    ) -> Result<Importer<'e>, ImportUnsupported> {
        let profile = engine.config().profile;
        if !profile::imports(profile) {
            return Err(ImportUnsupported(profile));
        }
        Ok(Importer {
            checker: ImportChecker {
                engine,
                text_source,
            },
            existing,
            seen: FirstWins::new(),
            summary: Summary::default(),
        })
    }

    /// The per-row half of this import, to check chunks on another thread
    /// than the one that records them.
    pub fn checker(&self) -> ImportChecker<'e> {
        self.checker
    }

    /// Checks a chunk of rows (in parallel) and dedupes it against all
    /// earlier rows (in order). Returns one line per row, in order.
    pub fn push(&mut self, rows: &[ImportRow<'_>]) -> Vec<ImportLine> {
        let checked = self.checker.check(rows);
        self.record(checked)
    }

    /// [`Importer::push`] for rows in the host's own form: `to_row` turns
    /// each item into its [`ImportRow`] on the engine's threads, so the
    /// conversion runs in parallel with the checks.
    pub fn push_with<'t, T, F>(&mut self, items: &'t [T], to_row: F) -> Vec<ImportLine>
    where
        T: Sync,
        F: Fn(&'t T) -> ImportRow<'t> + Sync,
    {
        let checked = self.checker.check_with(items, to_row);
        self.record(checked)
    }

    /// The order-dependent half: first-wins dedupe against every row
    /// recorded before, existing keys, counts. Chunks must be recorded in
    /// the order of their rows. Returns one line per row, in order.
    pub fn record(&mut self, checked: CheckedChunk) -> Vec<ImportLine> {
        let first_row = self.summary.total + 1;
        let mut lines = Vec::with_capacity(checked.0.len());
        for (i, check) in checked.0.into_iter().enumerate() {
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
                Ok(c) => {
                    let (status, duplicate_of) = match self.seen.claim(c.key, row) {
                        Some(first) => (RowStatus::Duplicate, Some(first)),
                        None if self.existing.phone(c.key).is_some() => (RowStatus::Existing, None),
                        None => (RowStatus::New, None),
                    };
                    ImportLine {
                        row,
                        status,
                        phone: Some(c.e164),
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

impl<'e> ImportChecker<'e> {
    /// Checks a chunk of rows, in parallel on the engine's threads.
    pub fn check(&self, rows: &[ImportRow<'_>]) -> CheckedChunk {
        CheckedChunk(crate::par::map_rows(
            self.engine.rules.pool(),
            rows,
            |_, row| self.check_row(row),
        ))
    }

    /// [`ImportChecker::check`] for rows in the host's own form, converted
    /// by `to_row` on the engine's threads.
    pub fn check_with<'t, T, F>(&self, items: &'t [T], to_row: F) -> CheckedChunk
    where
        T: Sync,
        F: Fn(&'t T) -> ImportRow<'t> + Sync,
    {
        CheckedChunk(crate::par::map_rows(
            self.engine.rules.pool(),
            items,
            |i, _| self.check_row(&to_row(&items[i])),
        ))
    }

    /// The row's phone default, and the row's error for a `region` the
    /// phone library does not know. Such a row's phone is read with no
    /// default region (a `+CC` number is still valid, as libphonenumber
    /// reads it); the error is reported only when the row's phone is not
    /// valid, where it says why a national number was not read.
    fn default_for(&self, region: Option<&str>) -> (PhoneDefault, Option<FieldError>) {
        let rules = &self.engine.rules;
        match region.map(str::trim).filter(|r| !r.is_empty()) {
            Some(code) => match rules.phones.region(code) {
                Some(r) => (PhoneDefault::Region(r), None),
                None => (
                    PhoneDefault::None,
                    Some(FieldError {
                        field: "region".into(),
                        code: ErrorCode::new("unknown_region"),
                        message: format!("`{code}` is not a known ISO 3166-1 alpha-2 region"),
                    }),
                ),
            },
            None => (
                profile::import_default(rules.config.profile, rules.phone_default),
                None,
            ),
        }
    }

    /// The per-row work that does not depend on other rows: the profile's
    /// checks and the E.164 text of the key.
    fn check_row(&self, row: &ImportRow<'_>) -> Result<Checked, Vec<FieldError>> {
        let (default, unknown_region) = self.default_for(row.region.as_deref());
        match &row.fields {
            Err(message) => Err(vec![FieldError {
                field: "row".into(),
                code: ErrorCode::new("malformed_row"),
                message: message.clone(),
            }]),
            Ok(node) if node.as_object().is_some() => {
                let c = profile::check_row(&self.engine.rules, node, default, self.text_source)
                    .ok_or_else(Vec::new)?;
                match c.key {
                    Some(key) if c.errors.is_empty() => Ok(Checked {
                        e164: key.to_string(),
                        key,
                        contact: c.contact,
                    }),
                    _ => {
                        let mut errors = c.errors;
                        let phone_failed = errors.iter().any(|e| e.field.starts_with("phone"));
                        if let Some(e) = unknown_region.filter(|_| phone_failed) {
                            errors.insert(0, e);
                        }
                        Err(errors)
                    }
                }
            }
            Ok(node) => Err(vec![FieldError {
                field: "row".into(),
                code: ErrorCode::new("malformed_row"),
                message: format!("a row must be an object, not {}", node.kind()),
            }]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use std::borrow::Cow;

    /// Host rows as (phone, region): the form `push_with` converts on the
    /// engine's threads.
    fn host_rows() -> Vec<(String, Option<String>)> {
        (0..300)
            .map(|i| match i % 5 {
                0 => (format!("+1 415 555 {:04}", 2000 + i % 40), None),
                1 => (
                    format!("020 7183 {:04}", 8000 + i % 30),
                    Some("GB".to_owned()),
                ),
                2 => ("not a phone".to_owned(), None),
                3 => (
                    format!("415-555-{:04}", 2000 + i % 40),
                    Some("ZZ".to_owned()),
                ),
                _ => (format!("+44 20 7183 {:04}", 8000 + i % 30), None),
            })
            .collect()
    }

    fn to_row(host: &(String, Option<String>)) -> ImportRow<'_> {
        ImportRow {
            fields: Ok(Node::Object(vec![
                (Cow::Borrowed("firstname"), Node::Str(Cow::Borrowed("Ann"))),
                (Cow::Borrowed("phone"), Node::Str(Cow::Borrowed(&host.0))),
            ])),
            region: host.1.clone(),
        }
    }

    #[test]
    fn push_with_and_pipelined_record_equal_push_at_any_thread_count() {
        let hosts = host_rows();
        let existing = Existing::new();
        let mut results = Vec::new();
        for threads in [1, 2] {
            let engine = Engine::new(Config {
                threads: Some(threads),
                ..Config::new(Profile::RaslCreate)
            })
            .unwrap();
            let rows: Vec<ImportRow<'_>> = hosts.iter().map(to_row).collect();
            let mut a = Importer::new(&engine, &existing, true).unwrap();
            let mut b = Importer::new(&engine, &existing, true).unwrap();
            let (a1, a2) = (a.push(&rows[..100]), a.push(&rows[100..]));
            let (b1, b2) = (
                b.push_with(&hosts[..100], to_row),
                b.push_with(&hosts[100..], to_row),
            );
            assert_eq!(a1, b1);
            assert_eq!(a2, b2);
            assert_eq!(a.summary(), b.summary());
            // Pipelined: the second chunk is checked on another thread
            // while the first is recorded.
            let mut c = Importer::new(&engine, &existing, true).unwrap();
            let checker = c.checker();
            let first = checker.check(&rows[..100]);
            let (c1, second) = std::thread::scope(|scope| {
                let second = scope.spawn(|| checker.check_with(&hosts[100..], to_row));
                (c.record(first), second.join().unwrap())
            });
            assert_eq!(c1, a1);
            assert_eq!(c.record(second), a2);
            assert_eq!(c.summary(), a.summary());
            results.push([a1, a2].concat());
        }
        assert_eq!(results[0], results[1]);
        let lines = &results[0];
        let mut buf = b"prefix".to_vec();
        for line in lines {
            buf.truncate(6);
            line.write_json(&mut buf);
            assert_eq!(&buf[6..], line.to_json().as_bytes());
            assert!(serde_json::from_slice::<serde_json::Value>(&buf[6..]).is_ok());
        }
        // Rows 101.. continue the numbering and dedupe against rows 1..100.
        assert_eq!(lines[150].row, 151);
        let dup = lines
            .iter()
            .find(|l| l.row > 100 && l.status == RowStatus::Duplicate);
        assert!(dup.is_some_and(|l| l.duplicate_of.unwrap() <= 100));
        assert!(lines
            .iter()
            .any(|l| l.errors.iter().any(|e| e.code == "unknown_region")));
        assert!(lines
            .iter()
            .filter(|l| l.status == RowStatus::New)
            .all(|l| l.phone.as_deref().is_some_and(|p| p.starts_with('+'))));
    }
}
