//! The rasl profiles' rows as CSV columns.

use crate::columns::{ColumnKind, ImportColumns};

/// The fields of a rasl contact a column can hold.
const FIELDS: &[&str] = &[
    "firstname",
    "lastname",
    "phone",
    "email",
    "type",
    "company",
    "city",
    "state",
    "zip",
    "address",
    "description",
    "source_id",
    "status_id",
    "country_id",
    "assigned_id",
];

/// The field of each kind of column.
const KINDS: &[(ColumnKind, &str)] = &[
    (ColumnKind::FirstName, "firstname"),
    (ColumnKind::LastName, "lastname"),
    (ColumnKind::Phone, "phone"),
    (ColumnKind::Email, "email"),
    (ColumnKind::Company, "company"),
    (ColumnKind::City, "city"),
    (ColumnKind::State, "state"),
    (ColumnKind::Zip, "zip"),
    (ColumnKind::Address, "address"),
];

/// Batch Create Contacts: a contact needs its first name and phone.
pub(super) const CREATE: ImportColumns = ImportColumns {
    fields: FIELDS,
    required: &[&["firstname"], &["phone"]],
    kinds: KINDS,
};

/// Update Contact (and Delete, whose rows are ids and never imported): the
/// phone finds the contact.
pub(super) const UPDATE: ImportColumns = ImportColumns {
    fields: FIELDS,
    required: &[&["phone"]],
    kinds: KINDS,
};
