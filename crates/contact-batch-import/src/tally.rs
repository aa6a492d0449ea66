//! What an import wrote: counts by status and by reason, kept as each
//! outcome line is written (never from the rows read), so the summary says
//! exactly what the output holds even when writing failed half way.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::Duration;

use contact_batch::{ImportLine, RowStatus, Summary};

/// Distinct reasons counted one by one; past this many the rest are
/// counted together as "other reasons" (memory stays bounded whatever the
/// messages hold).
const MAX_REASONS: usize = 1000;

/// Reasons listed by name in the human report.
const TOP_REASONS: usize = 10;

/// Counts of the outcome lines written.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    /// Rows written, by status.
    pub summary: Summary,
    /// Invalid rows' reasons: field -> code -> (rows, an example message).
    reasons: HashMap<String, HashMap<&'static str, (usize, String)>>,
    /// Distinct (field, code) pairs in `reasons`.
    distinct: usize,
    /// Reasons beyond [`MAX_REASONS`] distinct ones.
    other_reasons: usize,
    /// Blank rows the reader skipped (every cell empty): not rows, not in
    /// `summary.total`, counted here so the report can say so.
    pub blank: u64,
}

/// One reason of invalid rows, for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    /// The field it is about (`row` for a row that could not be read).
    pub field: String,
    /// The engine's code for it.
    pub code: &'static str,
    /// The first message seen for it.
    pub example: String,
    /// Rows with this reason (a row can have several reasons).
    pub rows: usize,
}

impl Tally {
    /// Counts one line that was written.
    pub fn count(&mut self, line: &ImportLine) {
        let s = &mut self.summary;
        s.total += 1;
        match line.status {
            RowStatus::New => s.new += 1,
            RowStatus::Existing => s.existing += 1,
            RowStatus::Duplicate => s.duplicate += 1,
            // `RowStatus` may grow; a status not known here is no success.
            _ => s.invalid += 1,
        }
        for e in &line.errors {
            // Looked up by `&str`: no allocation for a reason already seen,
            // which is nearly every one.
            if let Some((rows, _)) = self
                .reasons
                .get_mut(e.field.as_str())
                .and_then(|codes| codes.get_mut(e.code.as_str()))
            {
                *rows += 1;
            } else if self.distinct < MAX_REASONS {
                self.distinct += 1;
                self.reasons
                    .entry(e.field.clone())
                    .or_default()
                    .insert(e.code.as_str(), (1, e.message.clone()));
            } else {
                self.other_reasons += 1;
            }
        }
    }

    /// Reasons, most rows first (then by field and code, for a stable order).
    pub fn reasons(&self) -> Vec<Reason> {
        let mut list: Vec<Reason> = self
            .reasons
            .iter()
            .flat_map(|(field, codes)| {
                codes.iter().map(|(code, (rows, example))| Reason {
                    field: field.clone(),
                    code,
                    example: example.clone(),
                    rows: *rows,
                })
            })
            .collect();
        list.sort_by(|a, b| {
            b.rows
                .cmp(&a.rows)
                .then_with(|| a.field.cmp(&b.field))
                .then_with(|| a.code.cmp(b.code))
        });
        list
    }

    /// Rows counted under reasons past the first [`MAX_REASONS`] distinct ones.
    pub fn other_reasons(&self) -> usize {
        self.other_reasons
    }

    /// The human report printed on stderr at the end of an import.
    pub fn report(&self, detected: &[(&str, String)], elapsed: Duration) -> String {
        let s = &self.summary;
        let mut out = String::new();
        let secs = elapsed.as_secs_f64();
        let rate = if secs > 0.0 {
            format!("{:.0} rows/s", s.total as f64 / secs)
        } else {
            "-".to_owned()
        };
        let _ = writeln!(
            out,
            "import: {} rows in {:.2} s ({rate}): {} new, {} existing, {} duplicate, {} invalid",
            s.total, secs, s.new, s.existing, s.duplicate, s.invalid
        );
        for (what, value) in detected {
            let _ = writeln!(out, "  {what}: {value}");
        }
        if self.blank > 0 {
            let _ = writeln!(
                out,
                "  blank rows skipped: {} (every cell empty; not counted as rows)",
                self.blank
            );
        }
        let reasons = self.reasons();
        if !reasons.is_empty() {
            let _ = writeln!(out, "  top reasons for invalid rows:");
            for r in reasons.iter().take(TOP_REASONS) {
                let _ = writeln!(
                    out,
                    "    {:>8}  {}: {}",
                    r.rows,
                    r.field,
                    one_line(&r.example)
                );
            }
            let more: usize = reasons
                .iter()
                .skip(TOP_REASONS)
                .map(|r| r.rows)
                .sum::<usize>()
                + self.other_reasons;
            if more > 0 {
                let _ = writeln!(out, "    {more:>8}  (other reasons)");
            }
        }
        out
    }
}

/// A message on one line, without control characters, at most 160 chars.
fn one_line(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(160)
        .collect();
    if s.chars().count() > 160 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use contact_batch::FieldError;

    fn invalid(row: usize, errors: &[(&str, &'static str, &str)]) -> ImportLine {
        ImportLine {
            row,
            status: RowStatus::Invalid,
            phone: None,
            duplicate_of: None,
            errors: errors
                .iter()
                .map(|(f, c, m)| FieldError::new(*f, contact_batch::ErrorCode::new(c), *m))
                .collect(),
            contact: None,
        }
    }

    #[test]
    fn counts_statuses_and_reasons() {
        let mut t = Tally::default();
        t.count(&invalid(
            1,
            &[("phone", "required", "The phone field is required.")],
        ));
        t.count(&invalid(
            2,
            &[
                ("phone", "required", "The phone field is required."),
                ("firstname", "required", "The firstname field is required."),
            ],
        ));
        t.count(&ImportLine {
            status: RowStatus::New,
            phone: Some("+14155552671".into()),
            ..invalid(3, &[])
        });
        assert_eq!(t.summary.total, 3);
        assert_eq!(t.summary.invalid, 2);
        assert_eq!(t.summary.new, 1);
        let r = t.reasons();
        assert_eq!(r.len(), 2);
        assert_eq!((r[0].field.as_str(), r[0].rows), ("phone", 2));
        assert_eq!((r[1].field.as_str(), r[1].rows), ("firstname", 1));
        let report = t.report(&[("delimiter", "`;`".into())], Duration::from_secs(1));
        assert!(report.contains("3 rows"), "{report}");
        assert!(report.contains("1 new, 0 existing, 0 duplicate, 2 invalid"));
        assert!(report.contains("delimiter: `;`"));
        assert!(report.contains("2  phone: The phone field is required."));
    }

    #[test]
    fn reasons_stay_bounded() {
        let mut t = Tally::default();
        let fields: Vec<String> = (0..MAX_REASONS + 50).map(|i| format!("f{i}")).collect();
        for (i, f) in fields.iter().enumerate() {
            t.count(&invalid(i + 1, &[(f, "x", "m")]));
        }
        assert_eq!(t.reasons().len(), MAX_REASONS);
        assert_eq!(t.other_reasons(), 50);
        assert!(t.report(&[], Duration::ZERO).contains("(other reasons)"));
    }
}
