//! The petition's JSON Schema, for the API's OpenAPI document: the rules of
//! `domain::petition::validate` stated so that a client (or a generator such as schemathesis)
//! can build a body the server accepts, from the same constants the validator uses.
//!
//! Two rules cannot be stated in a schema and are given in words instead: the national ID's
//! check digit, and the dates' relation to today (not in the future; the damage known at most
//! two years back, the window's last day moved past weekends and holidays).

use crate::domain::petition::{
    RawPetition, Relation, EMAIL_LOCAL_CHARS, MAX_ADDRESS, MAX_EMAIL, MAX_EMAIL_LOCAL,
    MAX_LONG_TEXT, MAX_NAME,
};
use crate::domain::Region;
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, OneOfBuilder, SchemaFormat, Type};
use utoipa::openapi::{RefOr, Schema};

/// Unicode White_Space, exactly the characters Rust's `str::trim` removes, written out so
/// that every regex engine (ECMA-262, Python, Rust) reads the same class.
const SPACE: &str = r"\t\n\u000B\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000";

/// The control characters `petition::is_control` refuses (all but tab, LF and CR).
const CONTROL: &str = r"\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F";

fn text(max: usize, description: &str) -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .max_length(Some(max))
        // Not blank (a character that is not a space), and no control characters.
        .pattern(Some(format!(
            "^[^{CONTROL}]*[^{CONTROL}{SPACE}][^{CONTROL}]*$"
        )))
        .description(Some(description))
        .into()
}

/// Not read: the server ignores this field here.
fn ignored() -> Schema {
    ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::from_iter([
            Type::String,
            Type::Null,
        ]))
        .description(Some("Not read for this relation"))
        .into()
}

fn national_id() -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::String)
        // Spaces and dashes between the digits are allowed (1-2345-67890-12-1).
        .pattern(Some("^[ -]*([0-9][ -]*){13}$"))
        .description(Some(
            "Thai national ID, 13 digits; the last is the check digit of the first twelve \
             (mod 11), which the server checks (422 national_id_checksum)",
        ))
        .examples([serde_json::json!("1103700000011")])
        .into()
}

fn phone() -> Schema {
    let sep = r"[ ().\-]";
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(format!(
            r"^[{SPACE}]*(?:{sep}*\+{sep}*6{sep}*6|{sep}*0)(?:{sep}*[0-9]){{8,9}}{sep}*[{SPACE}]*$"
        )))
        .description(Some(
            "A Thai number: 9 or 10 digits starting with 0, or +66 without the 0; spaces, \
             dashes, dots and brackets between digits are ignored",
        ))
        .examples([serde_json::json!("081-234-5678")])
        .into()
}

fn email() -> Schema {
    let escaped: String = EMAIL_LOCAL_CHARS
        .chars()
        .map(|c| match c {
            '-' | '^' | ']' | '\\' => format!("\\{c}"),
            c => c.to_string(),
        })
        .collect();
    let atext = format!("[A-Za-z0-9{escaped}]");
    let label = "[A-Za-z0-9](?:[A-Za-z0-9\\-]{0,61}[A-Za-z0-9])?";
    let more = MAX_EMAIL_LOCAL - 1;
    nullable_or_empty(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .max_length(Some(MAX_EMAIL))
            .pattern(Some(format!(
                "^[{SPACE}]*{atext}(?:\\.?{atext}){{0,{more}}}@{label}(?:\\.{label})+[{SPACE}]*$"
            )))
            .description(Some("An e-mail address: notices are sent to it"))
            .examples([serde_json::json!("somchai@example.com")])
            .into(),
    )
}

/// An optional field: the value, or null, or nothing but spaces.
fn nullable_or_empty(schema: Schema) -> Schema {
    OneOfBuilder::new()
        .item(schema)
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some(format!("^[{SPACE}]*$")))
                .description(Some("Not given")),
        )
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .into()
}

