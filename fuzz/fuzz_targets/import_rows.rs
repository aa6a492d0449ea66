//! The core streaming `Importer` on arbitrary NDJSON-ish lines.
//!
//! Input: byte 0 picks the profile (the four with contact rows), whether
//! values are read as a text source (CSV) and the chunk size; the rest is
//! split into lines. A line `@CC rest` gives the row the region `CC`; the
//! rest of the line is parsed as JSON (a parse error is a malformed row, as
//! the command line reports it). From a text source, scalar members are
//! turned into strings, as a CSV reader would hand them over.
//!
//! Checks: one line out per row in, numbered 1..n in order; the summary
//! counts the statuses and adds up; an invalid row says why; a valid row has
//! an E.164 phone that normalizes to itself and a contact; a duplicate
//! points at an earlier valid row with the same phone; the store decides new
//! versus existing; the result does not depend on the chunk size or the
//! thread count; every NDJSON line is valid JSON with its row number.
#![no_main]

use std::borrow::Cow;

use contact_batch::{ImportLine, ImportRow, Importer, Node, PhoneKey, Profile, RowStatus};
use libfuzzer_sys::fuzz_target;

const PROFILES: [Profile; 4] = [
    Profile::RaslCreate,
    Profile::RaslUpdate,
    Profile::RecordList,
    Profile::ContactBook,
];

/// A CSV reader hands every scalar over as text.
fn as_text(node: Node<'_>) -> Node<'_> {
    match node {
        Node::Object(members) => Node::Object(
            members
                .into_iter()
                .map(|(k, v)| {
                    let v = match v {
                        Node::Null => Node::Str(Cow::Borrowed("")),
                        Node::Bool(b) => Node::Str(Cow::Owned(b.to_string())),
                        Node::Number(n) => Node::Str(Cow::Owned(n.to_string())),
                        Node::Array(_) | Node::Object(_) => Node::Str(Cow::Owned(v.to_json())),
                        s @ Node::Str(_) => s,
                    };
                    (k, v)
                })
                .collect(),
        ),
        other => other,
    }
}

fn run(
    engine: &contact_batch::Engine,
    existing: &contact_batch::Existing,
    text: bool,
    rows: &[ImportRow<'_>],
    chunk: usize,
) -> (Vec<ImportLine>, contact_batch::Summary) {
    let mut importer = Importer::new(engine, existing, text).expect("a profile with rows");
    let mut lines = Vec::with_capacity(rows.len());
    for part in rows.chunks(chunk) {
        let out = importer.push(part);
        assert_eq!(out.len(), part.len(), "a chunk lost or invented rows");
        lines.extend(out);
    }
    (lines, importer.summary())
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let profile = PROFILES[usize::from(selector & 3)];
    let text = selector & 4 != 0;
    let chunk = usize::from(selector >> 3) + 1;

    let mut rows = Vec::new();
    for line in rest.split(|&b| b == b'\n') {
        let (region, json) = match line {
            [b'@', a, b, b' ', tail @ ..] => {
                (Some(String::from_utf8_lossy(&[*a, *b]).into_owned()), tail)
            }
            _ => (None, line),
        };
        let fields = match Node::parse(json) {
            Ok(node) if text => Ok(as_text(node)),
            Ok(node) => Ok(node),
            Err(e) => Err(format!("line is not JSON: {e}")),
        };
        rows.push(ImportRow { fields, region });
    }

    let existing = fuzz_checks::fixed_existing();
    let (seq, par) = fuzz_checks::engines(profile);
    let (lines, summary) = run(seq, existing, text, &rows, chunk);
    let (whole, whole_summary) = run(par, existing, text, &rows, rows.len().max(1));
    assert_eq!(lines, whole, "chunk size or threads changed the result");
    assert_eq!(summary, whole_summary);

    assert_eq!(lines.len(), rows.len());
    assert_eq!(summary.total, rows.len());
    assert_eq!(
        summary.total,
        summary.new + summary.existing + summary.duplicate + summary.invalid
    );
    let mut counts = [0usize; 4];
    for (i, line) in lines.iter().enumerate() {
        assert_eq!(line.row, i + 1, "rows out of order");
        let json = fuzz_checks::parse_output(&line.to_json());
        assert_eq!(json["row"].as_u64(), Some(i as u64 + 1));
        match line.status {
            RowStatus::Invalid => {
                counts[3] += 1;
                assert!(
                    !line.errors.is_empty(),
                    "row {} invalid without a reason",
                    line.row
                );
                assert!(line.phone.is_none() && line.contact.is_none());
            }
            status => {
                let phone = line.phone.as_deref().expect("a valid row has its phone");
                fuzz_checks::check_e164(seq, phone);
                let contact = line.contact.as_ref().expect("a valid row has its contact");
                assert_eq!(contact.phones.first().map(|p| p.e164.as_str()), Some(phone));
                for p in &contact.phones {
                    fuzz_checks::check_e164(seq, &p.e164);
                }
                assert!(line.errors.is_empty());
                let stored = existing.phone(PhoneKey::from_e164(phone).expect("E.164"));
                match status {
                    RowStatus::New => {
                        counts[0] += 1;
                        assert!(stored.is_none(), "row {} new but stored", line.row);
                    }
                    RowStatus::Existing => {
                        counts[1] += 1;
                        assert!(stored.is_some(), "row {} existing but not stored", line.row);
                    }
                    _ => {
                        counts[2] += 1;
                        let first = line.duplicate_of.expect("a duplicate names its first row");
                        assert!(first >= 1 && first < line.row);
                        let held = &lines[first - 1];
                        assert!(matches!(held.status, RowStatus::New | RowStatus::Existing));
                        assert_eq!(held.phone.as_deref(), Some(phone));
                    }
                }
            }
        }
        if line.status != RowStatus::Duplicate {
            assert!(line.duplicate_of.is_none());
        }
    }
    assert_eq!(
        counts,
        [
            summary.new,
            summary.existing,
            summary.duplicate,
            summary.invalid
        ]
    );
});
