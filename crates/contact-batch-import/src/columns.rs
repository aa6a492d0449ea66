//! Which CSV column holds which contact field: the header's names matched
//! to the profile's fields case- and punctuation-insensitively, with the
//! names CRM and spreadsheet exports use (`Phone Number`, `Mobile`,
//! `E-mail`, `First Name`, `Surname`, `Company`, `Country`, ...), then
//! `--map` and `--region-column` on top. And the region cell: an ISO 3166-1
//! alpha-2 code, or a country's alpha-3 code or English name (through the
//! `celes` crate), read as its alpha-2 code.

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
enum Concept {
    Field(ColumnKind),
    Region,
}

/// Common header names of CRM and spreadsheet exports (normalized).
const SYNONYMS: &[(Concept, &[&str])] = &[
    (
        Concept::Field(ColumnKind::FirstName),
        &["firstname", "first", "givenname", "forename", "fname"],
    ),
    (
        Concept::Field(ColumnKind::LastName),
        &["lastname", "last", "surname", "familyname", "lname"],
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
        ],
    ),
    (
        Concept::Field(ColumnKind::Email),
        &["email", "emailaddress", "mail", "emailid"],
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
        ],
    ),
    (Concept::Field(ColumnKind::City), &["city", "town"]),
    (
        Concept::Field(ColumnKind::State),
        &["state", "province", "stateprovince", "county"],
    ),
    (
        Concept::Field(ColumnKind::Zip),
        &["zip", "zipcode", "postcode", "postalcode"],
    ),
    (
        Concept::Field(ColumnKind::Address),
        &[
            "address",
            "street",
            "streetaddress",
            "address1",
            "addressline1",
        ],
    ),
    (
        Concept::Field(ColumnKind::DisplayName),
        &["displayname", "fullname", "name"],
    ),
    (
        Concept::Region,
        &["region", "country", "countrycode", "countryiso"],
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
    // field already held by an earlier column leaves later ones unmapped.
    for (i, name) in names.iter().enumerate() {
        if columns[i].is_some() {
            continue;
        }
        let n = normalize(name);
        let column = if n.is_empty() {
            Column::Skip
        } else if let Some(f) = own.iter().find(|f| normalize(f) == n) {
            Column::Field((*f).to_owned())
        } else if let Some(concept) = SYNONYMS
            .iter()
            .find(|(_, names)| names.contains(&n.as_str()))
            .map(|(c, _)| *c)
        {
            match concept {
                Concept::Region => Column::Region,
                Concept::Field(kind) => match profile.import_columns().field_of(kind) {
                    Some(f) => Column::Field(f.to_owned()),
                    None => Column::Unmapped,
                },
            }
        } else {
            Column::Unmapped
        };
        let taken = column != Column::Skip
            && column != Column::Unmapped
            && columns.iter().any(|c| c.as_ref() == Some(&column));
        columns[i] = Some(if taken { Column::Unmapped } else { column });
    }
    let columns: Vec<Column> = columns
        .into_iter()
        .map(|c| c.unwrap_or(Column::Skip))
        .collect();
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
    Ok(columns)
}

/// Header names for a message: quoted, escaped, comma-separated.
fn list(names: &[String]) -> String {
    if names.is_empty() {
        return "(none)".to_owned();
    }
    names
        .iter()
        .map(|n| format!("`{}`", n.escape_debug()))
        .collect::<Vec<_>>()
        .join(", ")
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
}

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
        let header = names(&["Tel", "Cell", "Given Name"]);
        let columns = map_header(Profile::RaslCreate, &header, &Mapping::default()).unwrap();
        assert_eq!(
            columns,
            [field("phone"), Column::Unmapped, field("firstname")]
        );
    }

    #[test]
    fn no_required_column_is_an_error_naming_headers_and_fields() {
        let header = names(&["Vorname", "Telefon"]);
        let e = map_header(Profile::RaslCreate, &header, &Mapping::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("required fields firstname, phone"), "{e}");
        assert!(e.contains("`Vorname`, `Telefon`"), "{e}");
        assert!(e.contains("firstname, lastname, phone, email"), "{e}");
        assert!(e.contains("--map"), "{e}");
        let mut m = Mapping::default();
        m.parse_map("Vorname=firstname, Telefon=phone").unwrap();
        assert!(map_header(Profile::RaslCreate, &header, &m).is_ok());
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
