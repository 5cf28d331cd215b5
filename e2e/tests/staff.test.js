// Staff side: an account made with `section41 user add` signs in, sees only its region's
// claims, opens one, and the audit chain verifies from the command line afterwards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, shot, axe, bangkokDaysAgo, staffSignIn } from './helpers.js';
import { completeChecklist } from './flows.js';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

function iso({ d, m, y }) {
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

async function fileVia(province, name, nationalId = '1101700230708') {
  const res = await fetch(`${server.url}/api/v1/claims`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      filer: { relation: 'self' },
      patient: { name, national_id: nationalId, address: '1 ถนนมิตรภาพ', phone: '0812345678' },
      service_unit: { name: 'โรงพยาบาลศูนย์', province_code: province },
      treatment_date: iso(bangkokDaysAgo(15)),
      damage_known_date: iso(bangkokDaysAgo(10)),
      damage_description: 'ติดเชื้อหลังผ่าตัด',
      burden: 'ค่ารักษาต่อเนื่อง',
    }),
  });
  assert.equal(res.status, 201);
  return res.json(); // { reference, access_code, ... }
}

const signIn = (email) => staffSignIn(browser, server, email);

test('a regional officer signs in, sees only region 7, screens and refers a case; the audit chain verifies', async () => {
  const made = server.cli('user', 'add', '--email', 'officer7@nhso.test', '--role', 'regional_officer:7', '--name', 'สมใจ เขตเจ็ด', '--password', 'correct horse battery');
  assert.match(made, /created officer7@nhso.test/);
  const ours = (await fileVia('40', 'ผู้ป่วย ขอนแก่น')).reference;   // Khon Kaen → region 7
  const theirs = (await fileVia('10', 'ผู้ป่วย กรุงเทพ')).reference;  // Bangkok → region 13

  const page = await newPage(browser);
  await page.goto(server.url + '/staff/login');
  assert.deepEqual(await axe(page), []);
  await page.getByLabel('อีเมล').fill('officer7@nhso.test');
  await page.getByLabel('รหัสผ่าน').fill('correct horse battery');
  await page.getByRole('button', { name: 'เข้าสู่ระบบ' }).click();
  await page.waitForURL(/\/staff$/);
  await page.getByText('สมใจ เขตเจ็ด').waitFor();
  assert.equal(await page.locator(`tr[data-reference="${ours}"]`).count(), 1, 'its own region is listed');
  assert.equal(await page.locator(`tr[data-reference="${theirs}"]`).count(), 0, 'another region is not');
  await shot(page, 'staff-1-queue');
  assert.deepEqual(await axe(page), []);
  // The masked national ID is read out as its last four digits, not a string of bullets.
  const idCell = page.locator(`tr[data-reference="${ours}"] td`).nth(1);
  assert.equal(await idCell.locator('[aria-hidden="true"]').textContent(), '•••••••••0708');
  assert.equal(await idCell.locator('.visually-hidden').textContent(), 'เลขประจำตัวประชาชน ลงท้ายด้วย 0708');
  await page.getByRole('link', { name: ours }).click();
  await page.waitForURL(/\/staff\/claims\//);
  assert.equal(await page.locator('#status').getAttribute('data-status'), 'submitted');
  await page.getByText('1101700230708').waitFor(); // the case page shows the full national ID
  await shot(page, 'staff-2-case');
  assert.deepEqual(await axe(page), []);
  // Only the actions this role may take now are offered; taking one moves the case on.
  assert.equal(await page.locator('form[data-event="approve"]').count(), 0, 'an officer is not offered decisions');
  await page.getByRole('button', { name: 'เริ่มตรวจสอบคำร้อง' }).click();
  await page.waitForURL(/done=screening/);
  assert.equal(await page.locator('#status').getAttribute('data-status'), 'screening');
  // What was done takes focus at the top of the actions, so the next one is a Tab away.
  assert.equal(await page.evaluate(() => document.activeElement.id), 'action-done');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.closest('form')?.dataset.event), 'request_info');
  // Referring before the checklist is complete is refused, with the reason.
  await page.getByRole('button', { name: 'ส่งให้คณะอนุกรรมการ' }).click();
  await page.waitForURL(/e=invalid/);
  assert.match(await page.locator('#action-error').textContent(), /รายการตรวจสอบคำร้องยังไม่ครบ/);
  assert.equal(await page.locator('#status').getAttribute('data-status'), 'screening');
  await completeChecklist(page);
  assert.deepEqual(await axe(page), []);
  await page.getByRole('button', { name: 'ส่งให้คณะอนุกรรมการ' }).click();
  await page.waitForURL(/done=referred/);
  await shot(page, 'staff-3-referred');
  assert.deepEqual(await axe(page), []);
  // Typing another region's reference into the address bar gets nothing.
  const resp = await page.goto(`${server.url}/staff/claims/${theirs}`);
  assert.equal(resp.status(), 404);
  await page.context().close();

  assert.match(server.cli('audit', 'verify'), /audit log intact: \d+ entries/);
});

