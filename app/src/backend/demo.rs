//! A demo data set for trying the service: claims across every region and state, made up
//! (names, IDs with valid check digits, hospitals), and one account per role. Loaded only
//! when asked (`section41 demo`, `scripts/run.sh --demo`), and refused where the
//! configuration looks like production (an https address, or real mail).

use super::calendar::{holidays_for_filing, time_targets, today_in_bangkok};
use super::claims::{file_claim, record_event, Channel, Filing, NewEvent};
use super::entities::{claim, user};
use super::error::{AppError, AppResult};
use crate::domain::access::{Grant, Role};
use crate::domain::deadlines::{after_move, on_filing};
use crate::domain::petition::{validate, RawFiler, RawPatient, RawPetition, RawServiceUnit};
use crate::domain::{ClaimStatus, Region};
use chrono::Duration;
use sea_orm::prelude::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

/// Every demo account has this password. It is printed; demo data is never real.
pub const PASSWORD: &str = "section41-demo";
/// Marks demo claims (in `filed_by`) so a second load adds nothing.
const MARK: &str = "demo-loader";

/// (email, display name, grant) of the demo accounts: one per role; region-bound ones in
/// region 13 (Bangkok), where a share of the demo claims are; the provincial office is
/// Chiang Mai's.
pub fn accounts() -> Vec<(&'static str, &'static str, Grant)> {
    let r13 = Region::new(13);
    vec![
        (
            "intake@demo.invalid",
            "เจ้าหน้าที่รับเรื่อง (สายด่วน 1330)",
            Grant::new(Role::Intake, None).expect("national intake"),
        ),
        (
            "officer13@demo.invalid",
            "เจ้าหน้าที่ สปสช. เขต 13",
            Grant::new(Role::RegionalOfficer, r13).expect("region"),
        ),
        (
            "reviewer13@demo.invalid",
            "อนุกรรมการ เขต 13",
            Grant::new(Role::Reviewer, r13).expect("region"),
        ),
        (
            "board@demo.invalid",
            "คณะกรรมการอุทธรณ์",
            Grant::new(Role::AppealBoard, None).expect("national"),
        ),
        (
            "admin@demo.invalid",
            "ผู้ดูแลระบบ",
            Grant::new(Role::Admin, None).expect("national"),
        ),
        (
            "pho50@demo.invalid",
            "สำนักงานสาธารณสุขจังหวัดเชียงใหม่",
            Grant::provincial(crate::domain::ProvinceCode::parse("50").expect("Chiang Mai")),
        ),
    ]
}

/// Why demo data may not be loaded here, if it may not.
pub fn refusal(public_url: &str, real_mail: bool) -> Option<&'static str> {
    if public_url.starts_with("https://") {
        Some("PUBLIC_URL is https: this looks like production, so no demo data is loaded")
    } else if real_mail {
        Some("SMTP_URL is set: demo data would send real mail, so none is loaded")
    } else {
        None
    }
}

