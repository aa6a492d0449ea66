//! The keys a host looks up in its store between the two phases.

use serde::Serialize;

/// The keys a host must look up in its store for a prepared batch.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LookupKeys {
    /// E.164 phones of valid rows, distinct, in first-seen order.
    pub phones: Vec<String>,
    /// Contact ids (rasl-delete, rasl-update), distinct.
    pub ids: Vec<i64>,
    /// External provider/id pairs (record-list), distinct.
    pub external_refs: Vec<(String, String)>,
}
