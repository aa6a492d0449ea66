//! Which CSV column holds which contact field: the header's names matched
//! to the profile's fields case- and punctuation-insensitively, with the
//! names CRM and spreadsheet exports use (`Phone Number`, `Mobile`,
//! `E-mail`, `First Name`, `Surname`, `Company`, `Country`, ...), then
//! `--map` and `--region-column` on top. The first column of a field holds
//! it; a later phone or email column (`Mobile Phone` after `Business Phone`)
//! is read in the rows where the earlier one is empty. The names come from
//! the exports of HubSpot, Salesforce, Zoho, Pipedrive, Google Contacts,
//! Outlook, Apple Contacts (through vCard-to-CSV converters), Mailchimp,
//! Brevo, Zendesk, Freshsales and Odoo (the CLI's `import_crm` test imports
//! one of each, and says where each header comes from).
//!
//! And the region cell: an ISO 3166-1 alpha-2 code, or a country's alpha-3
//! code or English name (through the `celes` crate), read as its alpha-2
//! code.

use contact_batch::{ColumnKind, Profile};

use crate::csv::Column;
use crate::Error;

/// A header name reduced for matching: lower case, letters and digits only
/// (`E-mail` and `email`, `First Name` and `first_name` match).
pub fn normalize(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The fields of a profile that a CSV can hold, as the API names them
/// (the profile's own table: [`Profile::import_fields`]).
pub fn fields(profile: Profile) -> &'static [&'static str] {
    profile.import_fields()
}

/// Required fields: each entry is satisfied by a column of any of its names
/// ([`Profile::import_required`]).
pub fn required(profile: Profile) -> &'static [&'static [&'static str]] {
    profile.import_required()
}

/// What a header name means, whatever the profile: a kind of contact
/// field, or the row's region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Concept {
    /// A kind of contact field.
    Field(ColumnKind),
    /// The row's region (a country).
    Region,
}

/// What a header name means by the table of export names (`Mobile Phone`,
/// `Vorname`, `Country/Region`, ...), whatever the profile; `None` for a
/// name the table does not know. The one table of header names: the
/// import maps a profile's fields with it, `contact-batch match` its
/// person fields.
pub fn concept(name: &str) -> Option<Concept> {
    concept_of_normalized(&normalize(name))
}

/// [`concept`] of a name already [`normalize`]d.
fn concept_of_normalized(n: &str) -> Option<Concept> {
    SYNONYMS
        .iter()
        .find(|(_, names)| names.contains(&n))
        .map(|(c, _)| *c)
}