/// A small deterministic generator: the same demo every time.
struct Seq(u64);
impl Seq {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

fn national_id(seq: &mut Seq) -> String {
    let mut d: Vec<u32> = vec![1 + seq.next(8) as u32];
    d.extend((0..11).map(|_| seq.next(10) as u32));
    let check = crate::domain::national_id::check_digit(&d);
    d.push(check);
    d.into_iter()
        .map(|x| char::from_digit(x, 10).expect("digit"))
        .collect()
}

const FIRST: [&str; 12] = [
    "สมชาย",
    "สมหญิง",
    "ประเสริฐ",
    "วิไล",
    "อนันต์",
    "มาลี",
    "สุริยา",
    "จันทร์เพ็ญ",
    "ธนากร",
    "พรทิพย์",
    "บุญมี",
    "กาญจนา",
];
const LAST: [&str; 10] = [
    "ใจดี",
    "รักไทย",
    "ศรีสุข",
    "มั่นคง",
    "วงศ์ทอง",
    "แก้วประเสริฐ",
    "บุญเรือง",
    "สายทอง",
    "พงษ์ไพบูลย์",
    "ทองดี",
];
/// What happened, and the harm type screening records for it.
const HARM: [(&str, &str); 5] = [
    ("แพ้ยาอย่างรุนแรงหลังได้รับยาฉีด ต้องนอนโรงพยาบาล", "medication"),
    ("ติดเชื้อที่แผลผ่าตัด ต้องผ่าตัดซ้ำ", "infection"),
    ("ทารกขาดออกซิเจนระหว่างคลอด", "childbirth"),
    ("เส้นประสาทบาดเจ็บหลังผ่าตัด แขนอ่อนแรง", "surgery"),
    ("ได้รับยาผิดขนาด เกิดภาวะไตวาย", "medication"),
];

/// Loads `count` demo claims and the demo accounts, unless demo claims are there already.
/// Returns how many claims were added.
pub async fn load(
    db: &DatabaseConnection,
    settings: &super::Settings,
    count: usize,
) -> AppResult<usize> {
    // Only into a database that holds nothing real: no one else's account, no real claim.
    let demo_emails: Vec<&str> = accounts().iter().map(|a| a.0).collect();
    let real_users = user::Entity::find()
        .filter(user::Column::Email.is_not_in(demo_emails))
        .count(db)
        .await?;
    let real_claims = claim::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(claim::Column::FiledBy.is_null())
                .add(claim::Column::FiledBy.ne(MARK)),
        )
        .count(db)
        .await?;
    if real_users > 0 || real_claims > 0 {
        return Err(AppError::BadRequest("this database holds real accounts or claims: demo data is only loaded into an empty one".into()));
    }
    for (email, name, grant) in accounts() {
        if user::Entity::find()
            .filter(user::Column::Email.eq(email))
            .count(db)
            .await?
            == 0
        {
            super::staff::create_user(db, email, name, PASSWORD, &[grant]).await?;
        }
    }
    if claim::Entity::find()
        .filter(claim::Column::FiledBy.eq(MARK))
        .count(db)
        .await?
        > 0
    {
        return Ok(0);
    }
    let today = today_in_bangkok();
    let holidays = holidays_for_filing(db, today).await?;
    let targets = time_targets(db).await?;
    let provinces = crate::domain::region::all_provinces();
    let mut seq = Seq(41);
    for i in 0..count {
        // Every region, and Bangkok (region 13) more often so its demo accounts have work.
        let province = if i % 4 == 0 {
            provinces.iter().find(|p| p.code == 10).expect("Bangkok")
        } else {
            &provinces[seq.next(provinces.len())]
        };
        let known = today - Duration::days(5 + seq.next(300) as i64);
        let harm = seq.next(HARM.len());
        let raw = RawPetition {
            filer: RawFiler {
                relation: "self".into(),
                ..Default::default()
            },
            patient: RawPatient {
                name: format!(
                    "{} {}",
                    FIRST[seq.next(FIRST.len())],
                    LAST[seq.next(LAST.len())]
                ),
                national_id: national_id(&mut seq),
                address: format!(
                    "{} หมู่ {} จ.{}",
                    1 + seq.next(200),
                    1 + seq.next(12),
                    province.name_th
                ),
                phone: format!("08{}", 10_000_000 + seq.next(89_999_999)),
                email: String::new(),
            },
            service_unit: RawServiceUnit {
                name: format!("โรงพยาบาล{}", province.name_th),
                province_code: format!("{:02}", province.code),
            },
            treatment_date: (known - Duration::days(seq.next(10) as i64)).to_string(),
            damage_known_date: known.to_string(),
            damage_description: HARM[harm].0.into(),
            burden: "ค่ารักษาต่อเนื่อง และขาดรายได้".into(),
        };
        let petition = validate(&raw, today, &holidays)
            .map_err(|e| AppError::internal(format!("demo petition invalid: {e:?}")))?;
        let filed_on = known + Duration::days(1 + seq.next(4) as i64);
        let filing = Filing {
            petition: &petition,
            channel: if i % 3 == 0 {
                Channel::Api
            } else {
                Channel::Web
            },
            lang: crate::i18n::Locale::Th,
            filed_on,
            draft_id: None,
            idempotency: None,
            assisted: None,
            client: "demo",
            limit: None,
            unit_key: None,
        };
        let filed = file_claim(db, settings, filing).await?;
        // Move it to a state: every state appears; amounts inside category 3's range.
        let status = ClaimStatus::ALL[i % ClaimStatus::ALL.len()];
        let decided = matches!(
            status,
            ClaimStatus::Approved
                | ClaimStatus::Appealed
                | ClaimStatus::AppealDecided
                | ClaimStatus::PaymentOrdered
                | ClaimStatus::Paid
                | ClaimStatus::Closed
        );
        // Mostly continued treatment; some organ losses and deaths, amounts in their ranges.
        let (category, amount) = match seq.next(10) {
            0 => (1i16, 240_000 + 10_000 * seq.next(17) as i64),
            1 | 2 => (2, 100_000 + 10_000 * seq.next(15) as i64),
            _ => (3, 20_000 + 5_000 * seq.next(16) as i64),
        };
        let amount = decided.then_some(amount);
        let moved_on = (filed_on + Duration::days(seq.next(40) as i64)).min(today);
        let notified = status.open_to_appeal() && i % 2 == 0;
        // Referred to the committee on the way here (half the rejections were declined by it;
        // the others were turned down at screening and never reached it).
        let referred = decided
            || matches!(status, ClaimStatus::Referred | ClaimStatus::UnderReview)
            || (status == ClaimStatus::Rejected && i % 4 == 2);
        let clocks = after_move(
            &targets,
            on_filing(&targets, filed_on),
            status,
            moved_on,
            amount.is_some(),
        );
        let id = claim::Entity::find()
            .filter(claim::Column::Reference.eq(filed.reference.clone()))
            .one(db)
            .await?
            .ok_or_else(|| AppError::internal("demo claim vanished"))?
            .id;
        claim::Entity::update_many()
            .col_expr(claim::Column::Status, Expr::value(status.as_str()))
            .col_expr(claim::Column::FiledBy, Expr::value(Some(MARK)))
            .col_expr(
                claim::Column::DecisionCategory,
                Expr::value(amount.map(|_| category)),
            )
            .col_expr(claim::Column::DecisionAmount, Expr::value(amount))
            .col_expr(
                claim::Column::DecidedOn,
                Expr::value(
                    (amount.is_some() || status == ClaimStatus::Rejected).then_some(moved_on),
                ),
            )
            // Half the open decisions have a return receipt; the rest wait for the claimant.
            .col_expr(
                claim::Column::NotifiedOn,
                Expr::value(notified.then(|| (moved_on + Duration::days(3)).min(today))),
            )
            .col_expr(
                claim::Column::NotifiedHow,
                Expr::value(notified.then_some("registered_mail")),
            )
            .col_expr(
                claim::Column::PaidOn,
                Expr::value((status == ClaimStatus::Paid).then_some(moved_on)),
            )
            .col_expr(
                claim::Column::PaidAmount,
                Expr::value(amount.filter(|_| status == ClaimStatus::Paid)),
            )
            .col_expr(claim::Column::DueOn, Expr::value(clocks.due_on))
            // Screening has recorded the harm type once past the first step.
            .col_expr(
                claim::Column::HarmType,
                Expr::value((status != ClaimStatus::Submitted).then_some(HARM[harm].1)),
            )
            .col_expr(claim::Column::PausedOn, Expr::value(clocks.paused_on))
            .col_expr(
                claim::Column::ReferredAt,
                Expr::value(referred.then(chrono::Utc::now)),
            )
            .filter(claim::Column::Id.eq(id))
            .exec(db)
            .await?;
        if status != ClaimStatus::Submitted {
            record_event(
                db,
                NewEvent {
                    claim_id: id,
                    status: Some(status),
                    event: Some("demo".into()),
                    actor: "system".into(),
                    public_note: None,
                    ..Default::default()
                },
            )
            .await?;
        }
    }
    // The public statistics show the demo at once, not within the hour.
    super::stats::refresh(db).await?;
    Ok(count)
}
