// The whole story, in Chromium, with a screenshot of every step: a claimant files; intake
// screens and asks for information; the claimant answers with a document; intake refers;
// a reviewer approves 150,000 THB in category 2; the claimant sees it and appeals; the
// board decides; an officer orders and records payment; the claimant sees "paid".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, shot, axe, staffSignIn, STAFF_PASSWORD as PASSWORD } from './helpers.js';
import { fileClaim, pdfPath, completeChecklist } from './flows.js';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
  for (const [email, role] of [['intake7@nhso.test', 'intake:7'], ['reviewer7@nhso.test', 'reviewer:7'], ['board@nhso.test', 'appeal_board'], ['officer7@nhso.test', 'regional_officer:7']]) {
    server.cli('user', 'add', '--email', email, '--role', role, '--password', PASSWORD);
  }
});

after(async () => {
  await browser?.close();
  server?.stop();
});

const staffPage = (email) => staffSignIn(browser, server, email);

async function openCase(page, reference) {
  await page.goto(`${server.url}/staff/claims/${reference}`);
}

async function status(page) {
  return page.locator('#status').getAttribute('data-status');
}

test('from filing to payment', async () => {
  const claimant = await newPage(browser);
  const { reference, code } = await fileClaim(claimant, server, 'story-0', { hydrated: true });
  await claimant.goto(server.url + '/check');
  await claimant.getByLabel('เลขที่อ้างอิง').fill(reference);
  await claimant.getByLabel('รหัสเข้าถึง').fill(code);
  await claimant.getByRole('button', { name: 'ตรวจสอบ' }).click();
  await claimant.waitForURL(/\/claim\//);
  assert.equal(await status(claimant), 'submitted');

  // Intake screens and asks for the medical record.
  const intake = await staffPage('intake7@nhso.test');
  await openCase(intake, reference);
  await intake.getByRole('button', { name: 'เริ่มตรวจสอบคำร้อง' }).click();
  await intake.waitForURL(/done=screening/);
  await intake.locator('form[data-event="request_info"] textarea').fill('โปรดส่งสำเนาเวชระเบียนการผ่าตัด');
  await intake.getByRole('button', { name: 'ขอข้อมูลเพิ่มเติมจากผู้ยื่น' }).click();
  await intake.waitForURL(/done=info_requested/);
  await shot(intake, 'story-1-intake-requests-info');

  // The claimant sees the request and answers with a document.
  await claimant.reload();
  assert.match(await claimant.locator('#info-request').textContent(), /เวชระเบียนการผ่าตัด/);
  await claimant.getByLabel('คำตอบของท่าน').fill('แนบสำเนาเวชระเบียนมาแล้ว');
  await claimant.setInputFiles('#answer-file', pdfPath);
  await shot(claimant, 'story-2-claimant-answers');
  await claimant.getByRole('button', { name: 'ส่งข้อมูล' }).click();
  await claimant.waitForURL(/done=screening/);
  assert.equal(await status(claimant), 'screening');

  // Intake refers to the committee.
  await openCase(intake, reference);
  await intake.getByText('แนบสำเนาเวชระเบียนมาแล้ว').waitFor(); // staff see the answer
  await completeChecklist(intake);
  await shot(intake, 'story-3a-checklist');
  await intake.getByRole('button', { name: 'ส่งให้คณะอนุกรรมการ' }).click();
  await intake.waitForURL(/done=referred/);
  await shot(intake, 'story-3-referred');

  // A reviewer approves 150,000 baht in category 2.
  const reviewer = await staffPage('reviewer7@nhso.test');
  await openCase(reviewer, reference);
  const approve = reviewer.locator('form[data-event="approve"]');
  await approve.getByLabel('ประเภทความเสียหาย').selectOption('2');
  await approve.getByLabel('จำนวนเงิน (บาท)').fill('150000');
  await approve.getByRole('button', { name: 'อนุมัติจ่ายเงิน' }).click();
  await reviewer.waitForURL(/done=approved/);
  await shot(reviewer, 'story-4-approved');

  // The office has no proof yet that the claimant received the decision: the appeal
  // window waits for it, and the officer could record a return receipt.
  const officer = await staffPage('officer7@nhso.test');
  await openCase(officer, reference);
  await officer.locator('#notice-pending').waitFor();
  await officer.locator('#record-notice').waitFor();
  assert.deepEqual(await axe(officer), []);

  // The claimant sees the decision (that day, they received it) and appeals.
  await claimant.goto(`${server.url}/claim/${reference}`);
  assert.equal(await status(claimant), 'approved');
  assert.match(await claimant.locator('#decision').textContent(), /150,000/);
  await claimant.locator('#appeal-by').waitFor(); // the last day to appeal is shown
  await claimant.locator('#notified-on').waitFor(); // counted from today, when they saw it
  await shot(claimant, 'story-5-claimant-sees-decision');
  await officer.reload();
  assert.match(await officer.locator('#notice-received').textContent(), /หน้าติดตามสถานะ/);
  await claimant.getByLabel('เหตุผลที่อุทธรณ์').fill('ค่ารักษาต่อเนื่องสูงกว่าที่อนุมัติ');
  await claimant.getByRole('button', { name: 'ยื่นอุทธรณ์' }).click();
  await claimant.waitForURL(/done=appealed/);

  // The board upholds the decision.
  const board = await staffPage('board@nhso.test');
  await openCase(board, reference);
  const decide = board.locator('form[data-event="decide_appeal"]');
  await decide.getByLabel('ผลอุทธรณ์').selectOption('upheld');
  await decide.getByLabel('เหตุผลถึงผู้ยื่น').fill('จำนวนเงินเหมาะสมกับความเสียหายแล้ว');
  await decide.getByRole('button', { name: 'บันทึกผลอุทธรณ์' }).click();
  await board.waitForURL(/done=appeal_decided/);
  await shot(board, 'story-6-appeal-decided');

  // The regional officer orders and records the payment.
  await openCase(officer, reference);
  await officer.getByRole('button', { name: 'สั่งจ่ายเงิน' }).click();
  await officer.waitForURL(/done=payment_ordered/);
  const pay = officer.locator('form[data-event="record_payment"]');
  const now = new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 10);
  await pay.getByLabel('จำนวนเงินที่โอน (บาท)').fill('150000');
  await pay.getByLabel('วันที่โอน (ค.ศ. ปปปป-ดด-วว)').fill(now);
  await pay.getByLabel('เลขที่อ้างอิงการโอน').fill('KTB-2569-0001');
  await pay.getByRole('button', { name: 'บันทึกการจ่ายเงิน' }).click();
  await officer.waitForURL(/done=paid/);
  await shot(officer, 'story-7-paid');

  // The claimant sees "paid".
  await claimant.goto(`${server.url}/claim/${reference}`);
  assert.equal(await status(claimant), 'paid');
  assert.equal((await claimant.locator('#status').textContent()).trim(), 'จ่ายเงินแล้ว');
  assert.match(await claimant.locator('#paid').textContent(), /150,000/);
  await shot(claimant, 'story-8-claimant-sees-paid');
  assert.match(server.cli('audit', 'verify'), /audit log intact/);
  for (const p of [claimant, intake, reviewer, board, officer]) {
    assert.deepEqual(p.problems, [], 'no console errors');
    await p.context().close();
  }
});
