//! The outcome of one imported row, as the import's output writes it.

use serde::Serialize;

use crate::contact::Contact;
use crate::outcome::{FieldError, RowStatus};

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
