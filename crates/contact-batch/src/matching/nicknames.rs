//! Common English given-name hypocorisms: `bob` and `robert` are the same
//! first name for matching.
//!
//! Source: written for this crate from the common English diminutives of
//! the most frequent given names (the hypocorisms listed beside each name
//! in Wikipedia's "List of English given names" and in US Social Security
//! name frequency tables); deliberately small, so that every entry is a
//! form people really write for that name. A name maps to one canonical
//! form; two names are nicknames of each other when their canonical forms
//! are equal. Names with more than one formal form (`chris`: christopher,
//! christine) map to the diminutive itself, which the formal forms then map
//! to as well.

/// (nickname or variant, canonical name); looked up once per record.
const TABLE: &[(&str, &str)] = &[
    ("abby", "abigail"),
    ("al", "albert"),
    ("alex", "alex"),
    ("alexander", "alex"),
    ("alexandra", "alex"),
    ("alf", "alfred"),
    ("andy", "andrew"),
    ("annie", "ann"),
    ("anna", "ann"),
    ("anne", "ann"),
    ("ben", "benjamin"),
    ("benny", "benjamin"),
    ("beth", "elizabeth"),
    ("betsy", "elizabeth"),
    ("betty", "elizabeth"),
    ("bill", "william"),
    ("billy", "william"),
    ("bob", "robert"),
    ("bobby", "robert"),
    ("cathy", "katherine"),
    ("charlie", "charles"),
    ("chris", "chris"),
    ("christina", "chris"),
    ("christine", "chris"),
    ("christopher", "chris"),
    ("chuck", "charles"),
    ("cindy", "cynthia"),
    ("dan", "daniel"),
    ("danny", "daniel"),
    ("dave", "david"),
    ("davy", "david"),
    ("debbie", "deborah"),
    ("dick", "richard"),
    ("don", "donald"),
    ("ed", "edward"),
    ("eddie", "edward"),
    ("ellie", "eleanor"),
    ("fred", "frederick"),
    ("freddie", "frederick"),
    ("gabe", "gabriel"),
    ("greg", "gregory"),
    ("hank", "henry"),
    ("harry", "henry"),
    ("jack", "john"),
    ("jake", "jacob"),
    ("jamie", "james"),
    ("jenny", "jennifer"),
    ("jen", "jennifer"),
    ("jeff", "jeffrey"),
    ("jerry", "gerald"),
    ("jim", "james"),
    ("jimmy", "james"),
    ("joe", "joseph"),
    ("joey", "joseph"),
    ("johnny", "john"),
    ("jon", "jonathan"),
    ("josh", "joshua"),
    ("kate", "katherine"),
    ("kathy", "katherine"),
    ("katie", "katherine"),
    ("kathryn", "katherine"),
    ("catherine", "katherine"),
    ("ken", "kenneth"),
    ("kenny", "kenneth"),
    ("larry", "lawrence"),
    ("len", "leonard"),
    ("liz", "elizabeth"),
    ("lizzie", "elizabeth"),
    ("maggie", "margaret"),
    ("matt", "matthew"),
    ("meg", "margaret"),
    ("mike", "michael"),
    ("mick", "michael"),
    ("mickey", "michael"),
    ("nate", "nathan"),
    ("nathaniel", "nathan"),
    ("nick", "nicholas"),
    ("pam", "pamela"),
    ("pat", "pat"),
    ("patricia", "pat"),
    ("patrick", "pat"),
    ("patty", "pat"),
    ("peggy", "margaret"),
    ("pete", "peter"),
    ("phil", "phillip"),
    ("philip", "phillip"),
    ("ray", "raymond"),
    ("rich", "richard"),
    ("rick", "richard"),
    ("ricky", "richard"),
    ("rob", "robert"),
    ("robbie", "robert"),
    ("ron", "ronald"),
    ("ronnie", "ronald"),
    ("sam", "sam"),
    ("samantha", "sam"),
    ("samuel", "sam"),
    ("sandy", "sandra"),
    ("steve", "stephen"),
    ("steven", "stephen"),
    ("stevie", "stephen"),
    ("sue", "susan"),
    ("susie", "susan"),
    ("ted", "edward"),
    ("teddy", "edward"),
    ("terry", "terence"),
    ("tim", "timothy"),
    ("timmy", "timothy"),
    ("tom", "thomas"),
    ("tommy", "thomas"),
    ("tony", "anthony"),
    ("val", "valerie"),
    ("vicky", "victoria"),
    ("vince", "vincent"),
    ("walt", "walter"),
    ("will", "william"),
    ("willy", "william"),
    ("zach", "zachary"),
    ("zack", "zachary"),
];

/// The canonical form of a normalized (lowercase ASCII) first name: the
/// table's entry, else the name itself.
pub(crate) fn canonical(name: &str) -> &str {
    TABLE
        .iter()
        .find(|(nick, _)| *nick == name)
        .map_or(name, |(_, canon)| canon)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nicknames_meet_their_names() {
        assert_eq!(canonical("bob"), canonical("robert"));
        assert_eq!(canonical("rob"), "robert");
        assert_eq!(canonical("kathy"), canonical("catherine"));
        assert_eq!(canonical("christopher"), canonical("christine"));
        assert_ne!(canonical("bob"), canonical("william"));
        assert_eq!(canonical("zoe"), "zoe");
    }

    #[test]
    fn table_is_lowercase_ascii_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for (nick, canon) in TABLE {
            assert!(nick.bytes().all(|b| b.is_ascii_lowercase()), "{nick}");
            assert!(canon.bytes().all(|b| b.is_ascii_lowercase()), "{canon}");
            assert!(seen.insert(*nick), "{nick} twice");
            // A canonical form is its own canonical form (one hop).
            assert_eq!(canonical(canon), *canon, "{canon}");
        }
    }
}
