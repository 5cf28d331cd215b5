// Starts the real server on a fresh SQLite database and drives Debian's Chromium.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
export const artifacts = join(here, '..', 'artifacts');
mkdirSync(artifacts, { recursive: true });

export async function startServer() {
  const dataDir = mkdtempSync(join(tmpdir(), 's41-e2e-'));
  const bin = process.env.SECTION41_BIN || join(root, 'target', 'debug', 'section41');
  const proc = spawn(bin, ['serve'], {
    cwd: root,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      LEPTOS_SITE_ADDR: '127.0.0.1:0',
      LEPTOS_SITE_ROOT: process.env.SITE_ROOT || join(root, 'target', 'site'),
      DATABASE_URL: process.env.E2E_DATABASE_URL || '',
      // Each request's status and time too: a slow or hung page shows in the kept log.
      RUST_LOG: 'warn,tower_http::trace=info,server::http=info',
      NO_COLOR: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  proc.stderr.on('data', (d) => { log += d; });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 30000);
    proc.stdout.on('data', (d) => {
      log += d;
      const m = /running at (http:\/\/[^\s/]+)\//.exec(log);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.on('exit', (code) => reject(new Error(`server exited ${code}:\n${log}`)));
  });
  const cli = (...args) => execFileSync(bin, args, {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: process.env.E2E_DATABASE_URL || '', RUST_LOG: 'warn' },
    encoding: 'utf8',
  });
  // The server's warnings and errors are kept beside the screenshots, so a failure can be
  // read afterwards (a hang or a 500 shows there, not in the test's own output).
  const logFile = join(artifacts, `server-${process.pid}-${Date.now()}.log`);
  const stop = () => {
    writeFileSync(logFile, log);
    proc.kill('SIGTERM');
  };
  return { url, dataDir, cli, stop, log: () => log };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/// A page that records console errors (CSP violations show up there) and failed requests.
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ locale: 'th-TH', ...options });
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (m) => { if (m.type() === 'error') page.problems.push(`${page.url()}: ${m.text()}`); });
  page.on('pageerror', (e) => page.problems.push(String(e)));
  page.on('response', async (r) => {
    if (r.request().resourceType() !== 'document') return;
    const csp = (await r.allHeaders())['content-security-policy'] || '';
    if (process.env.E2E_TRACE) console.error('DOC', r.request().method(), r.status(), r.url(), csp.slice(0, 40));
    if (r.status() < 300 && !csp.includes("'nonce-")) page.problems.push(`${r.url()} (${r.status()}): page served without its nonce CSP`);
  });
  return page;
}

/// Waits until the Leptos app has hydrated (the wasm bundle ran and took over the page).
export async function waitForHydration(page) {
  await page.waitForFunction(() => window.__s41_hydrated === true || document.documentElement.dataset.hydrated === 'true', null, { timeout: 20000 });
}

export async function shot(page, name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

const axeSource = readFileSync(join(here, '..', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/// Runs axe-core (WCAG 2.0–2.2 A and AA rules) and returns the violations.
export async function axe(page) {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  });
}

/// ISO parts of a date `days` before today in Bangkok.
export function bangkokDaysAgo(days) {
  const now = new Date(Date.now() + 7 * 3600 * 1000 - days * 86400 * 1000);
  return { d: now.getUTCDate(), m: now.getUTCMonth() + 1, y: now.getUTCFullYear() };
}

export const STAFF_PASSWORD = 'correct horse battery';

/// A new page signed in to the staff side as `email`, on the queue.
export async function staffSignIn(browser, server, email) {
  const page = await newPage(browser);
  await page.goto(server.url + '/staff/login');
  await page.getByLabel('อีเมล').fill(email);
  await page.getByLabel('รหัสผ่าน').fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: 'เข้าสู่ระบบ' }).click();
  await page.waitForURL(/\/staff$/);
  return page;
}
