// Intake checks a Gold Card right through the rights service (here `section41 rights-sim`,
// the same contract) from the screening checklist, and sees the answer in plain words.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, launch, shot, axe, bangkokDaysAgo, staffSignIn } from './helpers.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let server;
let browser;
let sim;

before(async () => {
  const bin = process.env.SECTION41_BIN || join(root, 'target', 'debug', 'section41');
  sim = spawn(bin, ['rights-sim'], { env: { ...process.env, RIGHTS_SIM_ADDR: '127.0.0.1:0', RIGHTS_API_TOKEN: 'e2e-token' } });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`rights-sim did not start: ${out}`)), 10000);
    sim.stdout.on('data', (d) => {
      out += d;
      const m = /at (http:\/\/[^\s]+) /.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
  });
  process.env.RIGHTS_API_URL = url;
  process.env.RIGHTS_API_TOKEN = 'e2e-token';
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.stop();
  sim?.kill('SIGTERM');
});

const iso = ({ d, m, y }) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

test('intake checks the right through the rights service on the screening checklist', async () => {
  server.cli('user', 'add', '--email', 'intake1@nhso.test', '--role', 'intake:1', '--password', 'correct horse battery');
  const res = await fetch(`${server.url}/api/v1/claims`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      filer: { relation: 'self' },
      patient: { name: 'ผู้ป่วย เชียงใหม่', national_id: '1101700230708', address: '1 ถนนห้วยแก้ว', phone: '0812345678' },
      service_unit: { name: 'โรงพยาบาลนครพิงค์', province_code: '50' },
      treatment_date: iso(bangkokDaysAgo(15)),
      damage_known_date: iso(bangkokDaysAgo(10)),
      damage_description: 'แพ้ยาหลังฉีดยา',
      burden: 'ค่ารักษาต่อเนื่อง',
    }),
  });
  assert.equal(res.status, 201);
  const { reference } = await res.json();
  const page = await staffSignIn(browser, server, 'intake1@nhso.test');
  await page.goto(`${server.url}/staff/claims/${reference}`);
  await page.getByRole('button', { name: 'เริ่มตรวจสอบคำร้อง' }).click();
  await page.waitForURL(new RegExp(`/staff/claims/${reference}`));
  await page.getByRole('button', { name: 'ตรวจสอบสิทธิผ่านระบบ สปสช.' }).click();
  await page.waitForURL(/rights=verified/);
  assert.match(await page.locator('#rights-said').innerText(), /เป็นผู้มีสิทธิหลักประกันสุขภาพแห่งชาติ/);
  assert.match(await page.locator('#rights-checks').innerText(), /10670 โรงพยาบาลนครพิงค์/);
  // The checklist now records the right as verified, with how.
  assert.ok(await page.getByLabel('ยืนยันแล้ว เป็นผู้มีสิทธิ').isChecked());
  assert.match(await page.getByLabel('ตรวจสอบสิทธิด้วยวิธีใด').inputValue(), /ระบบตรวจสอบสิทธิ สปสช\./);
  assert.deepEqual(await axe(page), []);
  await shot(page, 'rights-check');
  await page.context().close();
});
