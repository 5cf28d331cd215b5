//! A petition as typed (all text) and as validated. `validate` is the one place that decides
//! whether a petition may be filed; the browser, the web form and the JSON API all call it.

use super::dates::{from_parts, iso, parse_iso};
use super::national_id::{NationalId, NationalIdError};
use super::region::ProvinceCode;
use super::window::{filing_deadline, HolidayCalendar};
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;

/// Who is filing, relative to the injured person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    #[serde(rename = "self")]
    Myself,
    Heir,
    Caretaker,
    ServiceUnit,
    Proxy,
}

impl Relation {
    pub const ALL: [Relation; 5] = [
        Self::Myself,
        Self::Heir,
        Self::Caretaker,
        Self::ServiceUnit,
        Self::Proxy,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Myself => "self",
            Self::Heir => "heir",
            Self::Caretaker => "caretaker",
            Self::ServiceUnit => "service_unit",
            Self::Proxy => "proxy",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }
    /// Who filed, as the check-answers and case pages say it.
    pub fn label(self, thai: bool) -> &'static str {
        match (self, thai) {
            (Self::Myself, true) => "ผู้ได้รับความเสียหายยื่นเอง",
            (Self::Myself, false) => "The harmed person, for themself",
            (Self::Heir, true) => "ทายาท",
            (Self::Heir, false) => "An heir",
            (Self::Caretaker, true) => "ผู้อุปการะ",
            (Self::Caretaker, false) => "A caretaker",
            (Self::ServiceUnit, true) => "หน่วยบริการ",
            (Self::ServiceUnit, false) => "The service unit",
            (Self::Proxy, true) => "ผู้รับมอบอำนาจ",
            (Self::Proxy, false) => "Someone with a power of attorney",
        }
    }
    /// Heirs, caretakers and proxies are people and must identify themselves.
    pub fn filer_needs_national_id(self) -> bool {
        matches!(self, Self::Heir | Self::Caretaker | Self::Proxy)
    }
}

/// A text field: a JSON string, or null for "not given". Anything else is refused (400), as
/// the API's schema says.
fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

/// The province code: text, or the number itself (10 for Bangkok), or null.
fn code<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Code {
        Text(String),
        Number(u64),
    }
    Ok(match Option::<Code>::deserialize(d)? {
        Some(Code::Text(s)) => s,
        Some(Code::Number(n)) => n.to_string(),
        None => String::new(),
    })
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RawFiler {
    #[serde(deserialize_with = "text")]
    pub relation: String,
    #[serde(deserialize_with = "text")]
    pub name: String,
    #[serde(deserialize_with = "text")]
    pub national_id: String,
    #[serde(deserialize_with = "text")]
    pub phone: String,
    #[serde(deserialize_with = "text")]
    pub email: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RawPatient {
    #[serde(deserialize_with = "text")]
    pub name: String,
    #[serde(deserialize_with = "text")]
    pub national_id: String,
    #[serde(deserialize_with = "text")]
    pub address: String,
    #[serde(deserialize_with = "text")]
    pub phone: String,
    #[serde(deserialize_with = "text")]
    pub email: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RawServiceUnit {
    #[serde(deserialize_with = "text")]
    pub name: String,
    #[serde(deserialize_with = "code")]
    pub province_code: String,
}

/// The petition exactly as received: the JSON API's body, or the web form's fields.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RawPetition {
    pub filer: RawFiler,
    pub patient: RawPatient,
    pub service_unit: RawServiceUnit,
    #[serde(deserialize_with = "text")]
    pub treatment_date: String,
    #[serde(deserialize_with = "text")]
    pub damage_known_date: String,
    #[serde(deserialize_with = "text")]
    pub damage_description: String,
    #[serde(deserialize_with = "text")]
    pub burden: String,
}

/// Why one field is not acceptable. Messages are produced per language by `i18n`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ErrorCode {
    Required,
    TooLong {
        max: usize,
    },
    TooShort {
        min: usize,
    },
    InvalidChoice,
    /// A name already taken (an administrator adding a harm type that exists).
    AlreadyExists,
    /// Control characters (a NUL, an escape…) that no keyboard types: pasted from elsewhere.
    ControlCharacters,
    NationalIdFormat,
    /// Something besides digits (an account number).
    DigitsOnly,
    NationalIdChecksum,
    Phone,
    Email,
    DateInvalid,
    /// The year box holds fewer than four digits ("66" rather than 2566).
    YearNotFourDigits,
    DateInFuture,
    /// Further back than staff may record (assisted intake's received date).
    TooLongAgo {
        days: i64,
    },
    TreatmentAfterDamageKnown,
    OutOfWindow {
        last_day: NaiveDate,
    },
    UnknownProvince,
    /// A provincial health office filing for a service unit in another province.
    OutsideProvince {
        province: u8,
    },
    // Documents
    FileTooLarge {
        max_mb: usize,
    },
    FileType,
    TooManyFiles {
        max: usize,
    },
    /// The password typed twice differs.
    PasswordsDiffer,
    /// The forms not yet sent from this connection hold this much in documents already.
    ClientStorageFull {
        max_mb: usize,
    },
    // Staff decisions
    AmountOutOfRange {
        min: i64,
        max: i64,
    },
    /// Screening: required checklist items not ticked.
    ChecklistIncomplete {
        missing: usize,
    },
    /// Screening: the Universal Coverage right has not been verified.
    UcNotVerified,
    /// A decision notice cannot be received before the decision was made.
    BeforeDecision {
        decided_on: NaiveDate,
    },
    /// The last day to appeal (counted from receiving the decision) has passed.
    AppealWindowClosed {
        last_day: NaiveDate,
    },
}

