//! Official letters as PDF (issue "Letters, reports and open statistics"): the receipt of a
//! petition, the request for information, the decision notice, the appeal decision and the
//! payment notice, on the deciding office's letterhead, Thai first (English on request),
//! dates in the Buddhist era, amounts with separators and, in Thai, in words.

mod pdf;

use super::calendar::time_targets;
use super::claims::status_view_with;
use super::entities::claim;
use super::error::{AppError, AppResult};
use crate::domain::money::{baht_in_thai_words, with_separators};
use crate::domain::policy::{target_in_force, Category, Clock};
use crate::domain::ClaimStatus;
use crate::i18n::{t, Locale};
use pdf::Block;
use sea_orm::DatabaseConnection;

pub use crate::views::LetterKind as Kind;

fn amount(l: Locale, baht: i64) -> String {
    match l {
        Locale::Th => format!("{} บาท ({})", with_separators(baht), baht_in_thai_words(baht.unsigned_abs())),
        Locale::En => format!("{} baht", with_separators(baht)),
    }
}

fn category(l: Locale, c: Option<Category>) -> String {
    format!(
        "{} {}{}",
        t(l, "ประเภทที่", "category"),
        c.map_or(0, Category::number),
        c.map(|c| format!(" ({})", if l == Locale::Th { c.label_th() } else { c.label_en() }))
            .unwrap_or_default()
    )
}

