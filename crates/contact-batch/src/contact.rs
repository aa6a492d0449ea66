//! The canonical contact model every profile maps onto.

use serde::Serialize;

use crate::object::Object;
use crate::phone::{NumberType, ValidPhone};

/// One normalized contact. Fields a profile does not have stay empty and are
/// left out of the JSON form.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Contact {
    /// Given name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Family name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Name as shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Phones, the first being the primary one (the dedupe key).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<ContactPhone>,
    /// Normalized email (domain lowercased).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Company.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// Street address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// City.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// State or province.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Postal code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zip: Option<String>,
    /// IANA time zone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// Priority (record-list, 1..10).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<i64>,
    /// Reference in an external system.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_ref: Option<ExternalRef>,
    /// Free-form notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Developer-defined fields (contact-book `customFields`, record-list
    /// `extra_data`), in request order.
    #[serde(skip_serializing_if = "Object::is_empty")]
    pub custom_fields: Object,
}

/// A normalized phone of a contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContactPhone {
    /// `+` and digits.
    pub e164: String,
    /// The profile's label (`MOBILE`, `HOME`, ...), when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Region of the number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Mobile, fixed line, ...
    pub number_type: NumberType,
    /// Extension, kept apart from the number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extension: Option<String>,
}

impl ContactPhone {
    /// The contact's entry for a validated phone, with the profile's label.
    pub(crate) fn from_valid(phone: &ValidPhone, label: Option<String>) -> ContactPhone {
        ContactPhone {
            e164: phone.e164.clone(),
            label,
            region: phone.region.clone(),
            number_type: phone.number_type,
            extension: phone.extension.clone(),
        }
    }
}

/// An external system's reference to a contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExternalRef {
    /// The system, e.g. `hubspot`.
    pub provider: String,
    /// The id in that system.
    pub id: String,
}
