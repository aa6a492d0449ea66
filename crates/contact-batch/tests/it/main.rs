//! The integration tests, one binary (one link instead of one per file):
//! each file is a module; `support` (shared with `hostile.rs`, which stays
//! a binary of its own: it installs a counting global allocator) holds what
//! they share.

#[path = "../support/mod.rs"]
mod support;

mod contact_book;
mod email_vectors;
mod golden;
mod laravel_messages;
mod member_order;
mod msrv;
mod phone_metadata_file;
mod phone_vectors;
mod possible_duplicates;
mod properties;
mod rasl;
mod record_list;
mod refusals;
mod regressions;
mod text_rules;
