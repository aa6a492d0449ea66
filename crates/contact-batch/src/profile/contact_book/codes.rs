//! The contact-book reasons and messages: the codes a refused row carries,
//! and how a refused request's message is put together.

use std::borrow::Cow;

/// Row reasons, in precedence order.
pub(super) const PHONE_REQUIRED: &str = "PHONE_REQUIRED";
pub(super) const INVALID_PHONE: &str = "INVALID_PHONE";
pub(super) const INVALID_EMAIL: &str = "INVALID_EMAIL";
pub(super) const INVALID_FIELD: &str = "INVALID_FIELD";

/// Longest key echoed in a message; longer keys are cut.
pub(super) const MESSAGE_KEY_CHARS: usize = 64;

/// The first problem, and how many more there are.
pub(super) fn summary_message(problems: &[String]) -> String {
    match problems {
        [] => "The request is invalid.".to_owned(),
        [one] => one.clone(),
        [first, rest @ ..] => {
            let n = rest.len();
            let s = if n == 1 { "" } else { "s" };
            format!("{first} (and {n} more problem{s})")
        }
    }
}

/// A key as shown in a message: cut when long.
pub(super) fn shown_key(key: &str) -> Cow<'_, str> {
    match key.char_indices().nth(MESSAGE_KEY_CHARS) {
        Some((at, _)) => Cow::Owned(format!("{}…", &key[..at])),
        None => Cow::Borrowed(key),
    }
}