test('intake staff start a petition for a walk-in claimant; the steps say so', async () => {
  server.cli('user', 'add', '--email', 'intake7@nhso.test', '--role', 'intake:7', '--password', 'correct horse battery');
  const page = await newPage(browser);
  await page.goto(server.url + '/staff/login');
  await page.getByLabel('อีเมล').fill('intake7@nhso.test');
  await page.getByLabel('รหัสผ่าน').fill('correct horse battery');
  await page.getByRole('button', { name: 'เข้าสู่ระบบ' }).click();
  await page.waitForURL(/\/staff$/);
  await page.getByRole('link', { name: 'ยื่นคำร้องแทนผู้ร้อง' }).click();
  await page.waitForURL(/\/staff\/file$/);
  assert.deepEqual(await axe(page), []);
  // Sent without a channel: the error summary names it.
  await page.getByRole('button', { name: 'เริ่มกรอกคำร้อง' }).click();
  await page.waitForURL(/\/staff\/file\?e=/);
  assert.match(await page.locator('.error-summary').textContent(), /โปรดเลือกช่องทางที่รับคำร้อง/);
  assert.deepEqual(await axe(page), []);
  await page.getByLabel('มายื่นด้วยตนเอง').check();
  await shot(page, 'staff-4-intake');
  await page.getByRole('button', { name: 'เริ่มกรอกคำร้อง' }).click();
  await page.waitForURL(/\/file\/[0-9a-f-]+\/filer$/);
  assert.match(await page.locator('#assisted').textContent(), /มายื่นด้วยตนเอง/);
  await page.context().close();
});

test('a search by national ID is posted: the ID is in no address, and the results link works', async () => {
  server.cli('user', 'add', '--email', 'officer5@nhso.test', '--role', 'regional_officer:5', '--name', 'สมศรี เขตห้า', '--password', 'correct horse battery');
  const id = '3100600123450';
  const found = (await fileVia('70', 'ผู้ป่วย ราชบุรี', id)).reference; // Ratchaburi → region 5
  const other = (await fileVia('70', 'ผู้ป่วย อีกคน')).reference;
  const page = await signIn('officer5@nhso.test');
  const addresses = [];
  page.on('request', (r) => addresses.push(r.url()));
  await page.getByLabel('ค้นหา (เลขที่อ้างอิง ชื่อ หรือเลขประจำตัวประชาชน)').fill(id);
  await page.getByRole('button', { name: 'กรอง' }).click();
  await page.waitForURL(/\/staff\?s=/);
  const listed = async () => ({
    found: await page.locator(`tr[data-reference="${found}"]`).count(),
    other: await page.locator(`tr[data-reference="${other}"]`).count(),
  });
  assert.deepEqual(await listed(), { found: 1, other: 0 });
  assert.equal(await page.getByLabel('ค้นหา (เลขที่อ้างอิง ชื่อ หรือเลขประจำตัวประชาชน)').inputValue(), id, 'the box keeps what was searched for');
  await shot(page, 'staff-search');
  assert.deepEqual(await axe(page), []);
  // The link holds the search sealed: opened again, it shows the same results.
  await page.reload();
  assert.deepEqual(await listed(), { found: 1, other: 0 });
  assert.deepEqual(addresses.filter((u) => u.includes(id)), [], 'no address the browser asked for holds the ID');
  await page.context().close();
});

test('the meetings and administration pages are accessible', async () => {
  server.cli('user', 'add', '--email', 'admin@nhso.test', '--role', 'admin', '--password', 'correct horse battery');
  for (const [email, path, heading] of [['officer7@nhso.test', '/staff/meetings', 'การประชุมคณะอนุกรรมการ'], ['admin@nhso.test', '/staff/admin', 'ผู้ดูแลระบบ']]) {
    const page = await signIn(email);
    await page.goto(server.url + path);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    assert.deepEqual(await axe(page), [], path);
    await shot(page, `staff-${path.split('/').pop()}`);
    await page.context().close();
  }
  // The page a new account's owner sets a password on (from a mailed link): a mistyped
  // second password is named beside its field, and the page stays accessible.
  const page = await newPage(browser);
  await page.goto(`${server.url}/staff/password?t=not-a-real-link`);
  await page.getByLabel('รหัสผ่านใหม่').fill('correct horse battery');
  await page.getByLabel('พิมพ์รหัสผ่านอีกครั้ง').fill('correct horse battery!');
  await page.getByRole('button', { name: 'ตั้งรหัสผ่าน' }).click();
  await page.waitForURL(/e=differ/);
  assert.match(await page.locator('#password_again-error').textContent(), /ไม่ตรงกัน/);
  assert.deepEqual(await axe(page), [], '/staff/password');
  await page.context().close();
});

