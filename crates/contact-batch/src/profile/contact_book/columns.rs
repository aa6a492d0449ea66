//! contact-book's contacts as CSV columns.

use crate::columns::{ColumnKind, ImportColumns};

/// A contact's fields, what it needs, and the field of each kind of column.
pub(super) const COLUMNS: ImportColumns = ImportColumns {
    fields: &[
        "phone",
        "displayName",
        "firstName",
        "lastName",
        "email",
        "companyName",
        "customFields",
    ],
    required: &[&["phone"]],
    kinds: &[
        (ColumnKind::FirstName, "firstName"),
        (ColumnKind::LastName, "lastName"),
        (ColumnKind::Phone, "phone"),
        (ColumnKind::Email, "email"),
        (ColumnKind::Company, "companyName"),
        (ColumnKind::DisplayName, "displayName"),
    ],
};
