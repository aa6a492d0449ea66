//! The profiles' own settings and field limits, the groups of
//! [`Config`](crate::Config) and [`Limits`](crate::Limits) that belong to
//! one API each.
//!
//! A leaf: these are plain data (serde only), so the config can hold them
//! without depending on the profiles that read them (`config` below
//! `profile`, never the reverse).

pub(crate) mod contact_book;
pub(crate) mod rasl;
pub(crate) mod record_list;
