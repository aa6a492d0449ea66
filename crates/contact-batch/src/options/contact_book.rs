//! contact-book's settings, flattened into the config's JSON.

use serde::{Deserialize, Serialize};

/// Field limits of contact-book, in characters unless named otherwise (keys
/// of a config's `limits`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ContactBookLimits {
    /// `displayName`, `companyName`.
    #[serde(rename = "book_display_name")]
    pub display_name: usize,
    /// `firstName`, `lastName`.
    #[serde(rename = "book_name")]
    pub name: usize,
    /// Members of `customFields`.
    #[serde(rename = "book_custom_fields")]
    pub custom_fields: usize,
    /// Length of a `customFields` key.
    #[serde(rename = "book_custom_key")]
    pub custom_key: usize,
    /// Length of a string `customFields` value.
    #[serde(rename = "book_custom_value")]
    pub custom_value: usize,
}

impl Default for ContactBookLimits {
    fn default() -> Self {
        ContactBookLimits {
            display_name: 120,
            name: 80,
            custom_fields: 50,
            custom_key: 64,
            custom_value: 1000,
        }
    }
}
