//! The contact-book response bodies: the 400 `VALIDATION_FAILED` envelope
//! and Upload Contacts' summary and per-row results.

use serde::Serialize;

use crate::existing::ContactBookInfo;
use crate::json::Node;
use crate::par::RenderedRows;
use crate::response::Response;

#[derive(Serialize)]
pub(super) struct ErrorEnvelope<'a> {
    pub(super) success: bool,
    pub(super) error: ErrorBody<'a>,
}

#[derive(Serialize)]
pub(super) struct ErrorBody<'a> {
    pub(super) code: &'static str,
    pub(super) message: &'a str,
}

/// 400 `VALIDATION_FAILED`. The envelope has no per-field details, so the
/// message must say everything; `fields` is not rendered.
pub(super) fn request_error(message: &str, _fields: &[(String, String)]) -> Response {
    Response::json(
        400,
        &ErrorEnvelope {
            success: false,
            error: ErrorBody {
                code: "VALIDATION_FAILED",
                message,
            },
        },
    )
}

#[derive(Serialize)]
pub(super) struct UploadBody<'a> {
    pub(super) success: bool,
    pub(super) message: &'static str,
    pub(super) data: UploadData<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct UploadData<'a> {
    pub(super) contact_book: Option<&'a ContactBookInfo>,
    pub(super) summary: UploadSummary,
    pub(super) results: RenderedRows<RowResult<'a>>,
}

#[derive(Serialize)]
pub(super) struct UploadSummary {
    pub(super) total: usize,
    pub(super) created: usize,
    pub(super) updated: usize,
    pub(super) skipped: usize,
    pub(super) invalid: usize,
}

#[derive(Serialize)]
pub(super) struct RowResult<'a> {
    pub(super) row: usize,
    pub(super) status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) reason: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) contact: Option<ResultContact<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) phone: Option<ResultPhone<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ResultContact<'a> {
    pub(super) contact_uid: &'a Node<'static>,
    pub(super) phone: &'a str,
}

#[derive(Serialize)]
#[serde(untagged)]
pub(super) enum ResultPhone<'a> {
    /// Normalized: E.164 digits without `+`.
    Digits(&'a str),
    /// As sent.
    Sent(&'a Node<'static>),
}
