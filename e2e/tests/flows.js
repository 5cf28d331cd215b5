// Flows shared by the browser tests: filing a claim through the form as a person would.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { waitForHydration, shot, bangkokDaysAgo, artifacts } from './helpers.js';

export const pdfPath = join(artifacts, 'id-card.pdf');
writeFileSync(pdfPath, '%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

export async function fillDate(page, name, { d, m, y }) {
  await page.fill(`#${name}`, String(d));
  await page.fill(`#${name}-month`, String(m));
  await page.fill(`#${name}-year`, String(y + 543)); // Buddhist era, as Thai people write it
}

/// The injured person's step, as Somsri fills it for herself (her email only when given).
export async function fillPatient(page, { email } = {}) {
  await page.getByLabel('ชื่อ-นามสกุล').fill('สมศรี มีสุข');
  await page.getByLabel('เลขประจำตัวประชาชน 13 หลัก').fill('1101700230708');
  await page.getByLabel('ที่อยู่ที่ติดต่อได้สะดวก').fill('12 หมู่ 3 ต.ในเมือง อ.เมือง จ.ขอนแก่น 40000');
  await page.getByLabel('เบอร์โทรศัพท์').fill('0812345678');
  if (email) await page.getByLabel('อีเมล (ถ้ามี)').fill(email);
}

/// Files a complete claim through the form; returns { reference, code }.
export async function fileClaim(page, server, label, { hydrated }) {
  await page.goto(server.url + '/');
  if (hydrated) await waitForHydration(page);
  await page.getByRole('link', { name: 'เริ่มยื่นคำร้อง' }).click();
  await page.getByRole('button', { name: 'เริ่มกรอกแบบฟอร์ม' }).click();
  await page.waitForURL(/\/filer$/);
  if (hydrated) await waitForHydration(page);
  await page.getByLabel('ฉันเป็นผู้ได้รับความเสียหาย').check();
  await shot(page, `${label}-1-filer`);
  await page.getByRole('button', { name: 'บันทึกและไปต่อ' }).click();
  await page.waitForURL(/\/patient$/);
  await fillPatient(page, { email: 'somsri@example.org' });
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
  await page.locator('.file-list').getByText(/^id-card\.pdf \(/).waitFor(); // the uploaded file is listed
  await shot(page, `${label}-4-documents`);
  await page.getByRole('link', { name: 'ไปต่อ' }).click();
  await page.waitForURL(/\/check$/);
  await page.getByText('สมศรี มีสุข').waitFor();
  await page.getByText('สำนักงานหลักประกันสุขภาพแห่งชาติ เขต 7 ขอนแก่น').waitFor(); // routed to region 7
  await shot(page, `${label}-5-check-answers`);
  await page.getByRole('button', { name: 'ยืนยันและส่งคำร้อง' }).click();
  await page.waitForURL(/\/done$/);
  const reference = (await page.locator('#reference').textContent()).trim();
  const code = (await page.locator('#access-code').textContent()).trim();
  assert.match(reference, /^S41-25\d\d-[2-9A-Z]{6}$/);
  assert.match(code, /^[2-9A-Z]{4}-[2-9A-Z]{4}$/);
  await shot(page, `${label}-6-confirmation`);
  // The receipt, as a PDF whose text names the claim and the person.
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#receipt-pdf').click()]);
  const pdf = join(artifacts, `${label}-receipt.pdf`);
  await download.saveAs(pdf);
  const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
  assert.ok(text.includes(reference), `the receipt names ${reference}`);
  assert.ok(text.includes('สมศรีมีสุข'), 'the receipt names the person harmed');
  assert.ok(text.includes('ใบรับคำร้องขอรับเงินช่วยเหลือเบื้องต้น'));
  return { reference, code };
}


// Ticks every item of the screening checklist on an open case page, records the UC right
// as verified, and saves it.
export async function completeChecklist(page) {
  const boxes = page.locator('#checklist input[type="checkbox"]');
  for (let i = 0; i < await boxes.count(); i++) await boxes.nth(i).check();
  await page.getByLabel('ยืนยันแล้ว เป็นผู้มีสิทธิ').check();
  await page.getByLabel('ตรวจสอบสิทธิด้วยวิธีใด').fill('ระบบตรวจสอบสิทธิ สปสช.');
  await page.getByRole('button', { name: 'บันทึกรายการตรวจสอบ' }).click();
  await page.waitForURL(/checked=1/);
  await page.locator('#checklist-saved').waitFor();
}