impl ErrorCode {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::TooLong { .. } => "too_long",
            Self::TooShort { .. } => "too_short",
            Self::InvalidChoice => "invalid_choice",
            Self::ControlCharacters => "control_characters",
            Self::AlreadyExists => "already_exists",
            Self::NationalIdFormat => "national_id_format",
            Self::DigitsOnly => "digits_only",
            Self::NationalIdChecksum => "national_id_checksum",
            Self::Phone => "phone",
            Self::Email => "email",
            Self::DateInvalid => "date_invalid",
            Self::YearNotFourDigits => "year_not_four_digits",
            Self::DateInFuture => "date_in_future",
            Self::TooLongAgo { .. } => "too_long_ago",
            Self::TreatmentAfterDamageKnown => "treatment_after_damage_known",
            Self::OutOfWindow { .. } => "out_of_window",
            Self::UnknownProvince => "unknown_province",
            Self::OutsideProvince { .. } => "outside_province",
            Self::FileTooLarge { .. } => "file_too_large",
            Self::FileType => "file_type",
            Self::TooManyFiles { .. } => "too_many_files",
            Self::ClientStorageFull { .. } => "client_storage_full",
            Self::PasswordsDiffer => "passwords_differ",
            Self::AmountOutOfRange { .. } => "amount_out_of_range",
            Self::ChecklistIncomplete { .. } => "checklist_incomplete",
            Self::UcNotVerified => "uc_not_verified",
            Self::BeforeDecision { .. } => "before_decision",
            Self::AppealWindowClosed { .. } => "appeal_window_closed",
        }
    }
}

/// One failing field, named by its dotted path in the API body (`patient.national_id`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    #[serde(flatten)]
    pub code: ErrorCode,
}

