//! The integration tests, one binary (one link instead of one per file):
//! each file is a module, `common` holds what they share. `hostile.rs`
//! stays a binary of its own: it installs a counting global allocator.

mod common;

mod contact_book;
mod email_vectors;
mod golden;
mod laravel_messages;
mod member_order;
mod msrv;
mod phone_vectors;
mod properties;
mod rasl;
mod record_list;
mod regressions;
mod text_rules;
