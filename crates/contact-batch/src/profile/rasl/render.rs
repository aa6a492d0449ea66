//! The rasl profiles' response bodies: the error envelope, Batch Create's
//! created/skipped/errors lists, Batch Delete's and Update's answers.

use serde::Serialize;

use super::checks::*;
use crate::json::Node;
use crate::object::Object;
use crate::outcome::FieldError;
use crate::par::RenderedRows;
use crate::response::Response;

#[derive(Serialize)]
pub(super) struct ErrorEnvelope<'a> {
    pub(super) success: bool,
    pub(super) error: ErrorBody<'a>,
}

#[derive(Serialize)]
pub(super) struct ErrorBody<'a> {
    pub(super) code: &'a str,
    pub(super) message: &'a str,
    pub(super) details: Object,
}

pub(super) fn envelope(
    status: u16,
    code: &str,
    message: &str,
    fields: &[(String, String)],
) -> Response {
    let mut details = Object::new();
    for (field, msg) in fields {
        match details.get_or_insert_with(field.clone(), || Node::Array(Vec::new())) {
            Node::Array(list) => list.push(Node::from(msg.as_str())),
            _ => unreachable!("details members are arrays"),
        }
    }
    Response::json(
        status,
        &ErrorEnvelope {
            success: false,
            error: ErrorBody {
                code,
                message,
                details,
            },
        },
    )
}

/// 422 `VALIDATION_ERROR` with Laravel-style `details`.
pub(super) fn request_error(message: &str, fields: &[(String, String)]) -> Response {
    envelope(422, "VALIDATION_ERROR", message, fields)
}

#[derive(Serialize)]
pub(super) struct CreateBody<'a> {
    pub(super) success: bool,
    pub(super) summary: CreateSummary,
    pub(super) created: RenderedRows<Members<'a>>,
    pub(super) skipped: RenderedRows<Skipped<'a>>,
    pub(super) errors: RenderedRows<RowErrors<'a>>,
}

#[derive(Serialize)]
pub(super) struct CreateSummary {
    pub(super) total: usize,
    pub(super) created: usize,
    pub(super) skipped: usize,
    pub(super) failed: usize,
}

#[derive(Serialize)]
pub(super) struct Skipped<'a> {
    pub(super) index: usize,
    pub(super) reason: &'static str,
    pub(super) data: Option<&'a Node<'static>>,
}

#[derive(Serialize)]
pub(super) struct RowErrors<'a> {
    pub(super) index: usize,
    pub(super) data: Option<&'a Node<'static>>,
    pub(super) errors: Object,
}

pub(super) fn grouped(errors: &[FieldError]) -> Object {
    let mut map = Object::new();
    for e in errors {
        if let Node::Array(list) =
            map.get_or_insert_with(e.field.clone(), || Node::Array(Vec::new()))
        {
            list.push(Node::from(e.message.as_str()));
        }
    }
    map
}

#[derive(Serialize)]
pub(super) struct DeleteBody {
    pub(super) success: bool,
    pub(super) summary: DeleteSummary,
}

#[derive(Serialize)]
pub(super) struct DeleteSummary {
    pub(super) total: usize,
    pub(super) deleted: usize,
    pub(super) failed: usize,
}

#[derive(Serialize)]
pub(super) struct UpdateBody<'a> {
    pub(super) success: bool,
    pub(super) message: &'static str,
    pub(super) data: &'a Object,
}
