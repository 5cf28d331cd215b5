//! Thai first, English on request. Text lives beside its translation at the point of use
//! (`t(locale, "ไทย", "English")`); validation messages are composed here from error codes.

use crate::domain::dates::{english_long, thai_long};
use crate::domain::{ErrorCode, FieldError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    Th,
    En,
}

impl Locale {
    pub fn code(self) -> &'static str {
        match self {
            Self::Th => "th",
            Self::En => "en",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "th" => Some(Self::Th),
            "en" => Some(Self::En),
            _ => None,
        }
    }
    pub fn other(self) -> Self {
        match self {
            Self::Th => Self::En,
            Self::En => Self::Th,
        }
    }
    /// A moment on Bangkok clocks, Buddhist era in Thai.
    pub fn time(self, at: chrono::DateTime<chrono::Utc>) -> String {
        crate::domain::dates::bangkok_time(at, self == Self::Th)
    }
    /// A date as this language's readers expect it: Buddhist era in Thai.
    pub fn date(self, d: NaiveDate) -> String {
        match self {
            Self::Th => thai_long(d),
            Self::En => english_long(d),
        }
    }
}

pub fn t(l: Locale, th: &'static str, en: &'static str) -> &'static str {
    match l {
        Locale::Th => th,
        Locale::En => en,
    }
}

