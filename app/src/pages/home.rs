use crate::i18n::t;
use leptos::prelude::*;

/// What Section 41 is, who may file, the two-year rule, what to prepare, where to get help.
#[component]
pub fn Home() -> impl IntoView {
    let l = crate::use_locale();
    view! {
        {crate::pages::heading(l, "ขอรับ\u{200B}เงินช่วยเหลือ\u{200B}เบื้องต้น กรณี\u{200B}ได้รับ\u{200B}ความเสียหาย\u{200B}จาก\u{200B}การรักษา\u{200B}พยาบาล (มาตรา 41)", "Apply for preliminary assistance if you were harmed by medical treatment (Section 41)", false)}
        <p class="lead">{t(l,
            "ผู้มีสิทธิบัตรทองที่ได้รับความเสียหายจากการรักษาของหน่วยบริการ ขอรับเงินช่วยเหลือเบื้องต้นได้ โดยไม่ต้องพิสูจน์ว่าใครผิด",
            "If you hold Gold Card (Universal Coverage) rights and were harmed by treatment at a service unit, you can apply for preliminary assistance. You do not have to prove anyone was at fault.")}</p>
        <a href="/file" class="button button-start">{t(l, "เริ่มยื่นคำร้อง", "Start now")}</a>

        <h2>{t(l, "ใครยื่นได้", "Who can apply")}</h2>
        <ul class="list">
            <li>{t(l, "ผู้ได้รับความเสียหายเอง", "the person who was harmed")}</li>
            <li>{t(l, "ทายาท (คนใดคนหนึ่งก็ได้)", "an heir (any one heir)")}</li>
            <li>{t(l, "ผู้อุปการะ", "a caretaker or dependant-carer")}</li>
            <li>{t(l, "หน่วยบริการที่ให้การรักษา", "the service unit that gave the treatment")}</li>
            <li>{t(l, "ผู้รับมอบอำนาจ (แนบหนังสือมอบอำนาจ)", "someone with a power of attorney (attach it)")}</li>
        </ul>

        <h2>{t(l, "ต้องยื่นภายใน 2 ปี", "Apply within 2 years")}</h2>
        <p>{t(l,
            "ต้องยื่นคำร้องภายใน 2 ปี นับแต่วันที่ทราบความเสียหาย หากวันสุดท้ายตรงกับวันหยุดราชการ ยื่นได้ถึงวันทำการถัดไป",
            "You must apply within 2 years of the date you learned of the harm. If the last day is a weekend or public holiday, you can apply on the next working day.")}</p>

        <h2>{t(l, "สิ่งที่ต้องเตรียม", "What you need")}</h2>
        <ul class="list">
            <li>{t(l, "ชื่อและเลขประจำตัวประชาชนของผู้ได้รับความเสียหาย", "the harmed person's name and national ID number")}</li>
            <li>{t(l, "ชื่อและจังหวัดของโรงพยาบาลหรือสถานพยาบาล", "the name and province of the hospital or clinic")}</li>
            <li>{t(l, "วันที่รับการรักษา และวันที่ทราบความเสียหาย", "the date of treatment and the date you learned of the harm")}</li>
            <li>{t(l, "ความเสียหายที่เกิดขึ้น และภาระที่ต้องรับผิดชอบตอนนี้ (ค่าใช้จ่าย รายได้ที่ขาด ผู้ที่ต้องดูแล)", "what harm happened, and what it costs you now (expenses, lost income, people you care for)")}</li>
            <li>{t(l, "ที่อยู่และเบอร์โทรศัพท์ที่ติดต่อได้", "an address and phone number where you can be reached")}</li>
            <li>{t(l, "สำเนาบัตรประชาชนหรือสูติบัตร และหนังสือมอบอำนาจ (ถ้ามี) เป็นไฟล์ PDF, JPG หรือ PNG", "a copy of the ID card or birth certificate, and any power of attorney, as PDF, JPG or PNG files")}</li>
        </ul>
        <p>{t(l, "ใช้เวลาประมาณ 15 นาที บันทึกคำตอบไว้ระหว่างทาง", "It takes about 15 minutes. Your answers are saved as you go.")}</p>

        <h2>{crate::pages::words(t(l, "ยื่น\u{200B}ด้วย\u{200B}ตนเอง\u{200B}หรือ\u{200B}ขอ\u{200B}ความช่วยเหลือ", "Apply in person or get help"))}</h2>
        <p>{t(l,
            "ยื่นได้ที่หน่วยบริการในระบบบัตรทอง สำนักงานสาธารณสุขจังหวัด สำนักงาน สปสช. เขต ศูนย์สิทธิบัตรทอง หรือ สปสช. ส่วนกลาง สอบถามได้ที่สายด่วน 1330",
            "You can also apply at any Gold Card service unit, the provincial public health office, an NHSO regional office, a Gold Card Center, or NHSO head office. Call 1330 for advice.")}</p>
        <p><a href="/offices">{t(l, "ดูสำนักงาน สปสช. เขต 1–13", "See the NHSO regional offices 1–13")}</a></p>
        <p><a href="/check">{t(l, "ตรวจสอบสถานะคำร้องที่ยื่นแล้ว", "Check a claim you have already made")}</a></p>
    }
}
