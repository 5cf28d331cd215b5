// The claimant's path driven from the keyboard, as a new user would walk it, with
// JavaScript on and off, on a phone (360×740) and a desktop (1280×900) screen: focus lands
// on each new page's heading, error summaries take focus and their links reach the field,
// the skip link and the language switch work, and Thai reads as Thai readers expect.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, waitForHydration, shot, axe, bangkokDaysAgo } from './helpers.js';
import { fillDate } from './flows.js';

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

/// What has focus: tag, id, and its text as a screen reader would start reading it.
const focused = (page) => page.evaluate(() => {
  const a = document.activeElement;
  return { tag: a.tagName, id: a.id, cls: a.className, text: (a.textContent || '').trim() };
});

async function headingHasFocus(page, text) {
  // `autofocus` is applied at the page's first rendering opportunity, which may come just
  // after the load event (e.g. while preloaded fonts settle): wait for a frame or two, not more.
  await page.waitForFunction(() => document.activeElement?.tagName === 'H1', null, { timeout: 2000 }).catch(() => {});
  const f = await focused(page);
  assert.equal(f.tag, 'H1', `focus is on the new page's heading, not ${f.tag}#${f.id}.${f.cls} at ${page.url()}`);
  assert.equal(f.text, text);
}

/// Moves to a control and presses a key on it, as a keyboard user does after tabbing there.
async function press(locator, key = 'Enter') {
  await locator.focus();
  await locator.press(key);
}