/// The letter `kind` for claim `c`, if the claim has reached it (`NotFound` otherwise).
pub async fn letter(
    db: &DatabaseConnection,
    c: &claim::Model,
    kind: Kind,
    l: Locale,
    public_url: &str,
) -> AppResult<Vec<u8>> {
    let targets = time_targets(db).await?;
    let v = status_view_with(db, c, &targets).await?;
    if !v.letters.contains(&kind) {
        return Err(AppError::NotFound);
    }
    let note_of = |status: ClaimStatus| {
        v.history
            .iter()
            .rev()
            .find(|h| h.status == status && h.document.is_none())
            .and_then(|h| h.note.clone())
    };
    let office = c.region.office();
    let office_name = if l == Locale::Th { office.name_th } else { office.name_en };
    let today = super::calendar::today_in_bangkok();
    let addressee = c.filer_name.clone().unwrap_or_else(|| c.patient_name.clone());
    let mut b = vec![Block::Heading(office_name.to_string(), 18.0)];
    if let Some(a) = office.address_th {
        b.push(Block::Right(a.to_string()));
    }
    b.push(Block::Right(format!("{} {}", t(l, "โทร.", "Tel."), office.phone.unwrap_or("1330"))));
    b.push(Block::Space(10.0));
    b.push(Block::Labelled(t(l, "ที่", "Ref.").into(), format!("{} {}", t(l, "คำร้องเลขที่", "Claim"), c.reference)));
    b.push(Block::Right(l.date(today)));
    b.push(Block::Space(6.0));
    b.push(Block::Labelled(t(l, "เรื่อง", "Subject").into(), kind.title(l).into()));
    b.push(Block::Labelled(t(l, "เรียน", "To").into(), addressee));
    b.push(Block::Space(8.0));
    let fact = |label: &str, value: String| Block::Labelled(format!("{label}:"), value);
    let received = c.received_on.unwrap_or(c.filed_on);
    // What a decision (the committee's, or the board's on appeal) decided, in one phrase.
    let outcome = || {
        if c.decision_amount.is_some_and(|a| a > 0) {
            format!(
                "{}{}{}{}",
                t(l, "มีมติให้จ่ายเงินช่วยเหลือเบื้องต้น ", "it pays preliminary assistance, "),
                category(l, c.decision_category.and_then(Category::from_stored)),
                t(l, " เป็นจำนวนเงิน ", ", of "),
                amount(l, c.decision_amount.unwrap_or(0))
            )
        } else {
            t(l, "มีมติไม่จ่ายเงินช่วยเหลือเบื้องต้น", "it does not pay preliminary assistance.").to_string()
        }
    };
    let appeal_days = target_in_force(&targets, Clock::AppealWindow, today).map_or(30, |t| t.days);
    match kind {
        Kind::Receipt => {
            b.push(Block::Paragraph(format!(
                "{office_name} {}",
                t(l, "ได้รับคำร้องขอรับเงินช่วยเหลือเบื้องต้นของท่าน ตามมาตรา 41 แห่งพระราชบัญญัติหลักประกันสุขภาพแห่งชาติ พ.ศ. 2545 แล้ว รายละเอียดดังนี้",
                    "has received your petition for preliminary assistance under Section 41 of the National Health Security Act B.E. 2545 (2002), as follows.")
            )));
            b.push(fact(t(l, "เลขที่คำร้อง", "Reference"), c.reference.clone()));
            b.push(fact(t(l, "วันที่ได้รับคำร้อง", "Received on"), l.date(received)));
            b.push(fact(t(l, "ผู้ได้รับความเสียหาย", "Person harmed"), c.patient_name.clone()));
            b.push(fact(t(l, "หน่วยบริการ", "Service unit"), c.service_unit_name.clone()));
            b.push(fact(t(l, "ผู้พิจารณา", "Decided by"), format!("{} ({}{})", office_name, t(l, "เขต ", "region "), c.region.number())));
            b.push(fact(t(l, "วันที่ทราบความเสียหาย", "Harm known on"), l.date(c.damage_known_date)));
            // How the window's last day was found: two years from the day the harm became
            // known; a last day on a weekend or holiday moves to the next working day.
            let plain = crate::domain::window::same_date_years_later(c.damage_known_date, 2);
            let moved = plain != c.filing_deadline;
            b.push(fact(
                t(l, "ยื่นได้ถึงวันที่", "Window ends"),
                format!(
                    "{}{}",
                    l.date(c.filing_deadline),
                    if moved {
                        format!("{}{}{}", t(l, " (ครบ 2 ปีในวันที่ ", " (two years ran to "), l.date(plain), t(l, " ซึ่งเป็นวันหยุดราชการ จึงเลื่อนเป็นวันทำการถัดไป)", ", not a working day, so the next working day counts)"))
                    } else {
                        t(l, " (ครบ 2 ปีนับแต่วันที่ทราบความเสียหาย)", " (two years from the day the harm became known)").to_string()
                    }
                ),
            ));
            if let Some(reason) = &c.window_override_reason {
                b.push(fact(t(l, "รับไว้พิจารณาแม้เกินกำหนด เพราะ", "Accepted past the window because"), reason.clone()));
            }
            b.push(Block::Space(6.0));
            b.push(Block::Paragraph(format!(
                "{}{}{}",
                t(l, "เจ้าหน้าที่จะตรวจสอบคำร้องและเอกสาร แล้วเสนอคณะอนุกรรมการพิจารณาวินิจฉัย ซึ่งคาดว่าจะแจ้งผลได้ภายในวันที่ ", "Staff will check the petition and documents, and the committee will decide; we expect to tell you the decision by "),
                c.due_on.map_or_else(|| t(l, "ที่จะแจ้งให้ทราบ", "a date we will tell you").to_string(), |d| l.date(d)),
                t(l, " หากต้องการข้อมูลเพิ่มเติม เจ้าหน้าที่จะติดต่อท่าน", ". If we need anything more, we will contact you.")
            )));
            b.push(Block::Paragraph(format!(
                "{}{public_url}/check{}",
                t(l, "ท่านตรวจสอบสถานะคำร้องได้ที่ ", "You can follow your claim at "),
                t(l, " โดยใช้เลขที่คำร้องและรหัสเข้าถึงที่ได้รับเมื่อยื่นคำร้อง หรือสอบถามสายด่วน 1330", " with the reference and the access code you were given when you filed, or by calling 1330.")
            )));
        }
        Kind::InfoRequest => {
            b.push(Block::Paragraph(format!(
                "{}{}{}",
                t(l, "ตามที่ท่านได้ยื่นคำร้องเลขที่ ", "About your petition "),
                c.reference,
                t(l, " เพื่อให้การพิจารณาเป็นไปโดยครบถ้วน ขอให้ท่านส่งข้อมูลหรือเอกสารต่อไปนี้", ": so that it can be decided, please send us the following.")
            )));
            b.push(Block::Paragraph(note_of(ClaimStatus::InfoRequested).unwrap_or_default()));
            b.push(Block::Paragraph(format!(
                "{}{public_url}/check{}",
                t(l, "ส่งได้ทางหน้าติดตามสถานะคำร้อง ", "You can send them from your claim's page at "),
                t(l, " หรือที่สำนักงานข้างต้น ระหว่างรอข้อมูล ระยะเวลาพิจารณาจะหยุดนับไว้", " or to the office above. While we wait, the time for the decision stops counting.")
            )));
        }
        Kind::Decision => {
            b.push(Block::Paragraph(format!(
                "{}{}{}{}",
                t(l, "คณะอนุกรรมการพิจารณาวินิจฉัยคำร้องได้พิจารณาคำร้องของท่านแล้ว เมื่อวันที่ ", "The committee decided your petition on "),
                c.decided_on.map_or_else(String::new, |d| l.date(d)),
                t(l, " ", ": "),
                outcome()
            )));
            if let Some(reason) = note_of(ClaimStatus::Approved).or_else(|| note_of(ClaimStatus::Rejected)) {
                b.push(fact(t(l, "เหตุผล", "Reasons"), reason));
            }
            b.push(Block::Paragraph(format!(
                "{}{appeal_days}{}{office_name}{}",
                t(l, "หากท่านไม่เห็นด้วยกับคำวินิจฉัยนี้ ท่านมีสิทธิอุทธรณ์ต่อคณะกรรมการควบคุมคุณภาพและมาตรฐานบริการสาธารณสุข ภายใน ", "If you disagree, you may appeal to the Public Health Service Quality and Standards Control Board within "),
                t(l, " วันนับแต่วันที่ได้รับหนังสือฉบับนี้ โดยยื่นอุทธรณ์ที่ ", " days of receiving this letter, through "),
                t(l, " หรือทางหน้าติดตามสถานะคำร้อง", " or from your claim's page.")
            )));
        }
        Kind::AppealDecision => {
            b.push(Block::Paragraph(format!(
                "{}{}",
                t(l, "คณะกรรมการควบคุมคุณภาพและมาตรฐานบริการสาธารณสุขได้พิจารณาอุทธรณ์ของท่านแล้ว ", "The Board has decided your appeal: "),
                outcome()
            )));
            if let Some(reason) = note_of(ClaimStatus::AppealDecided) {
                b.push(fact(t(l, "เหตุผล", "Reasons"), reason));
            }
            b.push(Block::Paragraph(t(l, "คำวินิจฉัยของคณะกรรมการเป็นที่สุด", "The Board's decision is final.").into()));
        }
        Kind::Payment => {
            b.push(Block::Paragraph(format!(
                "{}{}",
                t(l, "สำนักงานได้จ่ายเงินช่วยเหลือเบื้องต้นตามคำวินิจฉัยให้แก่ท่านแล้ว ", "We have paid you the preliminary assistance decided: "),
                t(l, "รายละเอียดดังนี้", "the details are below.")
            )));
            b.push(fact(t(l, "วันที่จ่าย", "Paid on"), c.paid_on.map_or_else(String::new, |d| l.date(d))));
            b.push(fact(t(l, "จำนวนเงิน", "Amount"), amount(l, c.paid_amount.unwrap_or(0))));
            if let Some(r) = &c.payment_reference {
                b.push(fact(t(l, "เลขที่อ้างอิงการโอน", "Transfer reference"), r.clone()));
            }
        }
    }
    b.push(Block::Space(24.0));
    b.push(Block::Right(t(l, "ขอแสดงความนับถือ", "Yours faithfully").into()));
    b.push(Block::Space(30.0));
    b.push(Block::Right(format!("({office_name})")));
    b.push(Block::Space(24.0));
    b.push(Block::Line(format!("{} 1330 · {public_url}/check", t(l, "สายด่วน สปสช.", "NHSO hotline"))));
    Ok(pdf::render(kind.title(l), &b))
}