impl FieldError {
    pub fn new(field: &str, code: ErrorCode) -> Self {
        Self {
            field: field.to_string(),
            code,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub name: String,
    pub national_id: Option<NationalId>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// A petition that satisfies every rule and may be filed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Petition {
    pub relation: Relation,
    /// The person or unit filing; `None` when the injured person files for themself.
    pub filer: Option<Contact>,
    pub patient_name: String,
    pub patient_national_id: NationalId,
    pub patient_address: String,
    pub patient_phone: Option<String>,
    pub patient_email: Option<String>,
    pub service_unit_name: String,
    pub province: ProvinceCode,
    pub treatment_date: NaiveDate,
    pub damage_known_date: NaiveDate,
    pub damage_description: String,
    pub burden: String,
    /// The last day this petition could be filed.
    pub filing_deadline: NaiveDate,
}

pub const MAX_NAME: usize = 200;
pub const MAX_ADDRESS: usize = 500;
pub const MAX_LONG_TEXT: usize = 5000;
pub const MAX_EMAIL: usize = 254;

struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    fn fail(&mut self, field: &str, code: ErrorCode) {
        self.errors.push(FieldError::new(field, code));
    }

    fn text(&mut self, field: &str, value: &str, required: bool, max: usize) -> Option<String> {
        let v = value.trim();
        if v.is_empty() {
            if required {
                self.fail(field, ErrorCode::Required);
            }
            return None;
        }
        // Counted as sent, spaces included, as the API's schema states its maxLength.
        if value.chars().count() > max {
            self.fail(field, ErrorCode::TooLong { max });
            return None;
        }
        if value.chars().any(is_control) {
            self.fail(field, ErrorCode::ControlCharacters);
            return None;
        }
        Some(v.to_string())
    }

    fn national_id(&mut self, field: &str, value: &str, required: bool) -> Option<NationalId> {
        if value.trim().is_empty() {
            if required {
                self.fail(field, ErrorCode::Required);
            }
            return None;
        }
        match NationalId::parse(value) {
            Ok(id) => Some(id),
            Err(NationalIdError::Format) => {
                self.fail(field, ErrorCode::NationalIdFormat);
                None
            }
            Err(NationalIdError::Checksum) => {
                self.fail(field, ErrorCode::NationalIdChecksum);
                None
            }
        }
    }

    fn phone(&mut self, field: &str, value: &str, required: bool) -> Option<String> {
        let v = value.trim();
        if v.is_empty() {
            if required {
                self.fail(field, ErrorCode::Required);
            }
            return None;
        }
        match normalise_phone(v) {
            Some(p) => Some(p),
            None => {
                self.fail(field, ErrorCode::Phone);
                None
            }
        }
    }

    fn email(&mut self, field: &str, value: &str) -> Option<String> {
        let v = value.trim();
        if v.is_empty() {
            return None;
        }
        if value.chars().count() <= MAX_EMAIL && is_plausible_email(v) {
            Some(v.to_string())
        } else {
            self.fail(field, ErrorCode::Email);
            None
        }
    }

    fn date(&mut self, field: &str, value: &str, today: NaiveDate) -> Option<NaiveDate> {
        if value.trim().is_empty() {
            self.fail(field, ErrorCode::Required);
            return None;
        }
        match parse_iso(value) {
            None => {
                // The form's boxes that made no date come as `invalid:D/M/Y`.
                let year = value
                    .strip_prefix("invalid:")
                    .and_then(|parts| parts.rsplit('/').next())
                    .unwrap_or("");
                self.fail(field, super::dates::parts_problem(year));
                None
            }
            Some(d) if d > today => {
                self.fail(field, ErrorCode::DateInFuture);
                None
            }
            Some(d) => Some(d),
        }
    }
}

/// Thai numbers: 9 or 10 digits starting with 0 (landline or mobile), or +66 without the 0.
pub fn normalise_phone(s: &str) -> Option<String> {
    let digits: String = s
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.'))
        .collect();
    let local = if let Some(rest) = digits.strip_prefix("+66") {
        format!("0{rest}")
    } else {
        digits
    };
    (local.starts_with('0')
        && (9..=10).contains(&local.len())
        && local.bytes().all(|b| b.is_ascii_digit()))
    .then_some(local)
}

/// A control character other than tab and line breaks: none belongs in a name, an address
/// or a description (and PostgreSQL cannot store a NUL).
pub fn is_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Characters allowed in an e-mail address's local part, besides the dots between them
/// (RFC 5322 atext, ASCII only).
pub const EMAIL_LOCAL_CHARS: &str = "!#$%&'*+/=?^_`{|}~-";
/// At most this many characters before the `@`, dots not counted: an address the mail
/// library accepts (its limit is 64 with the dots).
pub const MAX_EMAIL_LOCAL: usize = 32;

/// An address we can send to: `local@domain`, the local part letters, digits and
/// `EMAIL_LOCAL_CHARS` with single dots between them (at most `MAX_EMAIL_LOCAL` besides the
/// dots); the domain two or more labels of letters, digits and inner hyphens, each at most
/// 63 long. A subset of what the mail library (lettre) accepts, so every address taken is
/// one a notice can go to. ASCII only.
pub fn is_plausible_email(s: &str) -> bool {
    if s.chars().count() > MAX_EMAIL {
        return false;
    }
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.split('.').all(|atom| {
            !atom.is_empty()
                && atom
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || EMAIL_LOCAL_CHARS.contains(c))
        })
        && local.chars().filter(|c| *c != '.').count() <= MAX_EMAIL_LOCAL;
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            (1..=63).contains(&l.len())
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        });
    local_ok && domain_ok
}

