// The public statistics on the demo data set: figures, charts and tables on a phone-sized
// screen, no WCAG A/AA violations in Thai or English, and the open-data CSV.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startServer, launch, newPage, shot, axe, bangkokDaysAgo } from './helpers.js';

let server;
let browser;

before(async () => {
  server = await startServer();
  // The demo loader works the statistics out as it finishes.
  server.cli('demo', '--claims', '600');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

test('/stats shows the demo figures on a 360 px screen with nothing axe-core flags', async () => {
  const page = await newPage(browser, { viewport: { width: 360, height: 800 } });
  const found = [];
  for (const lang of ['th', 'en']) {
    await page.goto(`${server.url}/lang/${lang}?next=/stats`);
    assert.match(new URL(page.url()).pathname, /^\/stats$/);
    // The country's figures are published (the demo has hundreds of claims).
    const summary = page.locator('#country-summary');
    assert.match(await summary.innerText(), /\d{3}/, 'hundreds of petitions received');
    // Each chart is an image named by its caption and described by the table.
    const charts = page.locator('figure.chart svg[role="img"]');
    assert.equal(await charts.count(), 2);
    for (const svg of await charts.all()) {
      const table = await svg.getAttribute('aria-describedby');
      assert.equal(await page.locator(`#${table}`).count(), 1, 'the chart names its data table');
    }
    assert.equal(await page.locator('#table-regions tbody tr').count(), 14, '13 regions and the country');
    // Only the tables scroll sideways, inside their own focusable regions.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 360);
    const v = await axe(page);
    if (v.length) found.push({ lang, v });
    await shot(page, `stats-${lang}-360`);
  }
  assert.deepEqual(found, []);
  // Another fiscal year is one link away.
  const years = page.getByRole('navigation', { name: 'Fiscal year' }).getByRole('link');
  assert.ok(await years.count() >= 1);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the open-data CSV has a line per region and year, with hidden figures left empty', async () => {
  const res = await fetch(`${server.url}/stats.csv`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/csv/);
  const bytes = new Uint8Array(await res.arrayBuffer());
  assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with a byte-order mark, for spreadsheet programs');
  const lines = new TextDecoder().decode(bytes).trim().split('\r\n');
  assert.match(lines[0], /^fiscal_year_be,region,received,/);
  const body = lines.slice(1);
  assert.equal(body.length % 14, 0, '13 regions and the country per year');
  for (const line of body) {
    for (const cell of line.split(',').slice(2, 5)) {
      assert.ok(cell === '' || cell === '0' || Number(cell) >= 5, `published ${cell} in ${line}`);
    }
  }
});

test('a regional officer reads the office report and downloads it', async () => {
  const page = await newPage(browser);
  await page.goto(server.url + '/staff/login');
  await page.getByLabel('อีเมล').fill('officer13@demo.invalid');
  await page.getByLabel('รหัสผ่าน').fill('section41-demo');
  await page.getByRole('button', { name: 'เข้าสู่ระบบ' }).click();
  await page.waitForURL(/\/staff$/);
  await page.getByRole('link', { name: 'รายงาน' }).click();
  await page.waitForURL(/\/staff\/reports$/);
  assert.match(await page.locator('#report-scope').innerText(), /เขต 13/);
  assert.ok(Number(await page.locator('#report-received').innerText()) > 0, 'the demo has petitions this year');
  // Last fiscal year, through the form.
  const last = await page.locator('#year option').nth(1).getAttribute('value');
  await page.selectOption('#year', last);
  await page.getByRole('button', { name: 'แสดงรายงาน' }).click();
  await page.waitForURL(new RegExp(`year=${last}`));
  assert.match(await page.locator('#report-scope').innerText(), new RegExp(last));
  assert.deepEqual(await axe(page), []);
  await shot(page, 'staff-report');
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#report-xlsx').click()]);
  assert.match(download.suggestedFilename(), new RegExp(`^section41-report-${last}\\.xlsx$`));
  // The queue downloads too.
  await page.goto(server.url + '/staff');
  const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('#export-csv').click()]);
  assert.match(csv.suggestedFilename(), /^section41-claims-\d{4}-\d{2}-\d{2}\.csv$/);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a reviewer deciding a referred case sees decided cases of the same kind', async () => {
  const page = await newPage(browser);
  await page.goto(server.url + '/staff/login');
  await page.getByLabel('อีเมล').fill('reviewer13@demo.invalid');
  await page.getByLabel('รหัสผ่าน').fill('section41-demo');
  await page.getByRole('button', { name: 'เข้าสู่ระบบ' }).click();
  await page.waitForURL(/\/staff$/);
  await page.goto(server.url + '/staff?status=referred');
  await page.locator('#queue tbody tr a').first().click();
  await page.waitForURL(/\/staff\/claims\//);
  const panel = page.locator('#consistency');
  assert.equal(await panel.count(), 1, 'the panel is on the case page');
  assert.match(await panel.innerText(), /ประเภทความเสียหาย: /);
  const country = panel.locator('tbody tr').nth(1);
  assert.match(await country.locator('td').first().innerText(), /^\d+$/, 'the country has decided cases of this kind');
  assert.deepEqual(await axe(page), []);
  await shot(page, 'consistency-panel');
  await page.context().close();
});

async function demoSignIn(page, email) {
  await page.goto(server.url + '/staff/login');
  await page.getByLabel('อีเมล').fill(email);
  await page.getByLabel('รหัสผ่าน').fill('section41-demo');
  await page.getByRole('button', { name: 'เข้าสู่ระบบ' }).click();
  await page.waitForURL(/\/staff$/);
}

test('a regional officer records an account, sends a batch to the bank and takes its result in, on a phone', async () => {
  const page = await newPage(browser, { viewport: { width: 360, height: 800 } });
  await demoSignIn(page, 'officer13@demo.invalid');
  await page.getByRole('link', { name: 'การโอนเงิน' }).click();
  await page.waitForURL(/\/staff\/payments$/);
  // The demo's ordered payments have no account yet: they wait for one.
  const waiting = page.locator('#waiting li');
  assert.ok(await waiting.count() >= 1, 'payments waiting for an account');
  const reference = await waiting.first().getAttribute('data-reference');
  await waiting.first().getByRole('link').click();
  await page.waitForURL(new RegExp(`/staff/claims/${reference}`));
  // From the petition: a number of the wrong length comes back beside its field.
  await page.selectOption('#bank-bank_code', '006');
  await page.fill('#bank-account_number', '12345');
  await page.fill('#bank-account_holder', 'ผู้รับเงิน ทดสอบ');
  await page.locator('#save-account').click();
  await page.waitForURL(/e=invalid/);
  assert.match(await page.locator('#bank-account_number-error').innerText(), /10 หลัก/);
  assert.equal(await page.locator('#bank-account_number').getAttribute('aria-invalid'), 'true');
  assert.deepEqual(await axe(page), []);
  await page.selectOption('#bank-bank_code', '006');
  await page.fill('#bank-account_number', '123-4-56789-0');
  await page.fill('#bank-account_holder', 'ผู้รับเงิน ทดสอบ');
  await page.locator('#save-account').click();
  await page.waitForURL(/account=saved/);
  assert.equal(await page.locator('#account-number').innerText(), '••••••7890', 'shown masked');
  assert.deepEqual(await axe(page), []);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 360);
  await shot(page, 'payment-account-360');

  // The batch: made, its file downloaded for the bank.
  await page.goto(server.url + '/staff/payments');
  assert.equal(await page.locator(`#ready tr[data-reference="${reference}"]`).count(), 1, 'ready for the bank');
  await page.locator('#make-batch').click();
  await page.waitForURL(/batch=made/);
  const batch = page.locator('section.batch').first();
  const label = await batch.getAttribute('data-label');
  const [download] = await Promise.all([page.waitForEvent('download'), batch.getByRole('link', { name: /ดาวน์โหลดไฟล์ส่งธนาคาร/ }).click()]);
  assert.equal(download.suggestedFilename(), `${label}.csv`);
  const file = await readFile(await download.path(), 'utf8');
  assert.match(file, new RegExp(`^\ufeffbatch_id,line,reference,`));
  assert.match(file, new RegExp(`${label},1,${reference},.*,006,ธนาคารกรุงไทย,1234567890,ผู้รับเงิน ทดสอบ,\\d+\\.00,13\r\n`));

  // The bank's answer: paid today.
  const { d, m, y } = bangkokDaysAgo(0);
  const today = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  const results = `batch_id,reference,result,date,transfer_ref,reason\r\n${label},${reference},paid,${today},KTB-E2E-1,\r\n`;
  await batch.locator('input[type="file"]').setInputFiles({ name: 'results.csv', mimeType: 'text/csv', buffer: Buffer.from(results) });
  await batch.getByRole('button', { name: 'นำเข้าผลการโอน' }).click();
  await page.waitForURL(/imported=1\.0\.0/);
  assert.match(await page.locator('#payments-outcome').innerText(), /สำเร็จ 1/);
  assert.deepEqual(await axe(page), []);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 360);
  await shot(page, 'payments-360');
  await page.goto(`${server.url}/staff/claims/${reference}`);
  assert.equal(await page.locator('#status').getAttribute('data-status'), 'paid');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a provincial health office sees its own province and reads its report', async () => {
  const page = await newPage(browser);
  await demoSignIn(page, 'pho50@demo.invalid');
  assert.match(await page.locator('.staff-bar').innerText(), /สำนักงานสาธารณสุขจังหวัดเชียงใหม่/);
  assert.equal(await page.getByRole('link', { name: 'การโอนเงิน' }).count(), 0, 'no payments for a provincial office');
  assert.equal(await page.getByRole('link', { name: 'ยื่นคำร้องแทนผู้ร้อง' }).count(), 1, 'it files on someone\'s behalf');
  await page.getByRole('link', { name: 'รายงาน' }).click();
  await page.waitForURL(/\/staff\/reports$/);
  assert.match(await page.locator('#report-scope').innerText(), /จังหวัดเชียงใหม่/);
  assert.deepEqual(await axe(page), []);
  await shot(page, 'provincial-office-report');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
