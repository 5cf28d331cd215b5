//! Staff queues and case pages: what a user may list and open, enforced in the query and
//! re-checked with the domain rule; every opening of personal data is audited.

use super::audit::{self, Entry};
use super::claims::status_view_with;
use super::entities::claim;
use super::error::{AppError, AppResult};
use super::listing::{item_for, unreceived};
use super::staff::visible_claims;
use crate::views::{CaseView, QueueItem, QueuePage, StaffIdentity};
use crate::domain::national_id::mask;
use crate::domain::ClaimStatus;
use sea_orm::sea_query::LikeExpr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
};

pub const PAGE_SIZE: u64 = 50;

/// What a queue is narrowed to besides the viewer's scope.
#[derive(Clone, Debug, Default)]
pub struct Filter<'a> {
    pub status: Option<&'a str>,
    pub q: Option<&'a str>,
    pub before: Option<&'a str>,
    /// `overdue`, `soon`, or `unreceived` (decided, no proof of receipt within the target).
    pub due: Option<&'a str>,
    /// Only cases being worked by this staff member.
    pub assigned_to: Option<&'a str>,
    /// One region (1–13), for people who see several.
    pub region: Option<&'a str>,
}

pub async fn page(
    db: &DatabaseConnection,
    me: &StaffIdentity,
    f: Filter<'_>,
) -> AppResult<QueuePage> {
    let (items, next) = listed(db, me, &f, PAGE_SIZE).await?;
    Ok(QueuePage {
        items,
        next,
        search: None,
        search_expired: false,
    })
}

/// The most rows one export holds; the queue page says so when there are more.
pub const EXPORT_MAX_ROWS: u64 = 10_000;

/// Every row the queue shows with these filters, page after page, up to `EXPORT_MAX_ROWS`;
/// and whether there were more.
pub async fn export_rows(
    db: &DatabaseConnection,
    me: &StaffIdentity,
    f: &Filter<'_>,
) -> AppResult<(Vec<QueueItem>, bool)> {
    let f = Filter { before: None, ..f.clone() };
    let (items, next) = listed(db, me, &f, EXPORT_MAX_ROWS).await?;
    Ok((items, next.is_some()))
}

/// Up to `limit` rows of the queue, newest first, and the cursor for more if there are.
async fn listed(
    db: &DatabaseConnection,
    me: &StaffIdentity,
    f: &Filter<'_>,
    limit: u64,
) -> AppResult<(Vec<QueueItem>, Option<String>)> {
    let grants = &me.grants[..];
    let (status, q, before) = (f.status, f.q, f.before);
    let mut cond = Condition::all()
        .add(visible_claims(grants))
        .add(super::staff::not_conflicted(&me.email));
    let today = super::calendar::today_in_bangkok();
    let targets = super::calendar::time_targets(db).await?;
    match f.due.filter(|d| !d.is_empty()) {
        Some("overdue") => cond = cond.add(claim::Column::DueOn.lt(today)),
        Some("soon") => {
            cond = cond.add(claim::Column::DueOn.between(
                today,
                today + chrono::Duration::days(crate::domain::deadlines::DUE_SOON_DAYS),
            ))
        }
        Some("unreceived") => cond = cond.add(unreceived(&targets, today)),
        Some(_) => return Err(AppError::BadRequest("unknown due filter".into())),
        None => {}
    }
    if let Some(r) = f.region.filter(|r| !r.is_empty()) {
        let r = super::listing::region_asked(r)?;
        cond = cond.add(claim::Column::Region.eq(i16::from(r.number())));
    }
    if let Some(email) = f.assigned_to {
        cond = cond.add(claim::Column::AssignedTo.eq(email));
    }
    if let Some(s) = status.filter(|s| !s.is_empty()) {
        let s =
            ClaimStatus::parse(s).ok_or_else(|| AppError::BadRequest("unknown status".into()))?;
        cond = cond.add(claim::Column::Status.eq(s.as_str()));
    }
    if let Some(q) = q.map(str::trim).filter(|q| !q.is_empty()) {
        let reference = crate::domain::reference::normalise_reference(q);
        let digits: String = q.chars().filter(|c| c.is_ascii_digit()).collect();
        cond = cond.add(
            if crate::domain::reference::looks_like_reference(&reference) {
                Condition::all().add(claim::Column::Reference.eq(reference))
            } else if digits.len() == 13
                && q.chars()
                    .all(|c| c.is_ascii_digit() || c == ' ' || c == '-')
            {
                Condition::all().add(claim::Column::PatientNationalId.eq(digits))
            } else {
                name_condition(db, q).await?
            },
        );
    }
    if let Some(older) = before.and_then(super::listing::older_than) {
        cond = cond.add(older);
    }
    let (rows, next) = super::listing::newest_first(db, cond, limit).await?;
    let items = rows
        .iter()
        .filter_map(|c| item_for(grants, &targets, c))
        .collect();
    Ok((items, next))
}