/// Common header names of CRM and spreadsheet exports (normalized).
const SYNONYMS: &[(Concept, &[&str])] = &[
    (
        Concept::Field(ColumnKind::FirstName),
        &[
            "firstname",
            "first",
            "givenname",
            "forename",
            "fname",
            // Pipedrive's "Person - First name".
            "personfirstname",
            // Exports in German, French, Spanish, Italian, Portuguese and
            // Dutch (a spreadsheet saved in the user's language).
            "vorname",
            "prénom",
            "prenom",
            "nombre",
            "nome",
            "voornaam",
        ],
    ),
    (
        Concept::Field(ColumnKind::LastName),
        &[
            "lastname",
            "last",
            "surname",
            "familyname",
            "lname",
            "personlastname",
            "nachname",
            "familienname",
            "nom",
            "nomdefamille",
            "apellido",
            "apellidos",
            "cognome",
            "sobrenome",
            "achternaam",
        ],
    ),
    (
        Concept::Field(ColumnKind::Phone),
        &[
            "phone",
            "phonenumber",
            "phoneno",
            "mobile",
            "mobilephone",
            "mobilenumber",
            "cell",
            "cellphone",
            "tel",
            "telephone",
            "telephonenumber",
            "contactnumber",
            // HubSpot, Outlook, Google Contacts ("Phone 1 - Value"),
            // Pipedrive ("Phone - Mobile"), Brevo ("SMS"), Zoho, Odoo.
            "mobilephonenumber",
            "businessphone",
            "homephone",
            "workphone",
            "primaryphone",
            "phone1value",
            "phonemobile",
            "phonework",
            "personphonemobile",
            "personphonework",
            "sms",
            // Salesforce and Zoho ("Other Phone", `OtherPhone`), Freshsales
            // (`work_number`), Pipedrive's older single "Person - Phone",
            // Brevo's other phone attributes (LANDLINE_NUMBER, WHATSAPP).
            "otherphone",
            "worknumber",
            // Freshsales labels its work number "Work" (its mobile "Mobile").
            "work",
            // The second and third numbers of Google ("Phone 2 - Value") and
            // Outlook ("Business Phone 2"): read where the first is empty.
            "phone2value",
            "phone3value",
            "businessphone2",
            "homephone2",
            "personphone",
            "landlinenumber",
            "whatsapp",
            "telefon",
            "telefonnummer",
            "handy",
            "mobil",
            "mobiltelefon",
            "téléphone",
            "portable",
            "teléfono",
            "telefono",
            "celular",
            "móvil",
            "movil",
            "telefoon",
            "mobiel",
        ],
    ),
    (
        Concept::Field(ColumnKind::Email),
        &[
            "email",
            "emailaddress",
            "mail",
            "emailid",
            // Google Contacts ("E-mail 1 - Value"), Freshsales ("Emails"),
            // Pipedrive ("Email - Work"), Outlook ("E-mail Address").
            "email1value",
            "emails",
            "emailwork",
            "personemailwork",
            "primaryemail",
            // Pipedrive ("Person - Email", "Person - Email - Home").
            "personemail",
            "personemailhome",
            // Google ("E-mail 2 - Value"), Outlook ("E-mail 2 Address").
            "email2value",
            "email2address",
            "emailadresse",
            "courriel",
            "correo",
            "correoelectrónico",
            "correoelectronico",
        ],
    ),
    (
        Concept::Field(ColumnKind::Company),
        &[
            "company",
            "companyname",
            "organization",
            "organisation",
            "org",
            "employer",
            "accountname",
            // Google ("Organization Name", "Organization 1 - Name"),
            // Pipedrive ("Person - Organization"), Odoo ("Related Company").
            "organizationname",
            "organization1name",
            "personorganization",
            "relatedcompany",
            // HubSpot ("Associated Company").
            "associatedcompany",
            "firma",
            "unternehmen",
            "société",
            "societe",
            "entreprise",
            "empresa",
            "azienda",
            "bedrijf",
        ],
    ),
    (
        Concept::Field(ColumnKind::City),
        &[
            "city",
            "town",
            "mailingcity",
            "businesscity",
            "address1city",
            // Outlook and vCard-to-CSV converters ("Home City").
            "homecity",
            "stadt",
            "ort",
            "ville",
            "ciudad",
            "città",
            "citta",
            "cidade",
            "plaats",
        ],
    ),
    (
        Concept::Field(ColumnKind::State),
        &[
            "state",
            "province",
            "stateprovince",
            "county",
            // HubSpot ("State/Region"), Salesforce and Zoho ("Mailing ...").
            "stateregion",
            "mailingstate",
            "mailingstateprovince",
            "businessstate",
            "address1region",
            "homestate",
            "bundesland",
            "provincia",
        ],
    ),
    (
        Concept::Field(ColumnKind::Zip),
        &[
            "zip",
            "zipcode",
            "postcode",
            "postalcode",
            "mailingzip",
            "mailingpostalcode",
            "mailingzippostalcode",
            "businesspostalcode",
            "address1postalcode",
            "homepostalcode",
            "plz",
            "postleitzahl",
            "codepostal",
            "códigopostal",
            "codigopostal",
            "cap",
        ],
    ),
    (
        Concept::Field(ColumnKind::Address),
        &[
            "address",
            "street",
            "streetaddress",
            "address1",
            "addressline1",
            "mailingstreet",
            "businessstreet",
            "address1street",
            "homestreet",
            "straße",
            "strasse",
            "adresse",
            "anschrift",
            "dirección",
            "direccion",
            "indirizzo",
            "adres",
        ],
    ),
    (
        Concept::Field(ColumnKind::DisplayName),
        // Zendesk and Odoo ("name", "Name": the full name), Zoho ("Full
        // Name"), Pipedrive ("Person - Name").
        &["displayname", "fullname", "name", "personname"],
    ),
    (
        Concept::Region,
        &[
            "region",
            "country",
            "countrycode",
            "countryiso",
            // HubSpot and Outlook ("Country/Region", "Business
            // Country/Region"), Salesforce and Zoho ("Mailing Country"),
            // Google ("Address 1 - Country"), Mailchimp ("CC"), Odoo.
            "countryregion",
            "businesscountryregion",
            "homecountryregion",
            "land",
            "pays",
            "país",
            "pais",
            "paese",
            "mailingcountry",
            "address1country",
            "cc",
            "countryid",
            // Salesforce since Winter '23 ("Mailing Country/Territory") and
            // its `MailingCountryCode` with country picklists; vCard-to-CSV
            // converters in Outlook.com's layout ("Home Country").
            "countryterritory",
            "mailingcountryterritory",
            "mailingcountrycode",
            "homecountry",
            "businesscountry",
        ],
    ),
];

/// How the user mapped columns: `--map` pairs and `--region-column`.
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    /// (header name, field or `region`), from `--map 'Header=field,...'`.
    pub map: Vec<(String, String)>,
    /// The column read as each row's region, from `--region-column`.
    pub region_column: Option<String>,
}