/// The name of a field as it appears in messages (lower-case in English, mid-sentence).
pub fn field_label(l: Locale, field: &str) -> &'static str {
    match field {
        "filer.relation" => t(l, "ผู้ยื่นคำร้องเกี่ยวข้องกับผู้เสียหายอย่างไร", "who is filing"),
        "filer.name" => t(l, "ชื่อผู้ยื่นคำร้อง", "the filer's name"),
        "filer.national_id" => t(
            l,
            "เลขประจำตัวประชาชนของผู้ยื่นคำร้อง",
            "the filer's national ID number",
        ),
        "filer.phone" => t(l, "เบอร์โทรศัพท์ของผู้ยื่นคำร้อง", "the filer's phone number"),
        "filer.email" => t(l, "อีเมลของผู้ยื่นคำร้อง", "the filer's email address"),
        "patient.name" => t(l, "ชื่อผู้ได้รับความเสียหาย", "the injured person's name"),
        "patient.national_id" => t(
            l,
            "เลขประจำตัวประชาชนของผู้ได้รับความเสียหาย",
            "the injured person's national ID number",
        ),
        "patient.address" => t(l, "ที่อยู่ที่ติดต่อได้", "an address where they can be reached"),
        "patient.phone" => t(
            l,
            "เบอร์โทรศัพท์ของผู้ได้รับความเสียหาย",
            "the injured person's phone number",
        ),
        "patient.email" => t(
            l,
            "อีเมลของผู้ได้รับความเสียหาย",
            "the injured person's email address",
        ),
        "service_unit.name" => t(
            l,
            "ชื่อหน่วยบริการ (โรงพยาบาล/สถานพยาบาล)",
            "the name of the hospital or clinic",
        ),
        "service_unit.province_code" => t(
            l,
            "จังหวัดของหน่วยบริการ",
            "the province of the hospital or clinic",
        ),
        "treatment_date" => t(l, "วันที่รับการรักษา", "the date of treatment"),
        "damage_known_date" => t(l, "วันที่ทราบความเสียหาย", "the date the harm became known"),
        "damage_description" => t(l, "ความเสียหายที่เกิดขึ้น", "what harm happened"),
        "burden" => t(l, "ภาระที่ต้องรับผิดชอบในปัจจุบัน", "the burden now borne"),
        "documents" => t(l, "เอกสาร", "documents"),
        "reason_code" => t(l, "เหตุผล", "a reason"),
        "public_note" => t(l, "ข้อความถึงผู้ยื่นคำร้อง", "a message for the claimant"),
        "category" => t(l, "ประเภทความเสียหาย", "the category"),
        "amount" => t(l, "จำนวนเงิน", "the amount"),
        "answer" => t(l, "คำตอบของท่าน", "your answer"),
        "outcome" => t(l, "ผลการพิจารณาอุทธรณ์", "the appeal outcome"),
        "internal_note" => t(l, "ข้อความ", "the note"),
        "region" => t(l, "สำนักงานเขตปลายทาง", "the region to move it to"),
        "paid_on" => t(l, "วันที่โอนเงิน", "the payment date"),
        "payment_reference" => t(l, "เลขที่อ้างอิงการโอน", "the transfer reference"),
        "appeal_reason" => t(l, "เหตุผลที่อุทธรณ์", "why you are appealing"),
        "intake.channel" => t(l, "ช่องทางที่รับคำร้อง", "how the petition came in"),
        "intake.received_on" => t(l, "วันที่รับคำร้อง", "the date the petition was received"),
        "intake.window_override_reason" => t(
            l,
            "เหตุผลที่รับคำร้องที่เกินกำหนด 2 ปี",
            "the reason for accepting a petition past the 2-year window",
        ),
        "checklist" => t(l, "รายการตรวจสอบคำร้อง", "the screening checklist"),
        "conflict_reason" => t(l, "เหตุผลที่มีส่วนได้เสีย", "why you have an interest in the case"),
        "meets_on" => t(l, "วันประชุม", "the meeting date"),
        "effective_from" => t(
            l,
            "วันที่เริ่มใช้ (ตั้งแต่วันนี้เป็นต้นไป)",
            "the date it takes effect (today or later)",
        ),
        "min_baht" => t(l, "จำนวนเงินต่ำสุด", "the lowest amount"),
        "max_baht" => t(l, "จำนวนเงินสูงสุด", "the highest amount"),
        "days" => t(l, "จำนวนวัน (1–365)", "the number of days (1–365)"),
        "clock" => t(l, "กำหนดเวลา", "the time target"),
        "date" => t(l, "วันที่", "the date"),
        "name_th" => t(l, "ชื่อวันหยุดภาษาไทย", "the holiday's Thai name"),
        "email" => t(l, "อีเมล", "the email address"),
        "name" => t(
            l,
            "ชื่อหน่วยบริการ (ยังไม่มีในรายการ)",
            "a service unit name not already listed",
        ),
        "role" => t(l, "บทบาท", "the role"),
        "password" => t(l, "รหัสผ่าน", "the password"),
        "meeting" => t(l, "การประชุม", "a meeting"),
        "uc_right" => t(
            l,
            "ผลการตรวจสอบสิทธิหลักประกันสุขภาพ",
            "the result of the UC right check",
        ),
        "uc_method" => t(l, "วิธีตรวจสอบสิทธิ", "how the right was checked"),
        "harm_type" => t(l, "ประเภทความเสียหาย", "the type of harm"),
        "unit_code" => t(l, "รหัสหน่วยบริการ", "the unit code"),
        "unit_name" => t(l, "ชื่อหน่วยบริการ", "the unit name"),
        "label_th" => t(l, "ชื่อภาษาไทย", "the Thai name"),
        "label_en" => t(l, "ชื่อภาษาอังกฤษ", "the English name"),
        "notice_method" => t(l, "วิธีส่งหนังสือแจ้งผล", "how the notice was delivered"),
        "notice_received_on" => t(
            l,
            "วันที่ผู้ยื่นได้รับหนังสือแจ้งผล",
            "the day the claimant received the notice",
        ),
        "notice_evidence" => t(l, "หลักฐานการรับ", "the evidence of receipt"),
        "province" => t(l, "จังหวัด", "the province"),
        "bank_code" => t(l, "ธนาคาร", "the bank"),
        "account_number" => t(l, "เลขที่บัญชี", "the account number"),
        "account_holder" => t(l, "ชื่อบัญชี", "the name on the account"),
        _ => t(l, "ข้อมูล", "this answer"),
    }
}

