//! The rendered HTTP response of an API.

use serde::Serialize;

/// An HTTP response of the API: status and JSON body.
///
/// Serializes as `{"status": 200, "body": "..."}`, the body a JSON string
/// (see [`Response::to_json`] for the body embedded as JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Response {
    /// HTTP status, e.g. 200, 201, 400, 422.
    pub status: u16,
    /// The response body, compact JSON.
    pub body: String,
}

impl Response {
    /// `{"status": STATUS, "body": BODY}`, the form the command line prints
    /// and the C API returns.
    pub fn to_json(&self) -> String {
        let mut s = String::with_capacity(self.body.len() + 24);
        s.push_str("{\"status\":");
        s.push_str(&self.status.to_string());
        s.push_str(",\"body\":");
        s.push_str(&self.body);
        s.push('}');
        s
    }

    pub(crate) fn json<T: Serialize>(status: u16, body: &T) -> Response {
        // Our body types serialize infallibly (string keys, finite numbers);
        // should that ever break, the host gets a 500, not a 2xx with a
        // substitute body.
        match serde_json::to_string(body) {
            Ok(body) => Response { status, body },
            Err(e) => Response {
                status: 500,
                body: serde_json::json!({
                    "error": format!("internal serialization failure: {e}")
                })
                .to_string(),
            },
        }
    }
}
