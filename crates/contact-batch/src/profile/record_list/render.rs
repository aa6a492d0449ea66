//! record-list's response bodies: the 201 with the created records, and
//! the 400 `INVALID_REQUEST` of a refused request.

use serde::Serialize;

use crate::object::Object;
use crate::response::Response;

#[derive(Serialize)]
pub(super) struct RequestErrorBody<'a> {
    pub(super) code: &'static str,
    pub(super) message: &'a str,
    pub(super) description: &'static str,
    pub(super) fields: Vec<RequestErrorField<'a>>,
}

#[derive(Serialize)]
pub(super) struct RequestErrorField<'a> {
    pub(super) name: &'a str,
    pub(super) description: &'a str,
}

/// 400 `INVALID_REQUEST`, one `fields` entry per offending member.
pub(super) fn request_error(message: &str, fields: &[(String, String)]) -> Response {
    Response::json(
        400,
        &RequestErrorBody {
            code: "INVALID_REQUEST",
            message,
            description: "The request body does not match the schema of Create Multiple Records; no record was created.",
            fields: fields
                .iter()
                .map(|(name, description)| RequestErrorField { name, description })
                .collect(),
        },
    )
}

#[derive(Serialize)]
pub(super) struct CreatedBody<'a> {
    pub(super) record_list_id: Option<&'a str>,
    pub(super) has_error: bool,
    pub(super) total_errors: usize,
    pub(super) total_created: usize,
    #[serde(rename = "_links", skip_serializing_if = "Option::is_none")]
    pub(super) links: Option<Links>,
    #[serde(rename = "_embedded")]
    pub(super) embedded: Embedded<'a>,
}

#[derive(Serialize)]
pub(super) struct Links {
    #[serde(rename = "self")]
    pub(super) this: Href,
    pub(super) record_list: Href,
}

#[derive(Serialize)]
pub(super) struct Href {
    pub(super) href: String,
}

#[derive(Serialize)]
pub(super) struct Embedded<'a> {
    pub(super) records: crate::par::RenderedRows<ShownRecord<'a>>,
}

/// One record as the response shows it: `record_list_id` (when the host
/// gave one), the members it sent, normalized, then its error codes. Written
/// from the checked record without copying its echo.
pub(super) struct ShownRecord<'a> {
    pub(super) record_list_id: Option<&'a str>,
    pub(super) echo: &'a Object,
    pub(super) errors: Vec<&'static str>,
}

impl Serialize for ShownRecord<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        // The echo holds the API's record fields only, never these two
        // names, so each appears once, where the API puts it.
        debug_assert!(!self.echo.contains_key("record_list_id"));
        debug_assert!(!self.echo.contains_key("errors"));
        let mut map = s.serialize_map(None)?;
        if let Some(id) = self.record_list_id {
            map.serialize_entry("record_list_id", id)?;
        }
        for (k, v) in self.echo {
            map.serialize_entry(k, v)?;
        }
        map.serialize_entry("errors", &self.errors)?;
        map.end()
    }
}
