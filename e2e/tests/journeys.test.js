// Browser journeys: what a person filing a claim would click, in Thai, with and without
// JavaScript, on a phone-sized screen; and axe-core on every public page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, waitForHydration, shot, axe } from './helpers.js';
import { fileClaim, fillDate, fillPatient } from './flows.js';

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
  const claim = await fileClaim(page, server, 'js', { hydrated: true });
  await checkStatus(page, 'js', claim);
  assert.deepEqual(page.problems, [], 'no console errors (a CSP violation would be one)');
  await page.context().close();
});

test('the same journey works with JavaScript disabled', async () => {
  const page = await newPage(browser, { javaScriptEnabled: false });
  const claim = await fileClaim(page, server, 'nojs', { hydrated: false });
  await checkStatus(page, 'nojs', claim);
  await page.context().close();
});

test('what a person types before the page\'s script has run is kept: no false message, and the form goes on', async () => {
  // A slow phone: the page is there and the person types while the script still loads.
  const page = await newPage(browser);
  let release;
  const loaded = new Promise((r) => { release = r; });
  await page.route(/\.wasm$/, async (route) => { await loaded; await route.continue(); });
  await page.goto(server.url + '/file');
  await page.getByRole('button', { name: 'เริ่มกรอกแบบฟอร์ม' }).click();
  await page.waitForURL(/\/filer$/);
  await page.getByLabel('ฉันเป็นผู้ได้รับความเสียหาย').check();
  await page.getByRole('button', { name: 'บันทึกและไปต่อ' }).click();
  await page.waitForURL(/\/patient$/);
  await fillPatient(page);
  release();
  await waitForHydration(page);
  // The live check is running once an answer typed now is checked as the person leaves it.
  const email = page.getByLabel('อีเมล (ถ้ามี)');
  await email.fill('somsri@');
  await email.blur();
  await page.locator('.field-error').first().waitFor({ timeout: 10000 });
  // Leaving the boxes filled before it ran shows nothing against them.
  for (const label of ['ชื่อ-นามสกุล', 'เลขประจำตัวประชาชน 13 หลัก', 'ที่อยู่ที่ติดต่อได้สะดวก', 'เบอร์โทรศัพท์']) {
    await page.getByLabel(label).focus();
    await page.getByLabel(label).blur();
  }
  assert.equal(await page.locator('.field-error').count(), 1, 'one message, for the email alone');
  assert.match(await page.locator('.field-error').textContent(), /อีเมล/);
  await email.fill('somsri@example.org');
  await page.getByRole('button', { name: 'บันทึกและไปต่อ' }).click();
  await page.waitForURL(/\/treatment$/);
  assert.deepEqual(page.problems, []);
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
