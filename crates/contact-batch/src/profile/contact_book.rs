//! STUB: being written; see the profile module docs for the interface.

use super::fields::Row;
use super::RowCheck;
use crate::engine::Engine;
use crate::json::Node;
use crate::outcome::{LookupKeys, Outcome, Response};
use crate::phone::PhoneDefault;
use crate::store::Existing;

/// A prepared batch.
#[derive(Debug, Clone)]
pub(crate) struct Batch;

pub(crate) fn request_error(message: &str, _fields: &[(String, String)]) -> Response {
    Response::json(400, &message)
}

pub(crate) fn prepare(_engine: &Engine, _root: &Node<'_>) -> Result<Batch, Response> {
    Err(request_error("not implemented", &[]))
}

pub(crate) fn check_row(_engine: &Engine, _row: Row<'_, '_>, _default: PhoneDefault) -> RowCheck {
    RowCheck::default()
}

impl Batch {
    pub(crate) fn keys(&self) -> LookupKeys {
        LookupKeys::default()
    }
    pub(crate) fn resolve(&self, _engine: &Engine, _existing: &Existing) -> Outcome {
        Outcome::refused(request_error("not implemented", &[]))
    }
}