test('an officer records a registered-mail receipt of the decision; the appeal window runs from it', async () => {
  for (const [email, role] of [['officer7b@nhso.test', 'regional_officer:7'], ['reviewer7@nhso.test', 'reviewer:7']]) {
    server.cli('user', 'add', '--email', email, '--role', role, '--password', 'correct horse battery');
  }
  const { reference, access_code: code } = await fileVia('40', 'ผู้ป่วย ไปรษณีย์');
  const officer = await signIn('officer7b@nhso.test');
  await officer.goto(`${server.url}/staff/claims/${reference}`);
  await officer.getByRole('button', { name: 'เริ่มตรวจสอบคำร้อง' }).click();
  await officer.waitForURL(/done=screening/);
  await completeChecklist(officer);
  await officer.getByRole('button', { name: 'ส่งให้คณะอนุกรรมการ' }).click();
  await officer.waitForURL(/done=referred/);

  const reviewer = await signIn('reviewer7@nhso.test');
  await reviewer.goto(`${server.url}/staff/claims/${reference}`);
  const approve = reviewer.locator('form[data-event="approve"]');
  await approve.getByLabel('ประเภทความเสียหาย').selectOption('2');
  await approve.getByLabel('จำนวนเงิน (บาท)').fill('120000');
  await approve.getByRole('button', { name: 'อนุมัติจ่ายเงิน' }).click();
  await reviewer.waitForURL(/done=approved/);
  await reviewer.context().close();

  // The decision letter went by registered mail; the return receipt comes back signed.
  await officer.goto(`${server.url}/staff/claims/${reference}`);
  await officer.locator('#notice-pending').waitFor();
  const form = officer.locator('#notice form');
  await form.getByLabel('วิธีส่ง').selectOption({ label: 'ไปรษณีย์ลงทะเบียนตอบรับ' });
  await form.getByLabel(/วันที่ผู้ยื่นได้รับ/).fill(iso(bangkokDaysAgo(-1)));
  await form.getByLabel(/หลักฐาน/).fill('EB123456789TH');
  await form.getByRole('button', { name: 'บันทึกการรับ' }).click();
  // A receipt dated tomorrow is refused with the reason, and nothing is recorded.
  await officer.waitForURL(/e=invalid/);
  assert.match(await officer.locator('#action-error').textContent(), /ต้องไม่เป็นวันในอนาคต/);
  // The message also sits by the date field, and the summary's link leads there.
  assert.match(await officer.locator('#notice-notice_received_on-error').textContent(), /ต้องไม่เป็นวันในอนาคต/);
  await officer.locator('#action-error a').click();
  assert.equal(await officer.evaluate(() => document.activeElement.id), 'notice-notice_received_on');
  await shot(officer, 'staff-5a-notice-refused');
  await officer.locator('#notice-pending').waitFor();
  assert.deepEqual(await axe(officer), []);
  await form.getByLabel('วิธีส่ง').selectOption({ label: 'ไปรษณีย์ลงทะเบียนตอบรับ' });
  await form.getByLabel(/วันที่ผู้ยื่นได้รับ/).fill(iso(bangkokDaysAgo(0)));
  await form.getByLabel(/หลักฐาน/).fill('EB123456789TH');
  await form.getByRole('button', { name: 'บันทึกการรับ' }).click();
  await officer.waitForURL(/notice=1/);
  assert.match(await officer.locator('#notice-received').textContent(), /ไปรษณีย์ลงทะเบียนตอบรับ/);
  await officer.locator('#notice-appeal-by').waitFor();
  assert.equal(await officer.locator('#record-notice').count(), 0, 'the first receipt stands');
  await shot(officer, 'staff-5-notice-recorded');
  assert.deepEqual(await axe(officer), []);
  assert.deepEqual(officer.problems, [], 'no console errors');
  await officer.context().close();

  // The claimant's status (here through the API) counts the appeal window from that day.
  const res = await fetch(`${server.url}/api/v1/claims/${reference}`, { headers: { 'X-Access-Code': code } });
  const v = await res.json();
  assert.equal(v.decision_received_on, iso(bangkokDaysAgo(0)));
  assert.ok(v.appeal_by > v.decision_received_on, JSON.stringify(v));
});
