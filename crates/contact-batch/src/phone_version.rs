//! The libphonenumber release the engine's phone tables come from (a leaf:
//! the tables' generators and the runtime both name it).

/// The libphonenumber release whose metadata the engine embeds.
pub const PHONE_METADATA_VERSION: &str = "9.0.43";