fn date(description: &str) -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
        .description(Some(description))
        .examples([serde_json::json!("2026-01-12")])
        .into()
}

fn relation(which: &[Relation]) -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(which.iter().map(|r| r.as_str())))
        .into()
}

fn filer(which: &[Relation]) -> Schema {
    let by_self = which == [Relation::Myself];
    let needs_id = which.iter().all(|r| r.filer_needs_national_id());
    let mut o = ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("relation", relation(which))
        .required("relation");
    if by_self {
        for field in ["name", "national_id", "phone", "email"] {
            o = o.property(field, ignored());
        }
        return o
            .description(Some("The harmed person files for themself"))
            .into();
    }
    o = o
        .property("name", text(MAX_NAME, "The filer's full name"))
        .required("name")
        .property("phone", phone())
        .required("phone")
        .property("email", email());
    if needs_id {
        o.property("national_id", national_id())
            .required("national_id")
            .description(Some(
                "An heir, caretaker or proxy files, and identifies themself",
            ))
            .into()
    } else {
        o.property("national_id", nullable_or_empty(national_id()))
            .description(Some("The service unit files for its patient"))
            .into()
    }
}

fn patient(by_self: bool) -> Schema {
    let o = ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("name", text(MAX_NAME, "The harmed person's full name"))
        .required("name")
        .property("national_id", national_id())
        .required("national_id")
        .property("address", text(MAX_ADDRESS, "Where letters reach them"))
        .required("address")
        .property("email", email());
    if by_self {
        // Filing for themself, the patient is the one we call back.
        o.property("phone", phone()).required("phone").into()
    } else {
        o.property("phone", nullable_or_empty(phone())).into()
    }
}

fn service_unit() -> Schema {
    let codes: Vec<u8> = Region::all()
        .flat_map(|r| r.provinces())
        .map(|p| p.code)
        .collect();
    let as_text = ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(codes.iter().map(|c| c.to_string())));
    let as_number = ObjectBuilder::new()
        .schema_type(Type::Integer)
        .enum_values(Some(codes.iter().copied()));
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .property(
            "name",
            text(
                MAX_NAME,
                "The hospital or clinic where the treatment was given",
            ),
        )
        .required("name")
        .property(
            "province_code",
            OneOfBuilder::new()
                .item(as_text)
                .item(as_number)
                .description(Some(
                    "Ministry of Interior province code of the service unit (10 = Bangkok); \
                     it decides the NHSO region",
                )),
        )
        .required("province_code")
        .into()
}

/// One shape of petition: who files decides which fields are required.
fn petition(which: &[Relation], title: &str) -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .title(Some(title))
        .property("filer", filer(which))
        .required("filer")
        .property("patient", patient(which == [Relation::Myself]))
        .required("patient")
        .property("service_unit", service_unit())
        .required("service_unit")
        .property(
            "treatment_date",
            date("The day of the treatment that caused the harm; not after damage_known_date"),
        )
        .required("treatment_date")
        .property(
            "damage_known_date",
            date(
                "The day the harm became known; not in the future. The petition must be \
                 filed within 2 years of it (the last day moves past weekends and public \
                 holidays); later, the server answers 422 out_of_window naming the last day",
            ),
        )
        .required("damage_known_date")
        .property(
            "damage_description",
            text(MAX_LONG_TEXT, "What happened, in the filer's words"),
        )
        .required("damage_description")
        .property(
            "burden",
            text(MAX_LONG_TEXT, "How the harm affects the patient and family"),
        )
        .required("burden")
        .into()
}

