//! How a profile's rows look as the columns of a CSV file: the fields a
//! column may hold, the fields a file must have, and which field holds a
//! column of a common kind (`First Name`, `Mobile`, `Company`, ...).
//!
//! Each profile owns its table (its folder under `profile/`); hosts read it
//! through [`Profile::import_columns`](crate::Profile::import_columns). The
//! import crate matches a file's header names against it.

/// A kind of column that CRM and spreadsheet exports share under many names
/// (`Phone Number`, `Mobile`, `Tel`, ...), whatever the API calls the field.
///
/// Non-exhaustive: a later version may know more kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ColumnKind {
    /// A given name.
    FirstName,
    /// A family name.
    LastName,
    /// A phone number.
    Phone,
    /// An email address.
    Email,
    /// A company or organization.
    Company,
    /// A city or town.
    City,
    /// A state, province or county.
    State,
    /// A ZIP or postal code.
    Zip,
    /// A street address.
    Address,
    /// A full name shown as is.
    DisplayName,
}

/// One profile's CSV columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ImportColumns {
    /// The fields of a row that a column can hold, as the API names them,
    /// in documentation order.
    pub fields: &'static [&'static str],
    /// The fields a file must have: each group is satisfied by a column of
    /// any of its names.
    pub required: &'static [&'static [&'static str]],
    /// The field that holds a column of each kind the profile has (a kind
    /// not listed has no field in this API).
    pub kinds: &'static [(ColumnKind, &'static str)],
}

impl ImportColumns {
    /// No columns: an API whose rows are not contacts.
    pub const NONE: ImportColumns = ImportColumns {
        fields: &[],
        required: &[],
        kinds: &[],
    };

    /// The field holding a column of `kind`, if the API has one.
    pub fn field_of(&self, kind: ColumnKind) -> Option<&'static str> {
        self.kinds.iter().find(|(k, _)| *k == kind).map(|(_, f)| *f)
    }
}

#[cfg(test)]
mod tests {
    use crate::Profile;

    /// Every required name and every kind's field is one of the profile's
    /// fields, so a file mapped by them passes the field check.
    #[test]
    fn tables_name_only_their_own_fields() {
        for profile in Profile::ALL {
            let columns = profile.import_columns();
            for group in columns.required {
                assert!(!group.is_empty(), "{profile}");
                for name in *group {
                    assert!(columns.fields.contains(name), "{profile}: {name}");
                }
            }
            for (kind, field) in columns.kinds {
                assert!(columns.fields.contains(field), "{profile}: {kind:?}");
                assert_eq!(columns.field_of(*kind), Some(*field));
            }
            assert_eq!(profile.import_fields(), columns.fields);
            assert_eq!(profile.import_required(), columns.required);
        }
        assert_eq!(
            Profile::RecordList
                .import_columns()
                .field_of(super::ColumnKind::Email),
            None
        );
    }
}