/// Checks every rule at once and names every failing field, so a person sees all problems
/// in one go. `today` is the Bangkok date the petition is received.
pub fn validate(
    raw: &RawPetition,
    today: NaiveDate,
    cal: &impl HolidayCalendar,
) -> Result<Petition, Vec<FieldError>> {
    validate_with(raw, today, cal, false)
}

/// `validate`, where `accept_late` lets a petition past the 2-year window through: only for
/// staff who have recorded a written reason (see `intake`).
pub fn validate_with(
    raw: &RawPetition,
    today: NaiveDate,
    cal: &impl HolidayCalendar,
    accept_late: bool,
) -> Result<Petition, Vec<FieldError>> {
    let mut c = Checker { errors: Vec::new() };

    let relation = if raw.filer.relation.trim().is_empty() {
        c.fail("filer.relation", ErrorCode::Required);
        None
    } else {
        let r = Relation::parse(&raw.filer.relation);
        if r.is_none() {
            c.fail("filer.relation", ErrorCode::InvalidChoice);
        }
        r
    };

    let filer = match relation {
        Some(r) if r != Relation::Myself => {
            let name = c.text("filer.name", &raw.filer.name, true, MAX_NAME);
            let national_id = c.national_id(
                "filer.national_id",
                &raw.filer.national_id,
                r.filer_needs_national_id(),
            );
            let phone = c.phone("filer.phone", &raw.filer.phone, true);
            let email = c.email("filer.email", &raw.filer.email);
            name.map(|name| Contact {
                name,
                national_id,
                phone,
                email,
            })
        }
        _ => None,
    };
    let files_for_self = relation == Some(Relation::Myself);

    let patient_name = c.text("patient.name", &raw.patient.name, true, MAX_NAME);
    let patient_national_id = c.national_id("patient.national_id", &raw.patient.national_id, true);
    let patient_address = c.text("patient.address", &raw.patient.address, true, MAX_ADDRESS);
    let patient_phone = c.phone("patient.phone", &raw.patient.phone, files_for_self);
    let patient_email = c.email("patient.email", &raw.patient.email);

    let service_unit_name = c.text("service_unit.name", &raw.service_unit.name, true, MAX_NAME);
    let province = if raw.service_unit.province_code.trim().is_empty() {
        c.fail("service_unit.province_code", ErrorCode::Required);
        None
    } else {
        let p = ProvinceCode::parse(&raw.service_unit.province_code);
        if p.is_none() {
            c.fail("service_unit.province_code", ErrorCode::UnknownProvince);
        }
        p
    };

    let treatment_date = c.date("treatment_date", &raw.treatment_date, today);
    let damage_known_date = c.date("damage_known_date", &raw.damage_known_date, today);
    if let (Some(t), Some(k)) = (treatment_date, damage_known_date) {
        if t > k {
            c.fail("treatment_date", ErrorCode::TreatmentAfterDamageKnown);
        }
    }
    let deadline = damage_known_date.map(|k| filing_deadline(k, cal));
    if let Some(last_day) = deadline {
        if today > last_day && !accept_late {
            c.fail("damage_known_date", ErrorCode::OutOfWindow { last_day });
        }
    }

    let damage_description = c.text(
        "damage_description",
        &raw.damage_description,
        true,
        MAX_LONG_TEXT,
    );
    let burden = c.text("burden", &raw.burden, true, MAX_LONG_TEXT);

    if !c.errors.is_empty() {
        return Err(c.errors);
    }
    // Every `None` above recorded an error, so all of these are present.
    let (
        Some(relation),
        Some(patient_name),
        Some(patient_national_id),
        Some(patient_address),
        Some(service_unit_name),
        Some(province),
        Some(treatment_date),
        Some(damage_known_date),
        Some(damage_description),
        Some(burden),
        Some(filing_deadline),
    ) = (
        relation,
        patient_name,
        patient_national_id,
        patient_address,
        service_unit_name,
        province,
        treatment_date,
        damage_known_date,
        damage_description,
        burden,
        deadline,
    )
    else {
        unreachable!("a missing value always records an error")
    };
    Ok(Petition {
        relation,
        filer,
        patient_name,
        patient_national_id,
        patient_address,
        patient_phone,
        patient_email,
        service_unit_name,
        province,
        treatment_date,
        damage_known_date,
        damage_description,
        burden,
        filing_deadline,
    })
}