impl Mapping {
    /// Parses `--map 'Phone Number=phone,E-mail=email'` (more than one
    /// `--map` adds up). A header name may not hold `=` or `,`.
    pub fn parse_map(&mut self, arg: &str) -> Result<(), Error> {
        for pair in arg.split(',').filter(|p| !p.trim().is_empty()) {
            let Some((header, field)) = pair.split_once('=') else {
                return Err(Error::new(format!(
                    "--map `{}`: expected HEADER=FIELD pairs separated by commas",
                    pair.escape_debug()
                )));
            };
            self.map
                .push((header.trim().to_owned(), field.trim().to_owned()));
        }
        Ok(())
    }
}

/// The columns of a header: `names` as written in the file.
pub fn map_header(
    profile: Profile,
    names: &[String],
    mapping: &Mapping,
) -> Result<Vec<Column>, Error> {
    map_header_sampled(profile, names, mapping, &[]).map(|(columns, _)| columns)
}

/// A column mapped by its values, not its name: what the report says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guess {
    /// The header name as written.
    pub name: String,
    /// What it was read as: a profile field's name, or `region`.
    pub read_as: String,
    /// Of the sampled rows with a value in the column, how many looked it.
    pub like: usize,
    /// The sampled rows with a value in the column.
    pub filled: usize,
}

/// A test of one cell's value ([`phone_like`], ...).
type Looks = fn(&str) -> bool;

/// The fewest filled sample cells a column needs before its values say
/// what it holds, and the share of them that must look it (4 in 5).
const MIN_FILLED: usize = 5;

/// True when `cell` looks like a phone number: digits with the separators
/// people write (`+`, spaces, `-`, `.`, `/`, parentheses), 6 to 17 digits,
/// and nothing else but an extension (`x`, `ext`).
pub fn phone_like(cell: &str) -> bool {
    let s = cell.trim();
    let (number, _) = match s.to_ascii_lowercase().find(['x', 'e']) {
        Some(at) => s.split_at(at),
        None => (s, ""),
    };
    let digits = number.bytes().filter(u8::is_ascii_digit).count();
    (6..=17).contains(&digits)
        && number
            .bytes()
            .all(|b| b.is_ascii_digit() || b" +-./()".contains(&b))
}