impl utoipa::PartialSchema for RawPetition {
    fn schema() -> RefOr<Schema> {
        OneOfBuilder::new()
            .item(petition(&[Relation::Myself], "Filed by the harmed person"))
            .item(petition(
                &[Relation::Heir, Relation::Caretaker, Relation::Proxy],
                "Filed by an heir, caretaker or proxy",
            ))
            .item(petition(
                &[Relation::ServiceUnit],
                "Filed by the service unit",
            ))
            .description(Some(
                "A Section 41 petition. Every rule here is checked; beyond them the server \
                 checks the national IDs' check digits and the dates against today, and \
                 answers 422 naming every failing field.",
            ))
            .into()
    }
}

impl utoipa::ToSchema for RawPetition {
    fn name() -> std::borrow::Cow<'static, str> {
        "Petition".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::petition::is_plausible_email;
    use proptest::prelude::*;
    use utoipa::PartialSchema;

    /// The schema's pattern as a generator (proptest reads the regex without anchors).
    fn matching(schema: Schema) -> proptest::string::RegexGeneratorStrategy<String> {
        let value = serde_json::to_value(schema).unwrap();
        let pattern = value["pattern"]
            .as_str()
            .or_else(|| value["oneOf"][0]["pattern"].as_str())
            .unwrap()
            .trim_start_matches('^')
            .trim_end_matches('$')
            .to_string();
        proptest::string::string_regex(&pattern).unwrap()
    }

    proptest! {
        /// Every address the schema allows is one the validator takes and the mail library
        /// can send to.
        #[test]
        fn a_schema_valid_address_is_taken_and_can_be_mailed(s in matching(email())) {
            prop_assume!(s.chars().count() <= MAX_EMAIL); // the schema's maxLength
            let address = s.trim();
            prop_assert!(is_plausible_email(address), "{address:?}");
            prop_assert!(address.parse::<lettre::Address>().is_ok(), "{address:?}");
        }

        #[test]
        fn a_schema_valid_phone_is_taken(s in matching(phone())) {
            prop_assert!(crate::domain::petition::normalise_phone(s.trim()).is_some(), "{s:?}");
        }

        /// The pattern gives the form; the check digit is the one rule left to words.
        #[test]
        fn a_schema_valid_national_id_has_the_right_form(s in matching(national_id())) {
            let parsed = crate::domain::NationalId::parse(&s);
            prop_assert!(
                !matches!(parsed, Err(crate::domain::national_id::NationalIdError::Format)),
                "{s:?}"
            );
        }

        #[test]
        fn schema_valid_text_is_taken(s in matching(text(MAX_NAME, ""))) {
            let mut raw = crate::domain::petition::tests::valid_raw();
            raw.patient.name = s.clone();
            let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
            let checked = crate::domain::petition::validate(&raw, today, &crate::domain::Holidays::default());
            prop_assume!(s.chars().count() <= MAX_NAME); // the schema's maxLength
            prop_assert!(checked.is_ok(), "{s:?}: {checked:?}");
        }
    }

    #[test]
    fn every_province_code_in_the_schema_is_one_the_validator_knows() {
        let unit = serde_json::to_value(service_unit()).unwrap();
        let codes = &unit["properties"]["province_code"]["oneOf"];
        let as_text = codes[0]["enum"].as_array().unwrap();
        assert_eq!(as_text.len(), 77);
        for c in as_text {
            assert!(crate::domain::ProvinceCode::parse(c.as_str().unwrap()).is_some(), "{c}");
        }
        assert_eq!(codes[1]["enum"].as_array().unwrap().len(), 77);
    }

    #[test]
    fn every_relation_has_one_shape() {
        let schema = serde_json::to_value(RawPetition::schema()).unwrap();
        let mut relations: Vec<String> = schema["oneOf"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| {
                s["properties"]["filer"]["properties"]["relation"]["enum"]
                    .as_array()
                    .unwrap()
                    .clone()
            })
            .map(|r| r.as_str().unwrap().to_string())
            .collect();
        relations.sort();
        let mut all: Vec<String> = Relation::ALL
            .iter()
            .map(|r| r.as_str().to_string())
            .collect();
        all.sort();
        assert_eq!(relations, all);
    }
}