/// The fields the web form asks for as day, month and year boxes (`treatment_date.day`, …).
pub const DATE_FIELDS: [&str; 2] = ["treatment_date", "damage_known_date"];

/// The web form's steps and the API fields each one collects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Step {
    Filer,
    Patient,
    Treatment,
    Damage,
    Documents,
    Check,
}

impl Step {
    pub const ALL: [Step; 6] = [
        Self::Filer,
        Self::Patient,
        Self::Treatment,
        Self::Damage,
        Self::Documents,
        Self::Check,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Self::Filer => "filer",
            Self::Patient => "patient",
            Self::Treatment => "treatment",
            Self::Damage => "damage",
            Self::Documents => "documents",
            Self::Check => "check",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.slug() == s)
    }
    pub fn number(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0) + 1
    }
    pub fn next(self) -> Option<Self> {
        Self::ALL.get(self.number()).copied()
    }
    pub fn previous(self) -> Option<Self> {
        self.number().checked_sub(2).map(|i| Self::ALL[i])
    }
    /// The dotted field paths this step owns (errors are shown on the step that owns them).
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            Self::Filer => &[
                "filer.relation",
                "filer.name",
                "filer.national_id",
                "filer.phone",
                "filer.email",
            ],
            Self::Patient => &[
                "patient.name",
                "patient.national_id",
                "patient.address",
                "patient.phone",
                "patient.email",
            ],
            Self::Treatment => &[
                "service_unit.name",
                "service_unit.province_code",
                "treatment_date",
                "damage_known_date",
                super::intake::OVERRIDE_FIELD,
            ],
            Self::Damage => &["damage_description", "burden"],
            Self::Documents | Self::Check => &[],
        }
    }
    /// Is this form key one the step owns: one of its fields, or a date's day, month or
    /// year box?
    pub fn owns(self, key: &str) -> bool {
        self.fields().iter().any(|f| {
            *f == key
                || DATE_FIELDS.contains(f)
                    && key
                        .strip_prefix(f)
                        .is_some_and(|rest| matches!(rest, ".day" | ".month" | ".year"))
        })
    }
    /// The step a field is entered on.
    pub fn owning(field: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.fields().contains(&field))
    }
}

/// The errors of `validate` that belong to one step.
pub fn errors_for_step(errors: &[FieldError], step: Step) -> Vec<FieldError> {
    errors
        .iter()
        .filter(|e| step.fields().contains(&e.field.as_str()))
        .cloned()
        .collect()
}

