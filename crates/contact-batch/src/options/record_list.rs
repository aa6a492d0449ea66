//! record-list's settings, flattened into the config's JSON.

use serde::{Deserialize, Serialize};

/// Options of record-list (keys at the top of a config's JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct RecordListOptions {
    /// A record without `timezone` is `TIMEZONE_MISSING`.
    pub require_timezone: bool,
    /// The base of the `_links` hrefs.
    pub link_base: String,
}

impl Default for RecordListOptions {
    fn default() -> Self {
        RecordListOptions {
            require_timezone: false,
            link_base: "/record-lists".to_owned(),
        }
    }
}

/// Field limits of record-list, in characters unless named otherwise (keys
/// of a config's `limits`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct RecordListLimits {
    /// `first_name`, `last_name`.
    #[serde(rename = "record_name")]
    pub name: usize,
    /// `timezone`.
    #[serde(rename = "record_timezone")]
    pub timezone: usize,
    /// Entries of `phone_numbers`.
    #[serde(rename = "record_phones")]
    pub phones: usize,
    /// One `phone_number`.
    #[serde(rename = "record_phone_chars")]
    pub phone_chars: usize,
    /// `external_provider`, `external_id`, `external_url`.
    #[serde(rename = "record_external")]
    pub external: usize,
}

impl Default for RecordListLimits {
    fn default() -> Self {
        RecordListLimits {
            name: 80,
            timezone: 35,
            phones: 6,
            phone_chars: 20,
            external: 255,
        }
    }
}
