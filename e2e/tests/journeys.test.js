// Browser journeys: what a person filing a claim would click, in Thai, with and without
// JavaScript, on a phone-sized screen; and axe-core on every public page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launch, newPage, waitForHydration, shot, axe, bangkokDaysAgo, artifacts } from './helpers.js';

let server;
let browser;
const pdfPath = join(artifacts, 'id-card.pdf');

before(async () => {
  writeFileSync(pdfPath, '%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

async function fillDate(page, name, { d, m, y }) {
  await page.fill(`#${name}`, String(d));
  await page.fill(`#${name}-month`, String(m));
  await page.fill(`#${name}-year`, String(y + 543)); // Buddhist era, as Thai people write it
}

/// Files a complete claim through the form; returns { reference, code }.
async function fileClaim(page, label, { hydrated }) {
  await page.goto(server.url + '/');
  if (hydrated) await waitForHydration(page);
  await page.getByRole('button', { name: 'เริ่มยื่นคำร้อง' }).click();
  await page.getByRole('button', { name: 'เริ่มกรอกแบบฟอร์ม' }).click();
  await page.waitForURL(/\/filer$/);
  if (hydrated) await waitForHydration(page);
  await page.getByLabel('ฉันเป็นผู้ได้รับความเสียหาย').check();
  await shot(page, `${label}-1-filer`);
  await page.getByRole('button', { name: 'บันทึกและไปต่อ' }).click();
  await page.waitForURL(/\/patient$/);
  await page.getByLabel('ชื่อ-นามสกุล').fill('สมศรี มีสุข');
  await page.getByLabel('เลขประจำตัวประชาชน 13 หลัก').fill('1101700230708');
  await page.getByLabel('ที่อยู่ที่ติดต่อได้สะดวก').fill('12 หมู่ 3 ต.ในเมือง อ.เมือง จ.ขอนแก่น 40000');
  await page.getByLabel('เบอร์โทรศัพท์').fill('0812345678');
  await page.getByLabel('อีเมล (ถ้ามี)').fill('somsri@example.org');
  await shot(page, `${label}-2-patient`);
  await page.getByRole('button', { name: 'บันทึกและไปต่อ' }).click();
  await page.waitForURL(/\/treatment$/);
  await page.getByLabel('ชื่อโรงพยาบาลหรือสถานพยาบาลที่ให้การรักษา').fill('โรงพยาบาลขอนแก่น');
  await page.getByLabel('จังหวัดของหน่วยบริการ').selectOption({ label: 'ขอนแก่น' });
  await fillDate(page, 'treatment_date', bangkokDaysAgo(40));
  await fillDate(page, 'damage_known_date', bangkokDaysAgo(30));
  await shot(page, `${label}-3-treatment`);
  await page.getByRole('button', { name: 'บันทึกและไปต่อ' }).click();
  await page.waitForURL(/\/damage$/);
  await page.getByLabel('เกิดความเสียหายอะไรขึ้นจากการรักษา').fill('หลังผ่าตัดไส้ติ่ง แผลติดเชื้อรุนแรง ต้องผ่าตัดซ้ำ');
  await page.getByLabel('ภาระที่ต้องรับผิดชอบตอนนี้').fill('ทำงานไม่ได้ 2 เดือน ต้องดูแลลูก 2 คน');
  await page.getByRole('button', { name: 'บันทึกและไปต่อ' }).click();
  await page.waitForURL(/\/documents$/);
  await page.setInputFiles('#documents', pdfPath);
  await page.getByRole('button', { name: 'อัปโหลดไฟล์' }).click();
  await page.waitForURL(/\/documents$/);
  assert.ok(await page.locator('.file-list').getByText(/^id-card\.pdf \(/).isVisible(), 'the uploaded file is listed');
  await shot(page, `${label}-4-documents`);
  await page.getByRole('link', { name: 'ไปต่อ' }).click();
  await page.waitForURL(/\/check$/);
  assert.ok(await page.getByText('สมศรี มีสุข').isVisible());
  assert.ok(await page.getByText('สำนักงานหลักประกันสุขภาพแห่งชาติ เขต 7 ขอนแก่น').isVisible(), 'routed to region 7');
  await shot(page, `${label}-5-check-answers`);
  await page.getByRole('button', { name: 'ยืนยันและส่งคำร้อง' }).click();
  await page.waitForURL(/\/done$/);
  const reference = (await page.locator('#reference').textContent()).trim();
  const code = (await page.locator('#access-code').textContent()).trim();
  assert.match(reference, /^S41-25\d\d-[2-9A-Z]{6}$/);
  assert.match(code, /^[2-9A-Z]{4}-[2-9A-Z]{4}$/);
  await shot(page, `${label}-6-confirmation`);
  return { reference, code };
}

async function checkStatus(page, label, { reference, code }) {
  await page.goto(server.url + '/check');
  await page.getByLabel('เลขที่อ้างอิง').fill(reference.toLowerCase());
  await page.getByLabel('รหัสเข้าถึง').fill(code.replace('-', ''));
  await page.getByRole('button', { name: 'ตรวจสอบ' }).click();
  await page.waitForURL(/\/claim\//);
  const status = page.locator('#status');
  assert.equal(await status.getAttribute('data-status'), 'submitted');
  assert.equal((await status.textContent()).trim(), 'ได้รับคำร้องแล้ว');
  await shot(page, `${label}-7-status`);
}

test('a claim filed in Thai with JavaScript reaches confirmation and shows "submitted"', async () => {
  const page = await newPage(browser);
  const claim = await fileClaim(page, 'js', { hydrated: true });
  await checkStatus(page, 'js', claim);
  assert.deepEqual(page.problems, [], 'no console errors (a CSP violation would be one)');
  await page.context().close();
});

test('the same journey works with JavaScript disabled', async () => {
  const page = await newPage(browser, { javaScriptEnabled: false });
  const claim = await fileClaim(page, 'nojs', { hydrated: false });
  await checkStatus(page, 'nojs', claim);
  await page.context().close();
});

test('an out-of-window date is refused with the right last day, as typed and on sending', async () => {
  const page = await newPage(browser);
  await page.goto(server.url + '/file');
  await page.getByRole('button', { name: 'เริ่มกรอกแบบฟอร์ม' }).click();
  await page.waitForURL(/\/filer$/);
  const treatmentUrl = page.url().replace(/filer$/, 'treatment');
  await page.goto(treatmentUrl);
  await waitForHydration(page);
  // Known on 1 January 2566 (2023): two years on is New Year's Day 2025, a holiday, so the
  // last day is Thursday 2 January 2568.
  await fillDate(page, 'treatment_date', { d: 1, m: 1, y: 2023 });
  await fillDate(page, 'damage_known_date', { d: 1, m: 1, y: 2023 });
  await page.locator('#damage_known_date-year').blur();
  const live = page.locator('#damage_known_date-error');
  await live.waitFor({ timeout: 5000 });
  assert.match(await live.textContent(), /วันสุดท้ายที่ยื่นได้คือ 2 มกราคม 2568/, 'checked as the person types');
  await page.getByRole('button', { name: 'บันทึกและไปต่อ' }).click();
  await page.waitForURL(/\/treatment$/);
  const summary = page.locator('.error-summary');
  assert.match(await summary.textContent(), /วันสุดท้ายที่ยื่นได้คือ 2 มกราคม 2568/, 'and again by the server');
  await shot(page, 'out-of-window');
  await page.context().close();
});

test('on a 360 px phone screen nothing scrolls sideways', async () => {
  const page = await newPage(browser, { viewport: { width: 360, height: 740 } });
  for (const path of ['/', '/file', '/check', '/offices']) {
    await page.goto(server.url + path);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 360, `${path} is ${wide}px wide`);
  }
  await page.goto(server.url + '/file');
  await page.getByRole('button', { name: 'เริ่มกรอกแบบฟอร์ม' }).click();
  await page.waitForURL(/\/filer$/);
  await page.goto(page.url().replace(/filer$/, 'treatment'));
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 360);
  await shot(page, 'phone-treatment');
  await page.context().close();
});

test('axe-core finds no WCAG A/AA violations on the public pages', async () => {
  const page = await newPage(browser);
  const pages = ['/', '/offices', '/file', '/check', '/check?e=nomatch'];
  await page.goto(server.url + '/file');
  await page.getByRole('button', { name: 'เริ่มกรอกแบบฟอร์ม' }).click();
  await page.waitForURL(/\/filer$/);
  const draft = new URL(page.url()).pathname.replace(/\/filer$/, '');
  // A step showing errors, and the English versions too.
  await page.getByRole('button', { name: 'บันทึกและไปต่อ' }).click();
  await page.waitForURL(/\/filer$/);
  pages.push(`${draft}/filer`, `${draft}/patient`, `${draft}/treatment`, `${draft}/damage`, `${draft}/documents`, `${draft}/check`);
  const found = [];
  for (const lang of ['th', 'en']) {
    await page.goto(`${server.url}/lang/${lang}?next=/`);
    for (const path of pages) {
      await page.goto(server.url + path);
      const v = await axe(page);
      if (v.length) found.push({ lang, path, v });
    }
  }
  assert.deepEqual(found, []);
  await page.context().close();
});
