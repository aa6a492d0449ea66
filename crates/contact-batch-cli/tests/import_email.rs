//! An email is one token on the import path too (issue 28): a control
//! character inside it, quoted parts included, makes the row invalid; the
//! cosmetic whitespace of names is still collapsed.

use std::process::Command;

use serde_json::{json, Value};
use tempfile::TempDir;

#[test]
fn a_control_character_inside_an_email_makes_the_row_invalid() {
    let dir = TempDir::new().unwrap();
    let csv = dir.path().join("in.csv");
    // CSV cells in quotes: the line breaks and the tab are inside the cells.
    std::fs::write(
        &csv,
        "firstname,phone,email\n\
         \"Ann\nMarie\",+14155552671,\" ann@example.com\r\n\"\n\
         Bob,+14155552672,\"\"\"\r\"\"@example.com\"\n\
         Cy,+14155552673,\"\"\"test\r\n blah\"\"@iana.org\"\n\
         Di,+14155552674,\"d\ti@example.com\"\n",
    )
    .unwrap();
    let ndjson = dir.path().join("in.ndjson");
    std::fs::write(
        &ndjson,
        [
            json!({"firstname": "Ann\nMarie", "phone": "+14155552671", "email": " ann@example.com\r\n"}),
            json!({"firstname": "Bob", "phone": "+14155552672", "email": "\"\r\"@example.com"}),
            json!({"firstname": "Cy", "phone": "+14155552673", "email": "\"test\r\n blah\"@iana.org"}),
            json!({"firstname": "Di", "phone": "+14155552674", "email": "d\ti@example.com"}),
        ]
        .iter()
        .map(|v| format!("{v}\n"))
        .collect::<String>(),
    )
    .unwrap();
    for input in [&csv, &ndjson] {
        let out = Command::new(env!("CARGO_BIN_EXE_contact-batch"))
            .args(["import", "--profile", "rasl-create", "--summary", "json"])
            .arg(input)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let lines: Vec<Value> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 4, "{input:?}");
        // Around the address: trimmed. In the name: collapsed.
        assert_eq!(lines[0]["status"], "new", "{}", lines[0]);
        assert_eq!(lines[0]["contact"]["email"], "ann@example.com");
        assert_eq!(lines[0]["contact"]["first_name"], "Ann Marie");
        for l in &lines[1..] {
            assert_eq!(l["status"], "invalid", "{input:?}: {l}");
            // The profile's message, then the import's hint saying why.
            assert_eq!(
                l["errors"],
                json!({"email": [
                    "The email field must be a valid email address.",
                    "The email address contains a control character."
                ]}),
                "{l}"
            );
        }
    }
}
