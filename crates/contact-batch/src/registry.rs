//! The registry: every API profile, named once.
//!
//! Each entry is the `Profile` variant, the type implementing
//! `profile::api::Api` (a path under `crate::profile`), the profile's
//! name in configs and on the command line, the API's title and its
//! documented batch limit. [`registry!`] hands the list to a macro:
//! `crate::config` generates the `Profile` enum, its names and parsing from
//! it, and `crate::profile` the dispatch from a `Profile` to its
//! implementation. A new profile is its folder under `profile/`, its `mod`
//! line in `profile/mod.rs` and one entry here. (The `mod` lines were part of
//! this list once; rustfmt does not expand macros, so the folders they
//! declared were never formatted.)
//!
//! The list holds names only (it uses no other module), so the config can
//! read it while the profiles read the config: `config` and `profile` both
//! sit above it, and `profile` above `config`.

/// Calls `$callback! { entries }` with every profile's entry.
macro_rules! registry {
    ($callback:ident) => {
        $callback! {
            /// `POST /api/v2/contacts/batch` (Batch Create Contacts).
            RaslCreate: rasl::Create = "rasl-create",
                "Batch Create Contacts (POST /api/v2/contacts/batch)", 1000;
            /// `DELETE /api/v2/contacts/batch` (Batch Delete Contacts).
            RaslDelete: rasl::Delete = "rasl-delete",
                "Batch Delete Contacts (DELETE /api/v2/contacts/batch)", 1000;
            /// `PATCH /api/v2/contacts/{id}` (Update Contact).
            RaslUpdate: rasl::Update = "rasl-update",
                "Update Contact (PATCH /api/v2/contacts/{id})", 1;
            /// Create Multiple Records in a record list.
            RecordList: record_list::RecordList = "record-list",
                "Create Multiple Records in a record list", 100;
            /// Upload Contacts to a contact book.
            ContactBook: contact_book::ContactBook = "contact-book",
                "Upload Contacts to a contact book", 1000;
        }
    };
}

pub(crate) use registry;
