//! Payment transfers (issue 13, part 4): the claimant (or staff, from the petition) gives the
//! bank account after an approval, checked and shown masked; a regional officer makes a
//! batch of the ordered payments with an account (a case in one open batch at most), hands
//! its CSV to the bank and takes the bank's result file back in: a paid line makes the claim
//! paid with its day, a failed one leaves it "payment ordered" for a new account; a bad file
//! changes nothing, and the same file twice changes nothing.

use crate::actions::{act, status_of};
use crate::common::{csrf_of, set_path, spawn_app, valid_petition, Backend, TestApp};
use crate::on_both;
use crate::staff::staff_client;
use app::backend::entities::{audit_entry, claim, payment_account};
use app::domain::access::{Grant, Role};
use app::domain::{ClaimStatus, Region};
use sea_orm::prelude::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{json, Value};

on_both!(
    payments_go_to_the_bank_in_batches_and_its_results_come_back,
    two_result_files_at_once_record_a_payment_once,
    an_account_kept_plain_before_sealing_is_sealed_at_start
);

/// Every account number kept, in the accounts and in the batches' lines, is sealed: none
/// holds these digits.
async fn assert_all_sealed(app: &TestApp, numbers: &[&str]) {
    let kept: Vec<String> = payment_account::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.account_number)
        .chain(
            app::backend::entities::payment_line::Entity::find()
                .all(&app.db)
                .await
                .unwrap()
                .into_iter()
                .map(|l| l.account_number),
        )
        .collect();
    assert!(!kept.is_empty());
    for k in kept {
        assert!(app::backend::secrets::is_sealed(&k), "{k}");
        assert!(numbers.iter().all(|n| !k.contains(n)), "{k}");
    }
}