/// The web form's flat fields (dates as day/month/year boxes) mapped onto the API's shape.
/// Form field names are the dotted paths, with `.day`, `.month`, `.year` for dates.
pub fn raw_from_form(form: &BTreeMap<String, String>) -> RawPetition {
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let date = |k: &str| {
        let (d, m, y) = (
            get(&format!("{k}.day")),
            get(&format!("{k}.month")),
            get(&format!("{k}.year")),
        );
        if d.trim().is_empty() && m.trim().is_empty() && y.trim().is_empty() {
            String::new()
        } else {
            // An impossible date keeps a non-ISO marker so `validate` reports it as invalid.
            from_parts(&d, &m, &y)
                .map(iso)
                .unwrap_or_else(|| format!("invalid:{d}/{m}/{y}"))
        }
    };
    RawPetition {
        filer: RawFiler {
            relation: get("filer.relation"),
            name: get("filer.name"),
            national_id: get("filer.national_id"),
            phone: get("filer.phone"),
            email: get("filer.email"),
        },
        patient: RawPatient {
            name: get("patient.name"),
            national_id: get("patient.national_id"),
            address: get("patient.address"),
            phone: get("patient.phone"),
            email: get("patient.email"),
        },
        service_unit: RawServiceUnit {
            name: get("service_unit.name"),
            province_code: get("service_unit.province_code"),
        },
        treatment_date: date("treatment_date"),
        damage_known_date: date("damage_known_date"),
        damage_description: get("damage_description"),
        burden: get("burden"),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::window::Holidays;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    pub fn valid_raw() -> RawPetition {
        RawPetition {
            filer: RawFiler {
                relation: "self".into(),
                ..Default::default()
            },
            patient: RawPatient {
                name: "สมชาย ใจดี".into(),
                national_id: "1101700230708".into(),
                address: "99 หมู่ 1 ต.สุเทพ อ.เมือง จ.เชียงใหม่ 50200".into(),
                phone: "081-234-5678".into(),
                email: "".into(),
            },
            service_unit: RawServiceUnit {
                name: "โรงพยาบาลนครพิงค์".into(),
                province_code: "50".into(),
            },
            treatment_date: "2026-01-10".into(),
            damage_known_date: "2026-01-12".into(),
            damage_description: "แพ้ยาหลังได้รับยาฉีด".into(),
            burden: "ค่ารักษาต่อเนื่อง ขาดรายได้".into(),
        }
    }

    fn fields(r: &RawPetition) -> Vec<String> {
        validate(r, today(), &Holidays::default())
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn a_complete_petition_is_accepted_and_routed() {
        let p = validate(&valid_raw(), today(), &Holidays::default()).unwrap();
        assert_eq!(p.province.region().number(), 1);
        assert_eq!(p.patient_phone.as_deref(), Some("0812345678"));
        assert_eq!(
            p.filing_deadline,
            NaiveDate::from_ymd_opt(2028, 1, 12).unwrap()
        );
    }

    #[test]
    fn every_error_is_named_at_once() {
        let f = fields(&RawPetition::default());
        for want in [
            "filer.relation",
            "patient.name",
            "patient.national_id",
            "patient.address",
            "service_unit.name",
            "service_unit.province_code",
            "treatment_date",
            "damage_known_date",
            "damage_description",
            "burden",
        ] {
            assert!(f.contains(&want.to_string()), "{want} in {f:?}");
        }
    }

    #[test]
    fn heirs_must_identify_themselves_and_give_a_phone() {
        let mut r = valid_raw();
        r.filer.relation = "heir".into();
        r.patient.phone.clear();
        assert_eq!(
            fields(&r),
            vec!["filer.name", "filer.national_id", "filer.phone"]
        );
        r.filer.name = "สมหญิง ใจดี".into();
        r.filer.national_id = "3101001234565".into();
        r.filer.phone = "+66 81 234 5678".into();
        assert!(validate(&r, today(), &Holidays::default()).is_ok());
    }

    #[test]
    fn out_of_window_names_the_last_day() {
        let mut r = valid_raw();
        r.treatment_date = "2024-11-01".into();
        r.damage_known_date = "2024-11-20".into(); // last day 2026-11-20 (Friday)
        let errs = validate(&r, today(), &Holidays::default()).unwrap_err();
        assert_eq!(
            errs,
            vec![FieldError::new(
                "damage_known_date",
                ErrorCode::OutOfWindow {
                    last_day: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
                }
            )]
        );
        // Known on 2024-11-21: the anniversary is Saturday, so Monday 23 November 2026 is still in time.
        r.damage_known_date = "2024-11-21".into();
        assert!(validate(&r, today(), &Holidays::default()).is_ok());
    }

    #[test]
    fn dates_must_be_in_order_and_not_in_the_future() {
        let mut r = valid_raw();
        r.treatment_date = "2026-01-13".into();
        assert_eq!(fields(&r), vec!["treatment_date"]);
        r.treatment_date = "2026-11-23".into();
        r.damage_known_date = "2026-11-23".into();
        assert_eq!(fields(&r), vec!["treatment_date", "damage_known_date"]);
        r.treatment_date = "10/01/2026".into();
        r.damage_known_date = "2026-01-12".into();
        assert_eq!(fields(&r), vec!["treatment_date"]);
    }

    #[test]
    fn bad_values_are_named() {
        let mut r = valid_raw();
        r.patient.national_id = "1101700230705".into();
        r.patient.phone = "12345".into();
        r.patient.email = "not-an-email".into();
        r.service_unit.province_code = "99".into();
        r.filer.relation = "cousin".into();
        let errs = validate(&r, today(), &Holidays::default()).unwrap_err();
        let codes: Vec<_> = errs
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            codes,
            vec![
                ("filer.relation", "invalid_choice"),
                ("patient.national_id", "national_id_checksum"),
                ("patient.phone", "phone"),
                ("patient.email", "email"),
                ("service_unit.province_code", "unknown_province"),
            ]
        );
    }

    #[test]
    fn control_characters_are_refused_where_text_is_kept() {
        let mut r = valid_raw();
        r.patient.name = "สมชาย\u{0}".into();
        r.damage_description = "line one\nline two\ttabbed".into();
        let errs = validate(&r, today(), &Holidays::default()).unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(
            (errs[0].field.as_str(), errs[0].code.as_str()),
            ("patient.name", "control_characters")
        );
    }

    #[test]
    fn only_addresses_mail_can_reach_are_taken() {
        for ok in [
            "somchai@example.com",
            "a.b+c@mail.example.co.th",
            "x@a-b.io",
        ] {
            assert!(is_plausible_email(ok), "{ok}");
        }
        for bad in [
            "a..b@example.com",
            ".a@example.com",
            "a.@example.com",
            "a@example",
            "a@-x.com",
            "a@x-.com",
            "a@ex..com",
            "สมชาย@example.com",
            "a\"b@example.com",
            &format!("{}@example.com", "a".repeat(33)),
        ] {
            assert!(!is_plausible_email(bad), "{bad}");
        }
        assert!(is_plausible_email(&format!(
            "{}@example.com",
            "a.".repeat(31) + "a"
        )));
    }

    #[test]
    fn form_fields_map_to_the_api_shape_with_buddhist_years() {
        let mut form = BTreeMap::new();
        form.insert("treatment_date.day".to_string(), "10".to_string());
        form.insert("treatment_date.month".to_string(), "1".to_string());
        form.insert("treatment_date.year".to_string(), "2569".to_string());
        form.insert("damage_known_date.day".to_string(), "31".to_string());
        form.insert("damage_known_date.month".to_string(), "2".to_string());
        form.insert("damage_known_date.year".to_string(), "2569".to_string());
        let raw = raw_from_form(&form);
        assert_eq!(raw.treatment_date, "2026-01-10");
        assert!(parse_iso(&raw.damage_known_date).is_none());
        assert_eq!(raw.damage_description, "");
    }

    #[test]
    fn a_two_digit_year_is_told_it_needs_four_digits() {
        let mut form = BTreeMap::new();
        for (k, v) in [("day", "3"), ("month", "4"), ("year", "66")] {
            form.insert(format!("treatment_date.{k}"), v.to_string());
        }
        for (k, v) in [("day", "31"), ("month", "2"), ("year", "2569")] {
            form.insert(format!("damage_known_date.{k}"), v.to_string());
        }
        let errs = validate(&raw_from_form(&form), today(), &Holidays::default()).unwrap_err();
        let code = |f: &str| errs.iter().find(|e| e.field == f).map(|e| e.code.as_str());
        assert_eq!(code("treatment_date"), Some("year_not_four_digits"));
        // 31 February is no date whatever the year: that stays "a real date".
        assert_eq!(code("damage_known_date"), Some("date_invalid"));
    }

    #[test]
    fn json_numbers_are_read_as_text() {
        let r: RawPetition = serde_json::from_str(
            r#"{"service_unit":{"province_code":10},"patient":{"email":null}}"#,
        )
        .unwrap();
        assert_eq!(r.service_unit.province_code, "10");
        assert_eq!(r.patient.email, "");
        // Other fields take text only, as the API's schema says.
        assert!(serde_json::from_str::<RawPetition>(r#"{"patient":{"name":5}}"#).is_err());
    }

    #[test]
    fn steps_own_every_field_the_validator_names() {
        for e in validate(&RawPetition::default(), today(), &Holidays::default()).unwrap_err() {
            assert!(Step::owning(&e.field).is_some(), "{}", e.field);
        }
        assert_eq!(Step::Filer.next(), Some(Step::Patient));
        assert_eq!(Step::Check.next(), None);
        assert_eq!(Step::Filer.previous(), None);
    }

    #[test]
    fn a_step_owns_its_fields_and_its_dates_boxes_only() {
        assert!(Step::Damage.owns("burden"));
        assert!(Step::Treatment.owns("treatment_date.day"));
        assert!(Step::Treatment.owns("damage_known_date.year"));
        assert!(!Step::Treatment.owns("treatment_date.hour"));
        assert!(!Step::Treatment.owns("burden"));
        assert!(!Step::Filer.owns("return_to"));
        assert!(!Step::Patient.owns("patient.name.day"));
    }
}