/// A complete, specific message for one failing field, in the given language.
pub fn error_message(l: Locale, e: &FieldError) -> String {
    let label = field_label(l, &e.field);
    match (&e.code, l) {
        (ErrorCode::Required, Locale::Th) if e.field == "confirm" => {
            "โปรดทำเครื่องหมายยืนยันก่อน การตัดสินนี้จะแจ้งผู้ยื่นทันที".to_string()
        }
        (ErrorCode::Required, Locale::En) if e.field == "confirm" => {
            "Tick the box to confirm: the claimant is told of this decision at once".to_string()
        }
        (ErrorCode::Required, Locale::Th) => match e.field.as_str() {
            "filer.relation" | "service_unit.province_code" | "intake.channel" | "uc_right" | "notice_method" => format!("โปรดเลือก{label}"),
            _ => format!("โปรดกรอก{label}"),
        },
        (ErrorCode::Required, Locale::En) => match e.field.as_str() {
            "filer.relation" | "service_unit.province_code" | "intake.channel" | "uc_right" | "notice_method" => format!("Select {label}"),
            _ => format!("Enter {label}"),
        },
        (ErrorCode::TooShort { min: n } | ErrorCode::TooLong { max: n }, Locale::Th) if e.field == "account_number" => {
            format!("เลขที่บัญชีของธนาคารนี้มี {n} หลัก โปรดตรวจสอบจากสมุดบัญชี")
        }
        (ErrorCode::TooShort { min: n } | ErrorCode::TooLong { max: n }, Locale::En) if e.field == "account_number" => {
            format!("Account numbers at this bank have {n} digits: check your bank book")
        }
        (ErrorCode::TooLong { max }, Locale::Th) => format!("{label} ต้องยาวไม่เกิน {max} ตัวอักษร"),
        (ErrorCode::TooLong { max }, Locale::En) => format!("{} must be {max} characters or fewer", capitalise(label)),
        (ErrorCode::TooShort { min }, Locale::Th) => format!("{label} ต้องยาวอย่างน้อย {min} ตัวอักษร"),
        (ErrorCode::TooShort { min }, Locale::En) => format!("{} must be at least {min} characters", capitalise(label)),
        (ErrorCode::InvalidChoice, Locale::Th) => format!("โปรดเลือก{label}จากรายการ"),
        (ErrorCode::InvalidChoice, Locale::En) => format!("Select {label} from the list"),
        (ErrorCode::NationalIdFormat, Locale::Th) => format!("{label} ต้องเป็นตัวเลข 13 หลัก"),
        (ErrorCode::NationalIdFormat, Locale::En) => format!("{} must be 13 digits", capitalise(label)),
        (ErrorCode::NationalIdChecksum, Locale::Th) => format!("{label} ไม่ถูกต้อง โปรดตรวจสอบอีกครั้ง (หลักสุดท้ายไม่ตรงกับเลขตรวจสอบ)"),
        (ErrorCode::NationalIdChecksum, Locale::En) => format!("{} is not a valid number – check it again (the last digit does not match)", capitalise(label)),
        (ErrorCode::DigitsOnly, Locale::Th) => format!("{label}ต้องเป็นตัวเลขเท่านั้น"),
        (ErrorCode::DigitsOnly, Locale::En) => format!("Enter {label} in digits only"),
        (ErrorCode::Phone, Locale::Th) => format!("{label} ต้องเป็นเบอร์โทรศัพท์ในประเทศไทย เช่น 081 234 5678"),
        (ErrorCode::Phone, Locale::En) => format!("Enter {label} as a Thai number, like 081 234 5678"),
        (ErrorCode::AlreadyExists, Locale::Th) => format!("มี{label}นี้อยู่แล้ว"),
        (ErrorCode::AlreadyExists, Locale::En) => format!("{} already exists", capitalise(label)),
        (ErrorCode::ControlCharacters, Locale::Th) => format!("{label} มีอักขระพิเศษที่มองไม่เห็น (อาจติดมาจากการคัดลอก) โปรดพิมพ์ใหม่"),
        (ErrorCode::ControlCharacters, Locale::En) => format!("{} contains invisible control characters (perhaps pasted from elsewhere); type it again", capitalise(label)),
        (ErrorCode::Email, Locale::Th) => format!("{label} ต้องอยู่ในรูปแบบ name@example.com"),
        (ErrorCode::Email, Locale::En) => format!("Enter {label} in the correct format, like name@example.com"),
        (ErrorCode::DateInvalid, Locale::Th) => format!("{label} ต้องเป็นวันที่ที่มีอยู่จริง (วัน เดือน ปี)"),
        (ErrorCode::DateInvalid, Locale::En) => format!("{} must be a real date (day, month, year)", capitalise(label)),
        (ErrorCode::YearNotFourDigits, Locale::Th) => format!("{label}: ปีต้องมี 4 หลัก เช่น 2568"),
        (ErrorCode::YearNotFourDigits, Locale::En) => format!("{}: the year must have 4 digits, for example 2568 or 2025", capitalise(label)),
        (ErrorCode::DateInFuture, Locale::Th) => format!("{label} ต้องไม่เป็นวันในอนาคต"),
        (ErrorCode::DateInFuture, Locale::En) => format!("{} must be today or in the past", capitalise(label)),
        (ErrorCode::TooLongAgo { days }, Locale::Th) => format!("{label} ต้องไม่เกิน {days} วันก่อนวันนี้ หากเกินนั้นให้ใช้วันที่รับจริงและบันทึกเหตุผลหากคำร้องเกินกำหนด"),
        (ErrorCode::TooLongAgo { days }, Locale::En) => format!("{} must be within the last {days} days. Otherwise use today's date and record a reason if the petition is late", capitalise(label)),
        (ErrorCode::TreatmentAfterDamageKnown, Locale::Th) => "วันที่รับการรักษาต้องไม่หลังวันที่ทราบความเสียหาย".to_string(),
        (ErrorCode::TreatmentAfterDamageKnown, Locale::En) => "The date of treatment must be on or before the date the harm became known".to_string(),
        (ErrorCode::OutOfWindow { last_day }, Locale::Th) => format!(
            "ต้องยื่นคำร้องภายใน 2 ปีนับแต่วันที่ทราบความเสียหาย วันสุดท้ายที่ยื่นได้คือ {} ซึ่งพ้นมาแล้ว หากมีเหตุจำเป็นโปรดติดต่อสายด่วน 1330",
            thai_long(*last_day)
        ),
        (ErrorCode::OutOfWindow { last_day }, Locale::En) => format!(
            "A petition must be filed within 2 years of the date the harm became known. The last day to file was {}, which has passed. If there is a special reason, call the 1330 hotline",
            english_long(*last_day)
        ),
        (ErrorCode::UnknownProvince, Locale::Th) => format!("โปรดเลือก{label}จากรายการ"),
        (ErrorCode::UnknownProvince, Locale::En) => format!("Select {label} from the list"),
        (ErrorCode::OutsideProvince { province }, l) => {
            let p = crate::domain::ProvinceCode::parse(&format!("{province:02}")).map(|p| p.province());
            match l {
                Locale::Th => format!(
                    "สำนักงานสาธารณสุขจังหวัดรับคำร้องได้เฉพาะหน่วยบริการในจังหวัด{} โปรดแนะนำผู้ร้องให้ยื่นที่ศูนย์สิทธิบัตรทอง สำนักงานเขต หรือโทร 1330",
                    p.map_or("", |p| p.name_th)
                ),
                Locale::En => format!(
                    "A provincial health office takes petitions only about service units in {}. Refer the person to a Gold Card Center, the regional office, or the 1330 hotline",
                    p.map_or("its province", |p| p.name_en)
                ),
            }
        }
        (ErrorCode::FileTooLarge { max_mb }, Locale::Th) => format!("ไฟล์ต้องมีขนาดไม่เกิน {max_mb} MB"),
        (ErrorCode::FileTooLarge { max_mb }, Locale::En) => format!("The file must be smaller than {max_mb} MB"),
        (ErrorCode::FileType, Locale::Th) => "ไฟล์ต้องเป็น PDF, JPG หรือ PNG".to_string(),
        (ErrorCode::FileType, Locale::En) => "The file must be a PDF, JPG or PNG".to_string(),
        (ErrorCode::TooManyFiles { max }, Locale::Th) => format!("แนบเอกสารได้ไม่เกิน {max} ไฟล์"),
        (ErrorCode::TooManyFiles { max }, Locale::En) => format!("You can attach up to {max} files"),
        (ErrorCode::PasswordsDiffer, Locale::Th) => "รหัสผ่านที่พิมพ์สองครั้งไม่ตรงกัน".to_string(),
        (ErrorCode::PasswordsDiffer, Locale::En) => "The two passwords are not the same".to_string(),
        (ErrorCode::ClientStorageFull { max_mb }, Locale::Th) => format!("แบบคำร้องที่ยังไม่ได้ส่งจากเครื่องนี้มีเอกสารรวมกันครบ {max_mb} MB แล้ว โปรดส่งคำร้องที่กรอกไว้ก่อน หรือติดต่อสายด่วน 1330"),
        (ErrorCode::ClientStorageFull { max_mb }, Locale::En) => format!("Forms not yet sent from this connection already hold {max_mb} MB of documents. Send the petition you started first, or call the 1330 hotline"),
        (ErrorCode::AmountOutOfRange { min, max }, Locale::Th) => format!("จำนวนเงินต้องอยู่ระหว่าง {min} ถึง {max} บาท ตามอัตราที่ใช้อยู่สำหรับประเภทนี้"),
        (ErrorCode::AmountOutOfRange { min, max }, Locale::En) => format!("The amount must be between {min} and {max} baht, the range in force for this category"),
        (ErrorCode::ChecklistIncomplete { missing }, Locale::Th) => format!("ยังส่งให้คณะอนุกรรมการไม่ได้: รายการตรวจสอบคำร้องยังไม่ครบ ({missing} รายการ) โปรดบันทึกรายการตรวจสอบก่อน"),
        (ErrorCode::ChecklistIncomplete { missing }, Locale::En) => format!("This cannot go to the committee yet: {missing} item(s) of the screening checklist are not ticked. Save the checklist first"),
        (ErrorCode::UcNotVerified, Locale::Th) => "ยังส่งให้คณะอนุกรรมการไม่ได้: ยังไม่ได้ยืนยันสิทธิหลักประกันสุขภาพแห่งชาติของผู้ได้รับความเสียหาย".to_string(),
        (ErrorCode::UcNotVerified, Locale::En) => "This cannot go to the committee yet: the injured person's Universal Coverage right has not been verified".to_string(),
        (ErrorCode::BeforeDecision { decided_on }, Locale::Th) => format!("{label} ต้องไม่ก่อนวันที่มีมติ ({})", thai_long(*decided_on)),
        (ErrorCode::AppealWindowClosed { last_day }, Locale::Th) => format!(
            "เลยกำหนดอุทธรณ์แล้ว วันสุดท้ายคือ {} (นับจากวันที่ท่านได้รับแจ้งผล) หากท่านไม่ได้รับแจ้งผลตามวันที่บันทึกไว้ โปรดโทร 1330",
            thai_long(*last_day)
        ),
        (ErrorCode::AppealWindowClosed { last_day }, Locale::En) => format!(
            "The time to appeal has passed: the last day was {} (counted from the day you received the decision). If you did not receive it on the day recorded, call 1330",
            english_long(*last_day)
        ),
        (ErrorCode::BeforeDecision { decided_on }, Locale::En) => format!("{} must be on or after the day of the decision ({})", capitalise(label), english_long(*decided_on)),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_window_message_names_the_last_day_in_each_calendar() {
        let e = FieldError::new(
            "damage_known_date",
            ErrorCode::OutOfWindow {
                last_day: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            },
        );
        assert!(error_message(Locale::Th, &e).contains("20 พฤศจิกายน 2569"));
        assert!(error_message(Locale::En, &e).contains("20 November 2026"));
    }

    #[test]
    fn messages_name_the_field() {
        let e = FieldError::new("patient.national_id", ErrorCode::Required);
        assert_eq!(
            error_message(Locale::En, &e),
            "Enter the injured person's national ID number"
        );
        assert_eq!(
            error_message(Locale::Th, &e),
            "โปรดกรอกเลขประจำตัวประชาชนของผู้ได้รับความเสียหาย"
        );
    }
}
