//! The rasl profiles' settings, flattened into the config's JSON.

use serde::{Deserialize, Serialize};

/// Options of the rasl profiles (keys at the top of a config's JSON).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct RaslOptions {
    /// rasl-create: contacts the tenant's plan still allows; creating more
    /// is refused with 403 `FEATURE_LIMIT_EXCEEDED`. `None`: no limit.
    pub plan_quota: Option<u64>,
}

/// Field limits of the rasl profiles, in characters unless named otherwise
/// (keys of a config's `limits`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct RaslLimits {
    /// `firstname`, `lastname`, `company`, `city`, `state`, `address`.
    #[serde(rename = "rasl_text")]
    pub text: usize,
    /// `zip`.
    #[serde(rename = "rasl_zip")]
    pub zip: usize,
    /// `description`.
    #[serde(rename = "rasl_description")]
    pub description: usize,
    /// Entries of `groups`.
    #[serde(rename = "rasl_groups")]
    pub groups: usize,
}

impl Default for RaslLimits {
    fn default() -> Self {
        RaslLimits {
            text: 255,
            zip: 20,
            description: 65_535,
            groups: 1000,
        }
    }
}