/// Names holding the typed text anywhere (Thai has no spaces between words); `%` and `_`
/// typed by the user are matched literally.
async fn name_condition(db: &DatabaseConnection, q: &str) -> AppResult<Condition> {
    let escaped: String = q
        .chars()
        .flat_map(|c| {
            if matches!(c, '%' | '_' | '\\') {
                vec!['\\', c]
            } else {
                vec![c]
            }
        })
        .collect();
    let like = Condition::all()
        .add(claim::Column::PatientName.like(LikeExpr::new(format!("%{escaped}%")).escape('\\')));
    // On SQLite, the FTS5 trigram index narrows a million names to the few that hold rare
    // text (three characters or more); LIKE still decides. Text that many names hold is
    // found faster by reading the newest claims until a page is full, so the index is
    // only used when it holds fewer than `FEW` matches.
    const FEW: i64 = 2000;
    if db.get_database_backend() != sea_orm::DbBackend::Sqlite || q.chars().count() < 3 {
        return Ok(like);
    }
    let phrase = format!("\"{}\"", q.replace('"', "\"\""));
    let counted = db
        .query_one_raw(sea_orm::Statement::from_sql_and_values(
            sea_orm::DbBackend::Sqlite,
            format!("SELECT count(*) AS n FROM (SELECT rowid FROM claims_name_fts WHERE claims_name_fts MATCH ? LIMIT {FEW})"),
            [phrase.clone().into()],
        ))
        .await?
        .map(|r| r.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(FEW);
    Ok(if counted < FEW {
        like.add(sea_orm::sea_query::Expr::cust_with_values("\"claims\".\"rowid\" IN (SELECT rowid FROM claims_name_fts WHERE claims_name_fts MATCH ?)", [phrase]))
    } else {
        like
    })
}

/// The case page's data, if `me` may see it. Refusals look like "not found" and are
/// audited too, so probing for other regions' cases leaves a trace.
pub async fn open_case(
    db: &DatabaseConnection,
    me: &StaffIdentity,
    reference: &str,
    show_account: bool,
    client: &str,
) -> AppResult<CaseView> {
    let actor = format!("user:{}", me.email);
    let reference = crate::domain::reference::normalise_reference(reference);
    let found = claim::Entity::find()
        .filter(claim::Column::Reference.eq(reference.clone()))
        .one(db)
        .await?;
    let allowed = match &found {
        Some(c) => super::staff::may_see(db, me, c).await?,
        None => false,
    };
    let Some(c) = found.filter(|_| allowed) else {
        audit::append(
            db,
            Entry {
                actor: &actor,
                action: "open_case_refused",
                claim_reference: Some(&reference),
                detail: "",
                client,
            },
        )
        .await?;
        return Err(AppError::NotFound);
    };
    audit::append(
        db,
        Entry {
            actor: &actor,
            action: "open_case",
            claim_reference: Some(&c.reference),
            detail: "personal data shown",
            client,
        },
    )
    .await?;
    let targets = super::calendar::time_targets(db).await?;
    let v = status_view_with(db, &c, &targets).await?;
    let consistency = if super::harm::decides(me) {
        super::harm::consistency(db, &c).await?
    } else {
        None
    };
    let harm_types = super::harm::list(db).await?;
    // The status view has the payment masked; the whole number only for the region's
    // officers who ask, and audited.
    let can_show_account = crate::domain::actions::can_pay(&me.grants, c.region);
    let mut payment = v.payment.clone();
    if let Some(a) = payment
        .as_mut()
        .and_then(|p| p.account.as_mut())
        .filter(|_| show_account && can_show_account)
    {
        a.full_number = super::payment_accounts::whole_number(db, c.id).await?;
        audit::append(
            db,
            Entry {
                actor: &actor,
                action: "bank_account_shown",
                claim_reference: Some(&c.reference),
                detail: "whole account number",
                client,
            },
        )
        .await?;
    }
    Ok(CaseView {
        can_give_account: crate::domain::actions::can_give_account(&me.grants, c.region)
            && payment.as_ref().is_some_and(|p| p.can_give),
        can_show_account,
        payment,
        reference: c.reference.clone(),
        status: v.status,
        region: v.region,
        province_code: c.province_code.clone(),
        relation: c.relation,
        filer_name: c.filer_name.clone(),
        filer_phone: c.filer_phone.clone(),
        patient_name: c.patient_name.clone(),
        patient_national_id: c.patient_national_id.clone(),
        patient_address: c.patient_address.clone(),
        patient_phone: c.patient_phone.clone(),
        patient_email: c.patient_email.clone(),
        service_unit_name: c.service_unit_name.clone(),
        treatment_date: c.treatment_date,
        damage_known_date: c.damage_known_date,
        filed_on: c.filed_on,
        filing_deadline: c.filing_deadline,
        damage_description: c.damage_description.clone(),
        burden: c.burden.clone(),
        channel: c.channel,
        history: v.history,
        // The status view already holds the documents and the decision: no second query.
        documents: v.documents,
        allowed_events: crate::domain::actions::allowed_events(&me.grants, c.region, v.status),
        decision: v.decision,
        internal_notes: super::claims::internal_notes(db, c.id).await?,
        can_reroute: crate::domain::actions::can_reroute(&me.grants, c.region, v.status),
        works_on: crate::domain::actions::works_on(&me.grants, super::listing::case_of(&c)),
        received_on: c.received_on.unwrap_or(c.filed_on),
        window_override_reason: c.window_override_reason.clone(),
        filed_by: c.filed_by.clone(),
        due_on: c.due_on,
        assigned_to: c.assigned_to.clone(),
        checklist: c
            .screening_checklist
            .as_deref()
            .and_then(|j| serde_json::from_str(j).ok()),
        can_screen: super::actions::screens(me, &c),
        meeting_on: super::meetings::meeting_date(db, c.meeting_id).await?,
        agenda_options: super::meetings::options_for(db, me, &c).await?,
        decided_on: c.decided_on,
        notified: v.notified,
        appeal_by: v.appeal_by,
        receipt_by: crate::domain::notice::receipt_expected_by(
            &targets,
            v.status,
            c.decided_on,
            c.notified_on.is_some(),
        ),
        can_record_notice: crate::domain::actions::can_record_notice(&me.grants, c.region, v.status)
            && c.notified_on.is_none(),
        harm_type: c.harm_type.clone(),
        harm_types,
        consistency,
        letters: v.letters.clone(),
        // Set by the caller, which holds the settings.
        rights_service: false,
        rights_checks: super::rights::history(db, c.id).await?,
    })
}

/// How long a search's link works (its results, and the pages after them).
pub const SEARCH_MINUTES: i64 = 30;

/// What a search is sent as in the queue's address (`s=`): the words searched for, sealed
/// for the searcher alone with the time it stops working. A name or national ID typed into
/// the search box so never appears in an address, a browser's history or a proxy's log.
pub fn search_token(keys: &super::secrets::Keys, email: &str, q: &str, now: i64) -> String {
    keys.seal_as(
        "staff-search",
        &format!("{}\n{q}", now + SEARCH_MINUTES * 60),
        email,
    )
}

/// The words a search token holds, if it was made for this person and has not run out.
pub fn search_of(keys: &super::secrets::Keys, email: &str, token: &str, now: i64) -> Option<String> {
    let plain = keys.unseal_as("staff-search", token, email)?;
    let (until, q) = plain.split_once('\n')?;
    (until.parse::<i64>().ok()? >= now).then(|| q.to_string())
}

/// How a search is written to the audit log: what kind of search, never the name or ID.
pub fn search_summary(q: &str) -> String {
    let q = q.trim();
    let reference = crate::domain::reference::normalise_reference(q);
    let digits: String = q.chars().filter(|c| c.is_ascii_digit()).collect();
    if crate::domain::reference::looks_like_reference(&reference) {
        format!("reference {reference}")
    } else if digits.len() == 13 {
        format!("national ID {}", mask(&digits))
    } else {
        format!("name ({} characters)", q.chars().count())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_token_opens_for_its_searcher_until_it_runs_out() {
        let keys = crate::backend::secrets::Keys::new("a test key of at least thirty-two characters", &[]);
        let token = search_token(&keys, "a@nhso.test", "1101700230708", 1_000);
        assert!(!token.contains("1101700230708"));
        assert_eq!(
            search_of(&keys, "a@nhso.test", &token, 1_000 + SEARCH_MINUTES * 60).as_deref(),
            Some("1101700230708")
        );
        assert_eq!(search_of(&keys, "a@nhso.test", &token, 1_001 + SEARCH_MINUTES * 60), None);
        assert_eq!(search_of(&keys, "b@nhso.test", &token, 1_000), None);
        // Sealed for a search, it is no idempotent answer, and the other way round.
        assert_eq!(keys.unseal(&token, "a@nhso.test"), None);
        let answer = keys.seal("ABCD-EFGH", "a@nhso.test");
        assert_eq!(search_of(&keys, "a@nhso.test", &answer, 0), None);
    }
}