/// The file name a letter is saved as.
pub fn file_name(c: &claim::Model, kind: Kind) -> String {
    format!("section41-{}-{}.pdf", c.reference, kind.key())
}

/// A letter for staff who may see the claim; audited (a refusal too, and it looks like "not
/// found").
pub async fn for_staff(
    db: &DatabaseConnection,
    me: &crate::views::StaffIdentity,
    reference: &str,
    kind: Kind,
    l: Locale,
    public_url: &str,
    client: &str,
) -> AppResult<(String, Vec<u8>)> {
    let actor = format!("user:{}", me.email);
    let reference = crate::domain::reference::normalise_reference(reference);
    let found = super::claims::find_by_reference(db, &reference).await?;
    let c = match found {
        Some(c) if super::staff::may_see(db, me, &c).await? => c,
        _ => {
            super::audit::refused(db, &actor, Some(&reference), &format!("letter {}", kind.key()), client).await?;
            return Err(AppError::NotFound);
        }
    };
    let bytes = letter(db, &c, kind, l, public_url).await?;
    super::audit::append(
        db,
        super::audit::Entry {
            actor: &actor,
            action: "letter_downloaded",
            claim_reference: Some(&c.reference),
            detail: kind.key(),
            client,
        },
    )
    .await?;
    Ok((file_name(&c, kind), bytes))
}

/// A letter for the claimant whose session (or filing browser) opens claim `c`; audited.
pub async fn for_claimant(
    db: &DatabaseConnection,
    c: &claim::Model,
    kind: Kind,
    l: Locale,
    public_url: &str,
    client: &str,
) -> AppResult<(String, Vec<u8>)> {
    let bytes = letter(db, c, kind, l, public_url).await?;
    super::audit::append(
        db,
        super::audit::Entry {
            actor: "claimant",
            action: "letter_downloaded",
            claim_reference: Some(&c.reference),
            detail: kind.key(),
            client,
        },
    )
    .await?;
    Ok((file_name(c, kind), bytes))
}