/// A number kept before numbers were sealed (as the release before this kept it) is sealed
/// when a server next starts on the database, and still shows and pays as before.
async fn an_account_kept_plain_before_sealing_is_sealed_at_start(b: Backend) {
    use sea_orm::ActiveValue::Set;
    let fresh = crate::common::fresh_database(b).await;
    let before = crate::common::spawn_on(&fresh, &[]).await;
    let (a, code) = approved(&before, "นางเก่า บัญชีเดิม", 150_000).await;
    let id = claim::Entity::find()
        .filter(claim::Column::Reference.eq(a.as_str()))
        .one(&before.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    payment_account::Entity::insert(payment_account::ActiveModel {
        claim_id: Set(id),
        bank_code: Set("006".into()),
        account_number: Set("1234567890".into()),
        account_holder: Set("นางเก่า บัญชีเดิม".into()),
        given_by: Set("claimant".into()),
        given_at: Set(chrono::Utc::now()),
    })
    .exec_without_returning(&before.db)
    .await
    .unwrap();
    let app = crate::common::spawn_on(&fresh, &[]).await;
    assert_all_sealed(&app, &["1234567890"]).await;
    let claimant = app.claimant(&a, &code).await;
    let page = app.page(&claimant, &format!("/claim/{a}")).await;
    assert!(page.contains("••••••7890"), "shown masked as before");
    assert_eq!(
        app::backend::payment_accounts::whole_number(&app.db, id).await.unwrap().as_deref(),
        Some("1234567890"),
        "and opens whole for the officers"
    );
    assert_eq!(app::backend::payment_accounts::seal_kept(&app.db).await.unwrap(), 0, "sealed once");
    // A number written into the database by hand, once numbers are sealed, is not believed:
    // the page asks for the account again, and the whole number is not given out.
    payment_account::Entity::update_many()
        .col_expr(payment_account::Column::AccountNumber, Expr::value("9999999999"))
        .filter(payment_account::Column::ClaimId.eq(id))
        .exec(&app.db)
        .await
        .unwrap();
    let page = app.page(&claimant, &format!("/claim/{a}")).await;
    assert!(!page.contains("9999") && page.contains("name=\"account_number\""), "asked again");
    assert!(app::backend::payment_accounts::whole_number(&app.db, id).await.is_err());
    drop(before);
    app.cleanup().await;
    fresh.remove().await;
}

fn g(role: Role, region: u8) -> Grant {
    Grant::new(role, Region::new(region)).unwrap()
}

/// A claim in region 1 approved for `amount` baht (the decision itself is tested elsewhere):
/// its reference and access code.
async fn approved(app: &TestApp, name: &str, amount: i64) -> (String, String) {
    let mut body = valid_petition();
    set_path(&mut body, "patient.name", json!(name));
    set_path(&mut body, "patient.email", json!("claimant@example.org"));
    let v: Value = app.post_claim(&body).await.json().await.unwrap();
    let reference = v["reference"].as_str().unwrap().to_string();
    claim::Entity::update_many()
        .col_expr(claim::Column::Status, Expr::value(ClaimStatus::Approved.as_str()))
        .col_expr(claim::Column::DecisionCategory, Expr::value(Some(2i16)))
        .col_expr(claim::Column::DecisionAmount, Expr::value(Some(amount)))
        .col_expr(claim::Column::DecidedOn, Expr::value(Some(app::backend::calendar::today_in_bangkok())))
        .filter(claim::Column::Reference.eq(reference.clone()))
        .exec(&app.db)
        .await
        .unwrap();
    (reference, v["access_code"].as_str().unwrap().to_string())
}

async fn give_account(app: &TestApp, claimant: &reqwest::Client, reference: &str, fields: &[(&str, &str)]) -> String {
    let r = claimant
        .post(app.url(&format!("/claim/{reference}/bank-account")))
        .form(fields)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    r.headers()["location"].to_str().unwrap().to_string()
}

async fn import(app: &TestApp, officer: &reqwest::Client, batch: &str, csv: &str) -> String {
    let page = app.page(officer, "/staff/payments").await;
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf_of(&page))
        .text("region", "1")
        .part("file", reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("results.csv"));
    let r = officer
        .post(app.url(&format!("/staff/payments/batches/{batch}/results")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    r.headers()["location"].to_str().unwrap().to_string()
}

async fn audited(app: &TestApp, action: &str) -> Vec<audit_entry::Model> {
    audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq(action))
        .all(&app.db)
        .await
        .unwrap()
}

async fn payments_go_to_the_bank_in_batches_and_its_results_come_back(b: Backend) {
    let app = spawn_app(b).await;
    let (a, code_a) = approved(&app, "นางเอ โอนได้", 150_000).await;
    let (bb, code_b) = approved(&app, "นายบี บัญชีปิด", 100_000).await;
    let (c, code_c) = approved(&app, "นางซี ยังไม่แจ้ง", 50_000).await;
    let claimant_a = app.claimant(&a, &code_a).await;

    // The claimant is asked for an account; a bad one comes back by field and stores nothing.
    let page = app.page(&claimant_a, &format!("/claim/{a}")).await;
    assert!(page.contains("id=\"payment\"") && page.contains("name=\"account_number\""), "the form is offered");
    let bad = give_account(&app, &claimant_a, &a, &[("bank_code", "006"), ("account_number", "12ab"), ("account_holder", "")]).await;
    assert!(bad.contains("account_errors="), "{bad}");
    assert!(!bad.contains("12ab"), "the number typed is not put in the address");
    let page = app.page(&claimant_a, &bad).await;
    assert!(page.contains("เลขที่บัญชีต้องเป็นตัวเลขเท่านั้น"), "the number's own message");
    assert!(page.contains("โปรดกรอกชื่อบัญชี"), "the holder's own message");
    assert!(page.contains("<title>ข้อผิดพลาด:"), "the title says the form came back");
    let short = give_account(&app, &claimant_a, &a, &[("bank_code", "006"), ("account_number", "12345"), ("account_holder", "นางเอ โอนได้")]).await;
    assert!(app.page(&claimant_a, &short).await.contains("เลขที่บัญชีของธนาคารนี้มี 10 หลัก"));
    assert_eq!(payment_account::Entity::find().count(&app.db).await.unwrap(), 0, "nothing stored");
    let saved = give_account(&app, &claimant_a, &a, &[("bank_code", "006"), ("account_number", "123-4-56789-0"), ("account_holder", "นางเอ โอนได้")]).await;
    assert!(saved.ends_with("?account=saved#payment"), "{saved}");
    let page = app.page(&claimant_a, &format!("/claim/{a}")).await;
    assert!(page.contains("••••••7890") && !page.contains("1234567890"), "shown masked");
    assert!(page.contains("ธนาคารกรุงไทย"));

    // Intake gives B's account from the petition; another region's staff cannot.
    let intake = staff_client(&app, "intake1@nhso.test", &[g(Role::Intake, 1)]).await;
    let case = app.page(&intake, &format!("/staff/claims/{bb}")).await;
    let csrf = csrf_of(&case);
    let r = intake
        .post(app.url(&format!("/staff/claims/{bb}/bank-account")))
        .form(&[("csrf", csrf.as_str()), ("bank_code", "014"), ("account_number", "9876543210"), ("account_holder", "นายบี บัญชีปิด")])
        .send()
        .await
        .unwrap();
    assert!(r.headers()["location"].to_str().unwrap().ends_with("?account=saved#payment"));
    let officer2 = staff_client(&app, "officer2@nhso.test", &[g(Role::RegionalOfficer, 2)]).await;
    let csrf2 = csrf_of(&app.page(&officer2, "/staff").await);
    let r = officer2
        .post(app.url(&format!("/staff/claims/{c}/bank-account")))
        .form(&[("csrf", csrf2.as_str()), ("bank_code", "014"), ("account_number", "1111111111"), ("account_holder", "ใครก็ได้")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404, "another region's case does not exist for them");
    assert!(audited(&app, "bank_account_given").await.iter().any(|e| e.actor == "user:intake1@nhso.test" && e.detail.contains("••••••3210")));
    let told = app::backend::entities::outbox::Entity::find()
        .filter(app::backend::entities::outbox::Column::Subject.contains(bb.as_str()))
        .all(&app.db)
        .await
        .unwrap();
    assert!(
        told.iter().any(|m| m.subject.contains("บันทึกบัญชีรับเงิน") && !m.body.contains("9876543210")),
        "the claimant is told an account was recorded for them, by its last digits only"
    );

    // The officer orders the three payments; two have accounts.
    let officer = staff_client(&app, "officer1@nhso.test", &[g(Role::RegionalOfficer, 1)]).await;
    for r in [&a, &bb, &c] {
        assert!(act(&app, &officer, r, &[("event", "order_payment")]).await.ends_with("?done=payment_ordered"));
    }
    // Its case page shows the number masked; the whole number on request, audited; not for intake.
    let case = app.page(&officer, &format!("/staff/claims/{a}")).await;
    assert!(case.contains("••••••7890") && !case.contains("1234567890") && case.contains("id=\"show-account\""));
    let whole = app.page(&officer, &format!("/staff/claims/{a}?account=full")).await;
    assert!(whole.contains("1234567890"));
    assert_eq!(audited(&app, "bank_account_shown").await.len(), 1);
    let not_intake = app.page(&intake, &format!("/staff/claims/{a}?account=full")).await;
    assert!(!not_intake.contains("1234567890") && !not_intake.contains("id=\"show-account\""));

    let payments = app.page(&officer, "/staff/payments").await;
    assert!(payments.contains("id=\"ready-count\">2"), "A and B are ready");
    assert!(payments.contains(&format!("data-reference=\"{c}\"")) && payments.contains("id=\"waiting\""), "C waits for an account");
    let csrf = csrf_of(&payments);
    let make = |csrf: String| {
        let officer = officer.clone();
        let url = app.url("/staff/payments/batches");
        async move {
            let r = officer.post(url).form(&[("csrf", csrf.as_str()), ("region", "1")]).send().await.unwrap();
            r.headers()["location"].to_str().unwrap().to_string()
        }
    };
    assert!(make(csrf.clone()).await.contains("batch=made"));
    assert!(make(csrf.clone()).await.contains("e=empty"), "A and B are in an open batch: not again");
    let payments = app.page(&officer, "/staff/payments").await;
    let at = payments.find("id=\"batch-").expect("the batch is listed") + "id=\"batch-".len();
    let batch = payments[at..at + 36].to_string();
    let label = {
        let at = payments.find("data-label=\"").unwrap() + "data-label=\"".len();
        payments[at..].split('"').next().unwrap().to_string()
    };
    assert!(label.starts_with("PAY-") && label.ends_with("-R01-0001"), "{label}");

    // The file for the bank: whole numbers, amounts, payees; another region's officer gets nothing.
    let file = officer.get(app.url(&format!("/staff/payments/batches/{batch}/file"))).send().await.unwrap();
    assert_eq!(file.status(), 200);
    let csv = file.text().await.unwrap();
    assert!(csv.starts_with("\u{feff}batch_id,line,reference,payee_name,national_id,bank_code,bank_name,account_number,account_holder,amount_baht,region\r\n"), "{csv}");
    assert!(csv.contains(&format!(",{a},นางเอ โอนได้,1101700230708,006,ธนาคารกรุงไทย,1234567890,นางเอ โอนได้,150000.00,1\r\n")), "{csv}");
    assert!(csv.contains(&format!(",{bb},นายบี บัญชีปิด,")) && csv.contains(",9876543210,") && !csv.contains(&c));
    assert_eq!(csv.lines().skip(1).filter(|l| l.starts_with(&format!("{label},"))).count(), 2);
    // The file has the whole numbers; the database keeps them sealed.
    assert_all_sealed(&app, &["1234567890", "9876543210"]).await;
    assert_eq!(officer2.get(app.url(&format!("/staff/payments/batches/{batch}/file"))).send().await.unwrap().status(), 404);
    assert_eq!(audited(&app, "payment_batch_exported").await.len(), 1);

    // While the bank has it, the claimant cannot change the account.
    let page = app.page(&claimant_a, &format!("/claim/{a}")).await;
    assert!(page.contains("id=\"in-batch\"") && !page.contains("name=\"account_number\""));
    let refused = give_account(&app, &claimant_a, &a, &[("bank_code", "004"), ("account_number", "5555555555"), ("account_holder", "คนอื่น")]).await;
    assert!(refused.ends_with("?account=held#payment"), "{refused}");
    assert!(app.page(&claimant_a, &refused).await.contains("id=\"account-held\""), "the section says the bank has it");
    assert!(
        audited(&app, "action_refused").await.iter().any(|e| e.actor == "claimant" && e.claim_reference.as_deref() == Some(a.as_str())),
        "the refused change is audited"
    );
    // Nor can the officer record it paid by hand: the bank's result file does that.
    let today_iso = app::backend::calendar::today_in_bangkok().format("%Y-%m-%d").to_string();
    let by_hand = act(&app, &officer, &a, &[("event", "record_payment"), ("amount", "150000"), ("paid_on", &today_iso), ("payment_reference", "HAND-1")]).await;
    assert!(by_hand.contains("e=state"), "{by_hand}");
    assert_eq!(status_of(&app, &a).await, "payment_ordered");

    // A bad result file: every problem by line, nothing recorded.
    let events_before = app.event_count().await;
    let today = app::backend::calendar::today_in_bangkok().format("%Y-%m-%d").to_string();
    let bad_file = format!(
        "batch_id,reference,result,date,transfer_ref,reason\r\n{label},{a},paid,,KTB-1,\r\n{label},{bb},failed,,,\r\n"
    );
    let back = import(&app, &officer, &batch, &bad_file).await;
    assert!(back.contains("problems="), "{back}");
    let shown = app.page(&officer, &back).await;
    let problems = &shown[shown.find("id=\"import-problems\"").expect("the problems are listed")..];
    assert!(problems.contains("บรรทัด 2:") && problems.contains("บรรทัด 3:"), "{problems}");
    let file_box = format!("id=\"results-{batch}\"");
    assert!(shown.contains(&file_box), "the batch's file box is there");
    assert!(
        problems.contains(&format!("href=\"#results-{batch}\"")),
        "the summary leads to the batch's file box: {problems}"
    );
    // No file chosen: the summary says so, leading to the box, which says so too.
    let back = import(&app, &officer, &batch, "").await;
    assert!(back.contains("e=nofile"), "{back}");
    let shown = app.page(&officer, &back).await;
    assert!(
        shown.contains(&format!("<a href=\"#results-{batch}\">โปรดเลือกไฟล์ผลการโอนจากธนาคาร")),
        "{shown}"
    );
    let at = shown.find(&file_box).unwrap();
    let input = &shown[shown[..at].rfind("<input").unwrap()..at + shown[at..].find('>').unwrap()];
    assert!(input.contains("aria-invalid=\"true\""), "{input}");
    assert!(
        input.contains(&format!("aria-describedby=\"results-{batch}-error results-{batch}-hint\"")),
        "{input}"
    );
    assert!(
        shown.contains(&format!("id=\"results-{batch}-error\"")),
        "the box carries the message"
    );
    // A sound line beside one for a claim not in the batch: neither is recorded.
    let unknown = format!(
        "batch_id,reference,result,date,transfer_ref,reason\r\n{label},{a},paid,{today},KTB-1,\r\n{label},{c},failed,,,closed\r\n"
    );
    let back = import(&app, &officer, &batch, &unknown).await;
    let shown = app.page(&officer, &back).await;
    assert!(shown.contains(&format!("บรรทัด 3: คำร้อง {c} ไม่อยู่ในชุดนี้")), "{back}");
    assert_eq!(status_of(&app, &a).await, "payment_ordered", "nothing recorded");
    assert_eq!(app.event_count().await, events_before);

    // The bank's answer: A paid, B failed.
    let results = format!(
        "\u{feff}batch_id,reference,result,date,transfer_ref,reason\r\n{label},{a},paid,{today},KTB-778899,\r\n{label},{bb},failed,{today},,บัญชีปิดแล้ว\r\n"
    );
    let back = import(&app, &officer, &batch, &results).await;
    assert!(back.contains("imported=1.1.0"), "{back}");
    assert_eq!(status_of(&app, &a).await, "paid");
    assert_eq!(status_of(&app, &bb).await, "payment_ordered", "a failed transfer goes back to payment ordered");
    let paid = claim::Entity::find().filter(claim::Column::Reference.eq(a.as_str())).one(&app.db).await.unwrap().unwrap();
    assert_eq!(paid.paid_amount, Some(150_000));
    assert_eq!(paid.payment_reference.as_deref(), Some("KTB-778899"));
    assert_eq!(paid.paid_on, Some(app::backend::calendar::today_in_bangkok()));
    let page = app.page(&claimant_a, &format!("/claim/{a}")).await;
    assert!(page.contains("data-status=\"paid\"") && page.contains("id=\"paid\""), "the claimant sees paid");
    let claimant_b = app.claimant(&bb, &code_b).await;
    let page = app.page(&claimant_b, &format!("/claim/{bb}")).await;
    assert!(page.contains("id=\"transfer-failed\"") && page.contains("บัญชีปิดแล้ว"), "B is told why");
    assert!(page.contains("name=\"account_number\""), "and gives an account again");
    let told = app::backend::entities::outbox::Entity::find()
        .filter(app::backend::entities::outbox::Column::Subject.contains(bb.as_str()))
        .all(&app.db)
        .await
        .unwrap();
    assert!(told.iter().any(|m| m.subject.contains("ไม่สำเร็จ") && !m.body.contains("9876543210")), "B is mailed, without the account");
    assert!(
        told.iter().any(|m| m.subject.contains("ไม่สำเร็จ") && m.body.contains("http://127.0.0.1:0/check")),
        "with the status page's whole address"
    );

    // The same file again, and the same lines in another file: nothing changes.
    let events_after = app.event_count().await;
    assert!(import(&app, &officer, &batch, &results).await.contains("already="));
    let again = results.replace("\r\n", "\n").replace('\u{feff}', "");
    assert!(import(&app, &officer, &batch, &again).await.contains("imported=0.0.2"));
    assert_eq!(app.event_count().await, events_after, "no new history");
    assert_eq!(status_of(&app, &a).await, "paid");
    // A line contradicting what is recorded is refused.
    let contradicting = format!("batch_id,reference,result,date,transfer_ref,reason\n{label},{a},failed,,,wrong\n");
    assert!(import(&app, &officer, &batch, &contradicting).await.contains("problems="));
    assert_eq!(status_of(&app, &a).await, "paid");

    // B's new account and C's first: the next batch takes both, and only them.
    let saved = give_account(&app, &claimant_b, &bb, &[("bank_code", "002"), ("account_number", "2222222222"), ("account_holder", "นายบี บัญชีใหม่")]).await;
    assert!(saved.ends_with("?account=saved#payment"));
    let claimant_c = app.claimant(&c, &code_c).await;
    give_account(&app, &claimant_c, &c, &[("bank_code", "030"), ("account_number", "0200 1234 5678"), ("account_holder", "นางซี ยังไม่แจ้ง")]).await;
    let payments = app.page(&officer, "/staff/payments").await;
    assert!(payments.contains("id=\"ready-count\">2"), "B again and C");
    assert!(make(csrf_of(&payments)).await.contains("batch=made"));
    let batches = audited(&app, "payment_batch_created").await;
    assert_eq!(batches.len(), 2);
    assert!(batches[1].detail.contains(&bb) && batches[1].detail.contains(&c) && !batches[1].detail.contains(&a));
    // An officer who declares a conflict of interest in C no longer handles its batch.
    let second = app.page(&officer, "/staff/payments").await;
    let at = second.find("id=\"batch-").unwrap() + "id=\"batch-".len();
    let batch2 = second[at..at + 36].to_string();
    assert_ne!(batch2, batch);
    assert_eq!(officer.get(app.url(&format!("/staff/payments/batches/{batch2}/file"))).send().await.unwrap().status(), 200);
    let declared = crate::actions::post_with_csrf(&app, &officer, &c, "conflict", &[("conflict_reason", "ญาติของผู้ร้อง")]).await;
    assert!(!declared.contains("e="), "{declared}");
    assert_eq!(officer.get(app.url(&format!("/staff/payments/batches/{batch2}/file"))).send().await.unwrap().status(), 404);
    assert_eq!(audited(&app, "payment_results_imported").await.len(), 2);
    assert_eq!(audited(&app, "payment_failed").await.len(), 1);
    assert!(audited(&app, "transition:record_payment").await.iter().any(|e| e.claim_reference.as_deref() == Some(a.as_str())));
    app.cleanup().await;
}

async fn two_result_files_at_once_record_a_payment_once(b: Backend) {
    let app = spawn_app(b).await;
    let (a, code) = approved(&app, "นางเอ สองไฟล์", 120_000).await;
    let claimant = app.claimant(&a, &code).await;
    give_account(&app, &claimant, &a, &[("bank_code", "004"), ("account_number", "1231231231"), ("account_holder", "นางเอ สองไฟล์")]).await;
    let officer = staff_client(&app, "officer1@nhso.test", &[g(Role::RegionalOfficer, 1)]).await;
    act(&app, &officer, &a, &[("event", "order_payment")]).await;
    let page = app.page(&officer, "/staff/payments").await;
    let r = officer
        .post(app.url("/staff/payments/batches"))
        .form(&[("csrf", csrf_of(&page).as_str()), ("region", "1")])
        .send()
        .await
        .unwrap();
    assert!(r.headers()["location"].to_str().unwrap().contains("batch=made"));
    let page = app.page(&officer, "/staff/payments").await;
    let at = page.find("id=\"batch-").unwrap() + "id=\"batch-".len();
    let batch = page[at..at + 36].to_string();
    let label = {
        let at = page.find("data-label=\"").unwrap() + "data-label=\"".len();
        page[at..].split('"').next().unwrap().to_string()
    };
    let today = app::backend::calendar::today_in_bangkok().format("%Y-%m-%d").to_string();
    // Two different files (line ends differ) saying the same: sent at the same moment.
    let crlf = format!("batch_id,reference,result,date,transfer_ref,reason\r\n{label},{a},paid,{today},KBANK-42,\r\n");
    let lf = crlf.replace("\r\n", "\n");
    let events = app.event_count().await;
    let (one, two) = tokio::join!(import(&app, &officer, &batch, &crlf), import(&app, &officer, &batch, &lf));
    let outcomes = [one, two];
    assert_eq!(outcomes.iter().filter(|o| o.contains("imported=1.0.0")).count(), 1, "{outcomes:?}");
    assert!(
        outcomes.iter().any(|o| o.contains("imported=0.0.1") || o.contains("e=busy")),
        "the other finds it done, or was turned away: {outcomes:?}"
    );
    assert_eq!(status_of(&app, &a).await, "paid");
    assert_eq!(app.event_count().await, events + 1, "one payment in the history");
    assert_eq!(audited(&app, "transition:record_payment").await.len(), 1);
    app.cleanup().await;
}
