//! record-list's records as CSV columns.

use crate::columns::{ColumnKind, ImportColumns};

/// A record's fields, what it needs, and the field of each kind of column
/// (a record has no email).
pub(super) const COLUMNS: ImportColumns = ImportColumns {
    fields: &[
        "first_name",
        "last_name",
        "phone_number",
        "phone_numbers",
        "timezone",
        "priority",
        "external_provider",
        "external_id",
        "external_url",
        "sync_external_id",
        "extra_data",
    ],
    required: &[
        &["first_name"],
        &["last_name"],
        &["phone_number", "phone_numbers"],
    ],
    kinds: &[
        (ColumnKind::FirstName, "first_name"),
        (ColumnKind::LastName, "last_name"),
        (ColumnKind::Phone, "phone_number"),
    ],
};