/// True when `cell` looks like an email address: one `@` with text before
/// it and a dotted domain after it, no space.
pub fn email_like(cell: &str) -> bool {
    let s = cell.trim();
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// True when `cell` names a country: an ISO 3166-1 alpha-2 or alpha-3
/// code, or an English name or common alias (`UK`, `United States`).
pub fn country_like(cell: &str) -> bool {
    let s = cell.trim();
    if s.len() == 2 && s.bytes().all(|b| b.is_ascii_alphabetic()) {
        return s.eq_ignore_ascii_case("uk") || celes::Country::from_alpha2(s).is_ok();
    }
    country_alpha2(s).is_some()
}

/// [`map_header`], then, for what the names left undecided, the values of
/// `sample` (the file's first records): when no column holds the profile's
/// phone (or its email, or the region), the one unmapped column whose
/// filled cells mostly (4 in 5, at least [`MIN_FILLED`]) look like phone
/// numbers (emails, country names or codes) is read as it, and listed in
/// the returned guesses for the report. Two such columns are left alone
/// (which one is meant cannot be told): `--map` decides.
pub fn map_header_sampled(
    profile: Profile,
    names: &[String],
    mapping: &Mapping,
    sample: &[::csv::StringRecord],
) -> Result<(Vec<Column>, Vec<Guess>), Error> {
    let mut columns = map_names(profile, names, mapping)?;
    let mut guesses = Vec::new();
    if !sample.is_empty() {
        let kinds = profile.import_columns();
        let wanted: [(Option<&str>, Looks); 3] = [
            (kinds.field_of(ColumnKind::Phone), phone_like),
            (kinds.field_of(ColumnKind::Email), email_like),
            (Some("region"), country_like),
        ];
        for (field, looks) in wanted {
            let Some(field) = field else { continue };
            let target = if field == "region" {
                Column::Region
            } else {
                Column::Field(field.to_owned())
            };
            if columns.contains(&target) {
                continue;
            }
            let candidates: Vec<(usize, usize, usize)> = columns
                .iter()
                .enumerate()
                .filter(|(_, c)| **c == Column::Unmapped)
                .filter_map(|(i, _)| {
                    let filled: Vec<&str> = sample
                        .iter()
                        .filter_map(|r| r.get(i))
                        .filter(|c| !c.trim().is_empty())
                        .collect();
                    let like = filled.iter().filter(|c| looks(c)).count();
                    (filled.len() >= MIN_FILLED && like * 5 >= filled.len() * 4).then_some((
                        i,
                        like,
                        filled.len(),
                    ))
                })
                .collect();
            if let [(i, like, filled)] = candidates[..] {
                columns[i] = target;
                guesses.push(Guess {
                    name: names[i].clone(),
                    read_as: field.to_owned(),
                    like,
                    filled,
                });
            }
        }
    }
    check_required(profile, names, &columns)?;
    Ok((columns, guesses))
}

/// The columns the names (and `--map`, `--region-column`) give.
fn map_names(profile: Profile, names: &[String], mapping: &Mapping) -> Result<Vec<Column>, Error> {
    let own = fields(profile);
    let find_header = |wanted: &str| {
        let n = normalize(wanted);
        names
            .iter()
            .position(|h| h.trim() == wanted)
            .or_else(|| names.iter().position(|h| normalize(h) == n))
    };
    let mut columns: Vec<Option<Column>> = vec![None; names.len()];
    for (header, field) in &mapping.map {
        let Some(at) = find_header(header) else {
            return Err(Error::new(format!(
                "--map `{}={}`: the file has no column `{}` (its columns: {})",
                header.escape_debug(),
                field.escape_debug(),
                header.escape_debug(),
                list(names)
            )));
        };
        columns[at] = Some(if field.eq_ignore_ascii_case("region") {
            Column::Region
        } else if field.is_empty() || field == "-" {
            Column::Skip
        } else if let Some(f) = own.iter().find(|f| normalize(f) == normalize(field)) {
            Column::Field((*f).to_owned())
        } else {
            return Err(Error::new(format!(
                "--map `{}={}`: `{}` is not a field of the {profile} profile (its fields: {}, \
                 region, or - to ignore the column)",
                header.escape_debug(),
                field.escape_debug(),
                field.escape_debug(),
                own.join(", ")
            )));
        });
    }
    if let Some(region) = &mapping.region_column {
        let Some(at) = find_header(region) else {
            return Err(Error::new(format!(
                "--region-column `{}`: the file has no such column (its columns: {})",
                region.escape_debug(),
                list(names)
            )));
        };
        columns[at] = Some(Column::Region);
    }
    // Exact and normalized profile field names, then the synonyms; a
    // field already held by an earlier column leaves later ones unmapped,
    // but for the phone and the email: a later column of theirs is read in
    // the rows where the earlier one is empty ([`Column::Fallback`]).
    // (`mapped`: the column holding each field, one hash lookup a column.)
    let kinds = profile.import_columns();
    let falls_back = |f: &str| {
        [ColumnKind::Phone, ColumnKind::Email]
            .iter()
            .any(|k| kinds.field_of(*k) == Some(f))
    };
    let mut mapped: std::collections::HashMap<Column, usize> = columns
        .iter()
        .enumerate()
        .filter_map(|(i, c)| c.clone().map(|c| (c, i)))
        .collect();
    for (i, name) in names.iter().enumerate() {
        if columns[i].is_some() {
            continue;
        }
        let n = normalize(name);
        let column = if n.is_empty() {
            Column::Skip
        } else if let Some(f) = own.iter().find(|f| normalize(f) == n) {
            Column::Field((*f).to_owned())
        } else if let Some(concept) = concept_of_normalized(&n) {
            match concept {
                Concept::Region => Column::Region,
                Concept::Field(kind) => match kinds.field_of(kind) {
                    Some(f) => Column::Field(f.to_owned()),
                    None => Column::Unmapped,
                },
            }
        } else {
            Column::Unmapped
        };
        columns[i] = Some(match column {
            Column::Skip | Column::Unmapped => column,
            _ => match mapped.get(&column) {
                None => {
                    mapped.insert(column.clone(), i);
                    column
                }
                Some(&held) => match column {
                    // Only after the column it stands in for (a `--map`ped
                    // column may come later): a row's first value wins.
                    Column::Field(f) if held < i && falls_back(&f) => Column::Fallback(f),
                    // A second country column (Outlook's `Home
                    // Country/Region` after `Business Country/Region`).
                    Column::Region if held < i => Column::Fallback(REGION.to_owned()),
                    _ => Column::Unmapped,
                },
            },
        });
    }
    Ok(columns
        .into_iter()
        .map(|c| c.unwrap_or(Column::Skip))
        .collect())
}

/// The name a [`Column::Fallback`] of the region carries.
pub const REGION: &str = "region";

/// An error naming the profile's required fields no column holds.
fn check_required(profile: Profile, names: &[String], columns: &[Column]) -> Result<(), Error> {
    let own = fields(profile);
    let missing: Vec<String> = required(profile)
        .iter()
        .filter(|any| {
            !columns
                .iter()
                .any(|c| matches!(c, Column::Field(f) if any.contains(&f.as_str())))
        })
        .map(|any| any.join(" or "))
        .collect();
    if !missing.is_empty() {
        return Err(Error::new(format!(
            "no column of the file maps to the {profile} profile's required field{} {}: its \
             columns are {}; the profile's fields are {} (and region); name a column with \
             --map 'HEADER=FIELD,...'",
            if missing.len() == 1 { "" } else { "s" },
            missing.join(", "),
            list(names),
            own.join(", ")
        )));
    }
    Ok(())
}

/// Header names for a message: quoted, escaped, comma-separated.
fn list(names: &[String]) -> String {
    if names.is_empty() {
        return "(none)".to_owned();
    }
    // A message stays a line a person reads, whatever the header's width.
    const SHOWN: usize = 40;
    let mut text = names
        .iter()
        .take(SHOWN)
        .map(|n| format!("`{}`", n.escape_debug()))
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    text
}

/// A region cell as the engine takes it: an alpha-2 code upper-cased, or a
/// country's alpha-3 code or English name turned into its alpha-2 code
/// (`United Kingdom`, `GBR`, `UK` -> `GB`); anything else upper-cased, for
/// the engine to refuse with its message. Blank is none.
pub fn region_code(cell: &str) -> Option<String> {
    let s = cell.trim();
    if s.is_empty() {
        return None;
    }
    if s.len() == 2 && s.bytes().all(|b| b.is_ascii_alphabetic()) {
        // Alpha-2 as written; `UK` is ISO 3166's exceptional reservation
        // for the United Kingdom, whose code is GB.
        let upper = s.to_ascii_uppercase();
        return Some(if upper == "UK" {
            "GB".to_owned()
        } else {
            upper
        });
    }
    Some(country_alpha2(s).map_or_else(|| s.to_ascii_uppercase(), str::to_owned))
}

/// The alpha-2 code of a country named by its alpha-3 code, English name or
/// a common alias (case, spaces and punctuation ignored).
pub fn country_alpha2(s: &str) -> Option<&'static str> {
    let n = normalize(s);
    if n == "uk" {
        return Some("GB");
    }
    // Numeric codes are not taken: a stray number is no country.
    if n.is_empty() || n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    n.parse::<celes::Country>()
        .or_else(|_| celes::Country::from_alias(&n))
        .ok()
        .map(|c| c.alpha2)
        .or_else(|| {
            NATIVE_COUNTRY_NAMES
                .iter()
                .find(|(name, _)| *name == n)
                .map(|(_, code)| *code)
        })
}