for (const js of [true, false]) {
  for (const viewport of [{ width: 360, height: 740 }, { width: 1280, height: 900 }]) {
    const label = `${js ? 'js' : 'nojs'}-${viewport.width}`;
    test(`keyboard walk, JavaScript ${js ? 'on' : 'off'}, ${viewport.width}px wide`, async () => {
      const page = await newPage(browser, { javaScriptEnabled: js, viewport });
      const ready = async () => { if (js) await waitForHydration(page); };
      const cont = () => press(page.getByRole('button', { name: 'บันทึกและไปต่อ' }));

      await page.goto(server.url + '/');
      await ready();
      await headingHasFocus(page, 'ขอรับเงินช่วยเหลือเบื้องต้น กรณีได้รับความเสียหายจากการรักษาพยาบาล (มาตรา 41)');
      // Thai headings break between words only: no word's letters sit on two lines.
      const words = await page.$$eval('h1 .word', (ws) => ws.map((w) => [w.textContent, w.getClientRects().length]));
      assert.ok(words.length >= 8, 'the heading marks its words');
      assert.deepEqual(words.filter(([, lines]) => lines > 1), [], 'words broken across lines');
      await shot(page, `kb-${label}-0-home`);

      // The skip link takes focus into the main content.
      await press(page.locator('.skip-link'));
      assert.equal((await focused(page)).id, 'main');

      // "Start now" is a plain link (a link styled as a button needs no button role).
      const start = page.getByRole('link', { name: 'เริ่มยื่นคำร้อง' });
      assert.equal(await start.getAttribute('role'), null);
      await press(start);
      await page.waitForURL(/\/file$/);
      await ready();
      await headingHasFocus(page, 'ยื่นคำร้องขอรับเงินช่วยเหลือเบื้องต้น');

      await press(page.getByRole('button', { name: 'เริ่มกรอกแบบฟอร์ม' }));
      await page.waitForURL(/\/filer$/);
      await ready();
      await headingHasFocus(page, 'ใครเป็นผู้ยื่นคำร้อง');

      // Sending the step empty: the page comes back with its error summary focused, and the
      // summary's link takes focus to the question's first radio.
      await cont();
      await page.waitForURL(/\/filer$/);
      await ready();
      assert.match((await focused(page)).cls, /error-summary/);
      assert.match(await page.title(), /^ข้อผิดพลาด: /);
      await page.keyboard.press('Tab');
      const link = await focused(page);
      assert.equal(link.tag, 'A');
      await page.keyboard.press('Enter');
      assert.equal((await focused(page)).id, 'filer-relation');
      await shot(page, `kb-${label}-1-summary-link`);
      await page.keyboard.press('Space');
      assert.ok(await page.locator('#filer-relation').isChecked());
      await cont();
      await page.waitForURL(/\/patient$/);
      await ready();
      await headingHasFocus(page, 'ผู้ได้รับความเสียหาย');

      // Back, then on again.
      await press(page.getByRole('link', { name: 'ย้อนกลับ' }));
      await page.waitForURL(/\/filer$/);
      await ready();
      await headingHasFocus(page, 'ใครเป็นผู้ยื่นคำร้อง');
      await cont();
      await page.waitForURL(/\/patient$/);
      await ready();

      // Filing for themselves: the browser may fill in their own name and address.
      assert.equal(await page.locator('#patient-name').getAttribute('autocomplete'), 'name');
      assert.equal(await page.locator('#patient-address').getAttribute('autocomplete'), 'street-address');
      await page.getByLabel('ชื่อ-นามสกุล').fill('สมชาย ใจดี');
      await page.getByLabel('เลขประจำตัวประชาชน 13 หลัก').fill('1101700230708');
      await page.getByLabel('ที่อยู่ที่ติดต่อได้สะดวก').fill('5 ถ.นิมมานเหมินท์ อ.เมือง จ.เชียงใหม่ 50200');
      await page.getByLabel('เบอร์โทรศัพท์').fill('0812345678');
      await cont();
      await page.waitForURL(/\/treatment$/);
      await ready();
      await headingHasFocus(page, 'การรักษาและวันที่');

      // Provinces in Thai dictionary order: Chiang Mai under ช, 14th.
      const provinces = await page.locator('#service_unit-province_code option').allTextContents();
      assert.equal(provinces[14], 'เชียงใหม่');
      assert.equal(provinces[13], 'เชียงราย');
      await page.getByLabel('ชื่อโรงพยาบาลหรือสถานพยาบาลที่ให้การรักษา').fill('โรงพยาบาลนครพิงค์');
      await page.getByLabel('จังหวัดของหน่วยบริการ').selectOption({ label: 'เชียงใหม่' });
      // A two-digit year is told it needs four digits.
      const recent = bangkokDaysAgo(40);
      await page.fill('#treatment_date', String(recent.d));
      await page.fill('#treatment_date-month', String(recent.m));
      await page.fill('#treatment_date-year', String((recent.y + 543) % 100));
      await fillDate(page, 'damage_known_date', bangkokDaysAgo(30));
      await cont();
      await page.waitForURL(/\/treatment$/);
      await ready();
      assert.match(await page.locator('.error-summary').textContent(), /ปีต้องมี 4 หลัก เช่น 2568/);
      assert.match((await focused(page)).cls, /error-summary/);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      assert.equal((await focused(page)).id, 'treatment_date');
      await fillDate(page, 'treatment_date', recent);
      await cont();
      await page.waitForURL(/\/damage$/);
      await ready();
      await headingHasFocus(page, 'ความเสียหายและภาระ');
      await page.getByLabel('เกิดความเสียหายอะไรขึ้นจากการรักษา').fill('ได้รับยาผิดขนาด ต้องนอนโรงพยาบาลเพิ่ม 5 วัน');
      await page.getByLabel('ภาระที่ต้องรับผิดชอบตอนนี้').fill('ขาดรายได้ 5 วัน');
      await cont();
      await page.waitForURL(/\/documents$/);
      await ready();
      await headingHasFocus(page, 'เอกสารประกอบ');
      await press(page.getByRole('link', { name: 'ไปต่อ' }));
      await page.waitForURL(/\/check$/);
      await ready();
      await headingHasFocus(page, 'ตรวจสอบคำตอบก่อนส่ง');

      // "Change" goes to the step and, once saved, back to check-your-answers.
      await press(page.getByRole('link', { name: 'แก้ไข ชื่อผู้ได้รับความเสียหาย' }));
      await page.waitForURL(/\/patient\?return=check$/);
      await ready();
      await headingHasFocus(page, 'ผู้ได้รับความเสียหาย');
      await page.getByLabel('ชื่อ-นามสกุล').fill('สมชาย ใจดีมาก');
      await cont();
      await page.waitForURL(/\/check$/);
      await ready();
      await headingHasFocus(page, 'ตรวจสอบคำตอบก่อนส่ง');
      await page.getByText('สมชาย ใจดีมาก').waitFor();

      // The language switch loads the English page.
      await press(page.getByRole('link', { name: 'English' }));
      await page.waitForURL(/\/check$/);
      await ready();
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
      await headingHasFocus(page, 'Check your answers before sending');
      assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), true);
      await shot(page, `kb-${label}-2-english`);
      if (js) assert.deepEqual(await axe(page), []); // axe itself needs JavaScript
      await press(page.getByRole('link', { name: 'ภาษาไทย' }));
      await page.waitForURL(/\/check$/);
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'th');
      assert.deepEqual(page.problems, [], 'no console errors');
      await page.context().close();
    });
  }
}
