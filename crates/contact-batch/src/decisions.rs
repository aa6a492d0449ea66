//! Every decision this crate takes where the API documents it implements
//! are silent, profile by profile (documentation only: this module holds
//! no code).
//!
//! Each entry is behaviour a host can rely on and a test pins; the
//! deliberate differences from the reference implementations
//! (libphonenumber, RFC 5322/6531, UTS #46, Laravel) are listed in the
//! crate documentation, "Differences from the references".
//!
//! # Every profile
//!
//! - A JSON number a response echoes is written back as it was read, except
//!   negative zero: `-0` and `-0.0` are echoed as `0` (as PHP's
//!   `json_decode`/`json_encode` and JavaScript's `JSON.parse`/`stringify`
//!   do for `-0`), never as `-0.0`. As a value (an id, a priority) it is 0.
//!
//! - **Import hints.** In a streaming import (not in an API response, whose
//!   messages stay the API's, byte for byte), an invalid row's `phone` or
//!   `email` gets a second message after the profile's: the number is valid
//!   with a lost leading `+`, or in the country of the email's domain (a UK
//!   number read with `--default-region US`); or why the address is not valid
//!   (`renee.oconnor@example`: "The domain of the email address has no
//!   dot."). Its [`FieldError::code`](crate::FieldError) starts with `hint_`
//!   (one code per kind of hint: `hint_plus_lost`, `hint_email_country`,
//!   `hint_email_domain_without_dot`, ...). The rules
//!   are in the import module's `hints` (not public); its tests pin them.
//!
//! # rasl-create, rasl-delete and rasl-update (a Laravel API)
//!
//! - `continue_on_error: false` with any failed row answers like Laravel's
//!   up-front validation of the whole request: 422 `VALIDATION_ERROR` whose
//!   `details` hold every error keyed `contacts.{index}.{field}`; nothing is
//!   created.
//! - `type: null` means "not given" (create: `lead`; update: unchanged).
//! - rasl-update without a stored contact in the existing data merges onto
//!   an empty object (the host answers 404 for an unknown id itself).
//!
//! # record-list (Create Multiple Records in a record list)
//!
//! - **Phones.** `phone_numbers: null` or `[]` counts as absent: the deprecated
//!   `phone_number` is then used (as a `MOBILE` number), and with neither the
//!   record is `PHONE_NUMBER_MISSING`. An entry whose `phone_number` is absent,
//!   null or blank is `PHONE_NUMBER_MISSING` too; any other problem of the
//!   list or of an entry (not an array, more than `limits.record_phones`
//!   entries, an entry that is not an object, a number that is not a string,
//!   too long, unparsable or not valid, a `phone_type` absent, not one of the
//!   six values (exact, upper case, surrounding spaces trimmed) or repeated)
//!   is `PHONE_NUMBER_INVALID`. An oversized list is not parsed at all.
//! - When a record sends both `phone_numbers` (non-empty) and the deprecated
//!   `phone_number`, the list is used and `phone_number` must be one of its
//!   numbers (same E.164 form), else `PHONE_NUMBER_INVALID`: a client that
//!   sends the same number twice is accepted, a different number is never
//!   silently dropped.
//! - **Uniqueness.** A record is *valid on its own* when it has no error that
//!   can be seen without the rest of the batch or the store. In-batch dedupe
//!   runs in `prepare` among those records, first wins: a later record that
//!   shares any phone (or the external provider/id pair) with an earlier
//!   valid-on-its-own, non-repeated record is `PHONE_NUMBER_NOT_UNIQUE` (or
//!   `EXTERNAL_ID_AND_PROVIDER_NOT_UNIQUE`) and claims none of its keys.
//!   Store conflicts are added in `resolve`, only for the records that are
//!   neither invalid nor repeats: exactly those whose keys
//!   the keys phase one lists, so the one-call and two-phase forms agree
//!   whatever else the host's existing data holds. A record that is in the
//!   store still holds its keys against later records of the batch
//!   (duplicates are marked before the host is asked).
//! - **Timezone.** Names are exact IANA names (case-sensitive), trimmed.
//!   `TIMEZONE_UNMATCHED` is checked against the region of the record's first
//!   valid number; numbers of non-geographic calling codes (`+800`, region
//!   `001`) match any zone, and the three libphonenumber regions the tz
//!   tables do not list are read as the country that holds them (`AC` and
//!   `TA` as `SH`, `XK` as `RS`).
//! - **Other fields.** Any problem of `external_provider`, `external_id`,
//!   `external_url` (not a string, over `limits.record_external` characters,
//!   control characters), `sync_external_id` (not a JSON boolean),
//!   `extra_data` (not an object) is `OTHER`. A provider or id of the wrong
//!   type is not also `EXTERNAL_REF_MISSING`. Unknown members are ignored and
//!   not echoed. From a text source (CSV import), `phone_numbers` and
//!   `extra_data` cells may hold JSON, and booleans and integers their text.
//! - **Response.** Each record echoes the members it sent, in the API's
//!   order, normalized when valid (E.164 numbers, trimmed text, integer
//!   priority) and as sent when not, then `errors`; `phone_numbers` is always
//!   present (built from a valid deprecated `phone_number`, else `[]` when
//!   nothing usable was sent). `record_list_id` (top level and per record)
//!   comes from the host's existing data; without one it is `null` at the top
//!   level and `_links` is left out, as no correct href can be built. The id
//!   is percent-encoded in hrefs. No record id or timestamp is invented.
//! - **Outcome.** A created record is `New` with action `Create`; one whose
//!   only problems are store conflicts is `Existing` (with the stored id of
//!   its first conflicting phone), one whose only problems are in-batch
//!   repeats is `Duplicate` (with `duplicate_of`), anything else `Invalid`.
//!   The canonical `Contact` is filled for all but `Invalid` records;
//!   `external_url` and `sync_external_id` have no place in it and appear in
//!   the response only.
//!
//! # contact-book (Upload Contacts to a contact book)
//!
//! - `defaultCountryCode` is a country calling code: a string of 1 to 3
//!   digits with an optional leading `+` and surrounding whitespace
//!   (`"91"`, `"+91"`, `" 91 "`), or a JSON integer (`91`). It must not start
//!   with `0` and must be a calling code with phone metadata (non-geographic
//!   codes such as `800` included). Absent, `null` or a blank string means
//!   no default code. Anything else is a request-level error.
//! - With no default code a phone without `+` is the full international
//!   number (`917000782082`); the engine's configured `default_region` is
//!   not used by this profile's requests (the request carries its own
//!   default), only by streaming imports.
//! - `phone` may be a string or a non-negative JSON integer (read as its
//!   decimal digits, since JSON clients often send numbers). Any other type,
//!   a fraction, a negative number or a control character is
//!   `INVALID_PHONE`; absent, `null` or blank is `PHONE_REQUIRED`.
//! - An `INVALID` row's `phone` is the value exactly as sent (a string, a
//!   number, ...), `null` when the row has none. `SKIPPED` rows show the
//!   normalized digits, as the API documents show.
//! - A row has one reason; when several apply the first of
//!   `PHONE_REQUIRED`, `INVALID_PHONE`, `INVALID_EMAIL`, `INVALID_FIELD`
//!   wins. Every problem is still listed in the row's typed
//!   `RowOutcome::errors` (the first one is the reason).
//! - `email` of the wrong type or with a control character is
//!   `INVALID_EMAIL`, like any other bad address; a text field of the wrong
//!   type, too long or with a control character is `INVALID_FIELD`. Blank
//!   optional fields are absent. `displayName` is not derived from the names.
//! - `customFields`: `null` means none. Keys are kept as sent (not trimmed);
//!   a key must be 1..64 characters, not blank, without control characters.
//!   String values are trimmed (an empty string stays an empty string, it is
//!   data), at most 1000 characters, without control characters;
//!   numbers, booleans and `null` are kept as they are; arrays and objects
//!   are refused. In a request any customFields problem refuses the whole
//!   request. In a streaming import it is that row's
//!   `INVALID_FIELD` error, and a text source (CSV) may give the object as
//!   JSON text in the `customFields` cell.
//! - Request-level messages name the member with its 0-based JSON index and
//!   the 1-based row, e.g. `contacts[2].customFields (row 3) has 51 keys; at
//!   most 50 are allowed.`; when there are several problems the message is
//!   the first one and how many more there are.
//! - Typed outcomes: a valid row carries its normalized contact (created,
//!   updated and duplicate rows alike) and its E.164 key; an invalid row
//!   carries neither.