/// Countries as exports in their own languages name them (normalized as
/// [`normalize`] does), where `celes` knows only the English name: a
/// German CRM writes `Deutschland`, `Österreich`, `Schweiz`.
const NATIVE_COUNTRY_NAMES: &[(&str, &str)] = &[
    ("deutschland", "DE"),
    ("österreich", "AT"),
    ("osterreich", "AT"),
    ("oesterreich", "AT"),
    ("schweiz", "CH"),
    ("suisse", "CH"),
    ("svizzera", "CH"),
    ("frankreich", "FR"),
    ("italien", "IT"),
    ("italia", "IT"),
    ("spanien", "ES"),
    ("españa", "ES"),
    ("espana", "ES"),
    ("niederlande", "NL"),
    ("nederland", "NL"),
    ("belgien", "BE"),
    ("belgique", "BE"),
    ("belgië", "BE"),
    ("belgie", "BE"),
    ("polen", "PL"),
    ("polska", "PL"),
    ("großbritannien", "GB"),
    ("grossbritannien", "GB"),
    ("vereinigteskönigreich", "GB"),
    ("royaumeuni", "GB"),
    ("reinounido", "GB"),
    ("vereinigtestaaten", "US"),
    ("usa", "US"),
    ("étatsunis", "US"),
    ("etatsunis", "US"),
    ("estadosunidos", "US"),
    ("allemagne", "DE"),
    ("alemania", "DE"),
    ("germania", "DE"),
    ("portugal", "PT"),
    ("brasil", "BR"),
    ("méxico", "MX"),
    ("dänemark", "DK"),
    ("danmark", "DK"),
    ("schweden", "SE"),
    ("sverige", "SE"),
    ("norwegen", "NO"),
    ("norge", "NO"),
    ("finnland", "FI"),
    ("suomi", "FI"),
    ("tschechien", "CZ"),
    ("česko", "CZ"),
    ("türkei", "TR"),
    ("türkiye", "TR"),
    ("turkiye", "TR"),
    ("griechenland", "GR"),
    ("ungarn", "HU"),
    ("magyarország", "HU"),
    ("irland", "IE"),
    ("luxemburg", "LU"),
    ("kroatien", "HR"),
    ("hrvatska", "HR"),
    ("rumänien", "RO"),
    ("românia", "RO"),
    ("russland", "RU"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn names(s: &[&str]) -> Vec<String> {
        s.iter().map(|s| (*s).to_owned()).collect()
    }

    fn field(f: &str) -> Column {
        Column::Field(f.to_owned())
    }

    #[test]
    fn crm_export_headers_map() {
        let header = names(&[
            "First Name",
            "Last Name",
            "Phone Number",
            "E-mail",
            "Company",
            "Country",
            "Notes",
            "Created",
        ]);
        let columns = map_header(Profile::RaslCreate, &header, &Mapping::default()).unwrap();
        assert_eq!(
            columns,
            [
                field("firstname"),
                field("lastname"),
                field("phone"),
                field("email"),
                field("company"),
                Column::Region,
                Column::Unmapped,
                Column::Unmapped,
            ]
        );
        let columns = map_header(Profile::RecordList, &header, &Mapping::default()).unwrap();
        assert_eq!(
            columns[..3],
            [
                field("first_name"),
                field("last_name"),
                field("phone_number")
            ]
        );
        assert_eq!(columns[3], Column::Unmapped);
        let columns = map_header(Profile::ContactBook, &header, &Mapping::default()).unwrap();
        assert_eq!(columns[4], field("companyName"));
    }

    #[test]
    fn own_names_in_any_case_and_the_first_of_synonyms_win() {
        let header = names(&["PHONE", "Mobile", "source id", "", "region"]);
        let columns = map_header(Profile::RaslCreate, &header, &{
            let mut m = Mapping::default();
            m.parse_map("Mobile=firstname").unwrap();
            m
        })
        .unwrap();
        assert_eq!(
            columns,
            [
                field("phone"),
                field("firstname"),
                field("source_id"),
                Column::Skip,
                Column::Region
            ]
        );
        // A second phone column is read only where the first is empty.
        let header = names(&["Tel", "Cell", "Given Name", "Forename"]);
        let columns = map_header(Profile::RaslCreate, &header, &Mapping::default()).unwrap();
        assert_eq!(
            columns,
            [
                field("phone"),
                Column::Fallback("phone".into()),
                field("firstname"),
                Column::Unmapped
            ]
        );
    }

    #[test]
    fn crm_export_headers_of_issue_28_map() {
        // HubSpot: `Country/Region` was not recognised, so rows of country
        // names were invalid for want of a country.
        let hubspot = names(&[
            "Record ID",
            "First Name",
            "Last Name",
            "Email",
            "Phone Number",
            "Company Name",
            "Country/Region",
            "State/Region",
        ]);
        let c = map_header(Profile::RaslCreate, &hubspot, &Mapping::default()).unwrap();
        assert_eq!(c[6], Column::Region);
        assert_eq!(c[4], field("phone"));
        let google = names(&[
            "First Name",
            "Last Name",
            "E-mail 1 - Value",
            "Phone 1 - Value",
            "Organization Name",
            "Address 1 - Country",
        ]);
        let c = map_header(Profile::RaslCreate, &google, &Mapping::default()).unwrap();
        assert_eq!(
            c,
            [
                field("firstname"),
                field("lastname"),
                field("email"),
                field("phone"),
                field("company"),
                Column::Region
            ]
        );
        let outlook = names(&[
            "First Name",
            "Last Name",
            "E-mail Address",
            "Business Phone",
            "Mobile Phone",
            "Business Country/Region",
        ]);
        let c = map_header(Profile::RaslCreate, &outlook, &Mapping::default()).unwrap();
        assert_eq!(c[3], field("phone"));
        assert_eq!(c[4], Column::Fallback("phone".into()));
        assert_eq!(c[5], Column::Region);
        let salesforce = names(&["First Name", "Last Name", "Mobile", "Mailing Country"]);
        let c = map_header(Profile::RaslCreate, &salesforce, &Mapping::default()).unwrap();
        assert_eq!(c[3], Column::Region);
    }

    #[test]
    fn crm_export_headers_of_every_crm_map() {
        let rasl = |h: &[&str]| map_header(Profile::RaslCreate, &names(h), &Mapping::default());
        // Salesforce's labels since Winter '23, and its API names.
        let c = rasl(&["First Name", "Mobile", "Mailing Country/Territory"]).unwrap();
        assert_eq!(c[2], Column::Region);
        let c = rasl(&["FirstName", "Phone", "MobilePhone", "MailingCountryCode"]).unwrap();
        assert_eq!(
            c[1..],
            [
                field("phone"),
                Column::Fallback("phone".into()),
                Column::Region
            ]
        );
        // Brevo: SMS is the phone, the landline a fallback.
        let c = rasl(&["EMAIL", "FIRSTNAME", "SMS", "LANDLINE_NUMBER"]).unwrap();
        assert_eq!(c[2..], [field("phone"), Column::Fallback("phone".into())]);
        // Pipedrive: the work phone and email, then the others.
        let c = rasl(&[
            "Person - Name",
            "Person - Email - Work",
            "Person - Email - Home",
            "Person - Phone - Work",
            "Person - Phone - Mobile",
            "Person - First name",
        ])
        .unwrap();
        assert_eq!(
            c,
            [
                Column::Unmapped,
                field("email"),
                Column::Fallback("email".into()),
                field("phone"),
                Column::Fallback("phone".into()),
                field("firstname")
            ]
        );
        // Outlook.com's layout, as vCard-to-CSV converters write it.
        let c = rasl(&["First Name", "Home City", "Home Country", "Business Phone"]).unwrap();
        assert_eq!(c[1..], [field("city"), Column::Region, field("phone")]);
        // Only the phone and the email fall back; a --map'ped later column
        // holds its field, and an earlier synonym of it is not read.
        let mut m = Mapping::default();
        m.parse_map("Mobile=phone").unwrap();
        let c = map_header(
            Profile::RaslCreate,
            &names(&["Phone", "Mobile", "Company", "Account Name", "First Name"]),
            &m,
        )
        .unwrap();
        assert_eq!(
            c,
            [
                Column::Unmapped,
                field("phone"),
                field("company"),
                Column::Unmapped,
                field("firstname")
            ]
        );
        // Zendesk and Odoo name a contact by its full name: the contact-book
        // profile's displayName; rasl-create needs a first name.
        let zendesk = names(&["name", "email", "phone", "organization"]);
        let c = map_header(Profile::ContactBook, &zendesk, &Mapping::default()).unwrap();
        assert_eq!(
            c,
            [
                field("displayName"),
                field("email"),
                field("phone"),
                field("companyName")
            ]
        );
        assert!(map_header(Profile::RaslCreate, &zendesk, &Mapping::default()).is_err());
    }

    /// A fallback column gives the field only in the rows whose earlier
    /// columns for it are empty: a row's first number wins.
    #[test]
    fn fallback_columns_fill_only_empty_cells() {
        let header = names(&["First Name", "Phone", "Mobile", "Home Phone"]);
        let columns = map_header(Profile::RaslCreate, &header, &Mapping::default()).unwrap();
        let read = |cells: &[&str]| -> Vec<(String, String)> {
            let row = crate::RawRow::Csv(::csv::StringRecord::from(cells.to_vec()));
            match row.to_import_row(&columns).fields {
                Ok(contact_batch::Node::Object(members)) => members
                    .iter()
                    .map(|(k, v)| match v {
                        contact_batch::Node::Str(s) => (k.to_string(), s.to_string()),
                        other => panic!("{other:?}"),
                    })
                    .collect(),
                other => panic!("{other:?}"),
            }
        };
        let pairs = |p: &[(&str, &str)]| -> Vec<(String, String)> {
            p.iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        assert_eq!(
            read(&["Ann", "030 1234567", "0151 2345678", "040 7654321"]),
            pairs(&[("firstname", "Ann"), ("phone", "030 1234567")])
        );
        assert_eq!(
            read(&["Ann", "", "0151 2345678", "040 7654321"]),
            pairs(&[("firstname", "Ann"), ("phone", "0151 2345678")])
        );
        assert_eq!(
            read(&["Ann", "", "", "040 7654321"]),
            pairs(&[("firstname", "Ann"), ("phone", "040 7654321")])
        );
        assert_eq!(read(&["Ann", "", "", ""]), pairs(&[("firstname", "Ann")]));
    }

    #[test]
    fn no_required_column_is_an_error_naming_headers_and_fields() {
        let header = names(&["Rufname", "Nummer"]);
        let e = map_header(Profile::RaslCreate, &header, &Mapping::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("required fields firstname, phone"), "{e}");
        assert!(e.contains("`Rufname`, `Nummer`"), "{e}");
        assert!(e.contains("firstname, lastname, phone, email"), "{e}");
        assert!(e.contains("--map"), "{e}");
        let mut m = Mapping::default();
        m.parse_map("Rufname=firstname, Nummer=phone").unwrap();
        assert!(map_header(Profile::RaslCreate, &header, &m).is_ok());
    }

    #[test]
    fn columns_by_their_values() {
        assert!(phone_like("030 1234567") && phone_like("+1 (415) 555-2671 x12"));
        assert!(!phone_like("Berlin") && !phone_like("12345") && !phone_like("2019-05-01T10"));
        assert!(email_like("a.b@example.co.uk") && !email_like("a@b") && !email_like("@x.de"));
        for c in [
            "DE",
            "de",
            "DEU",
            "Germany",
            "Deutschland",
            "UK",
            "Österreich",
            "España",
        ] {
            assert!(country_like(c), "{c}");
        }
        for c in ["XX", "Berlin", "42", "Notiz"] {
            assert!(!country_like(c), "{c}");
        }
        assert_eq!(region_code("Deutschland").as_deref(), Some("DE"));
        let header = names(&["Rufname", "Nummer", "Gegend"]);
        let rec = |a: &str, b: &str, c: &str| ::csv::StringRecord::from(vec![a, b, c]);
        let mut sample: Vec<_> = (0..5).map(|_| rec("Jo", "030 1234567", "DE")).collect();
        let mut m = Mapping::default();
        m.parse_map("Rufname=firstname").unwrap();
        let (columns, guesses) =
            map_header_sampled(Profile::RaslCreate, &header, &m, &sample).unwrap();
        assert_eq!(
            columns,
            [field("firstname"), field("phone"), Column::Region]
        );
        assert_eq!(guesses.len(), 2);
        assert_eq!((guesses[0].like, guesses[0].filled), (5, 5));
        // One value in five that does not look it still passes (4 in 5);
        // two do not.
        sample[0] = rec("Jo", "ruft an", "DE");
        assert!(map_header_sampled(Profile::RaslCreate, &header, &m, &sample).is_ok());
        sample[1] = rec("Jo", "ruft an", "DE");
        assert!(map_header_sampled(Profile::RaslCreate, &header, &m, &sample).is_err());
        // Too few values to tell.
        assert!(map_header_sampled(Profile::RaslCreate, &header, &m, &sample[2..]).is_err());
    }

    #[test]
    fn a_second_country_column_is_the_region_where_the_first_is_empty() {
        let header = names(&[
            "First Name",
            "Mobile Phone",
            "Business Country/Region",
            "Home Country/Region",
        ]);
        let c = map_header(Profile::RaslCreate, &header, &Mapping::default()).unwrap();
        assert_eq!(c[2], Column::Region);
        assert_eq!(c[3], Column::Fallback(REGION.to_owned()));
        let row = |a: &str, b: &str| {
            crate::RawRow::Csv(::csv::StringRecord::from(vec!["Ann", "08 1234 5678", a, b]))
        };
        let region = |r: &crate::RawRow| r.to_import_row(&c).region.map(|r| r.to_string());
        assert_eq!(region(&row("", "Sweden")).as_deref(), Some("SE"));
        assert_eq!(region(&row("Norway", "Sweden")).as_deref(), Some("NO"));
        assert_eq!(region(&row("", "")), None);
        // Named by --region-column, a later country column is no fallback.
        let m = Mapping {
            region_column: Some("Home Country/Region".into()),
            ..Mapping::default()
        };
        let c = map_header(Profile::RaslCreate, &header, &m).unwrap();
        assert_eq!(
            (c[2].clone(), c[3].clone()),
            (Column::Unmapped, Column::Region)
        );
    }

    #[test]
    fn bad_maps_are_errors() {
        let header = names(&["a", "phone", "firstname"]);
        let mut m = Mapping::default();
        m.parse_map("a=nosuch").unwrap();
        let e = map_header(Profile::RaslCreate, &header, &m)
            .unwrap_err()
            .to_string();
        assert!(e.contains("not a field of the rasl-create profile"), "{e}");
        let mut m = Mapping::default();
        m.parse_map("b=phone").unwrap();
        let e = map_header(Profile::RaslCreate, &header, &m)
            .unwrap_err()
            .to_string();
        assert!(e.contains("no column `b`"), "{e}");
        assert!(Mapping::default().parse_map("nopair").is_err());
        let m = Mapping {
            region_column: Some("a".into()),
            ..Mapping::default()
        };
        assert_eq!(
            map_header(Profile::RaslCreate, &header, &m).unwrap()[0],
            Column::Region
        );
    }

    #[test]
    fn region_cells() {
        assert_eq!(region_code(" gb ").as_deref(), Some("GB"));
        assert_eq!(region_code("UK").as_deref(), Some("GB"));
        assert_eq!(region_code("United Kingdom").as_deref(), Some("GB"));
        assert_eq!(region_code("GBR").as_deref(), Some("GB"));
        assert_eq!(region_code("germany").as_deref(), Some("DE"));
        assert_eq!(region_code("United States").as_deref(), Some("US"));
        assert_eq!(region_code("USA").as_deref(), Some("US"));
        assert_eq!(region_code("Atlantis").as_deref(), Some("ATLANTIS"));
        assert_eq!(region_code("826").as_deref(), Some("826"));
        assert_eq!(region_code("  "), None);
    }
}
