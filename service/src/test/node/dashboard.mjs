// Drives the live dashboard in Debian's headless Chromium through playwright-core (no browser download), as an
// operator would: opens /dashboard, tries a wrong key (the page must say so), signs in, waits for the campaign's
// row, reads what the page shows, pauses the campaign with its button, waits for "paused", takes a full-page
// screenshot, and prints one JSON object on stdout: what the page showed, for DashboardTest to hold against the API.
//
// Usage: node dashboard.mjs BASE_URL API_KEY CAMPAIGN_ID SCREENSHOT.png
//   (or env BASE_URL, API_KEY, CAMPAIGN_ID, SCREENSHOT; env CHROMIUM overrides /usr/bin/chromium)
// Exit 0 when every step passed; any failure prints a message on stderr and exits 1.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [baseUrl, apiKey, campaignId, screenshot] = [
  process.argv[2] ?? process.env.BASE_URL,
  process.argv[3] ?? process.env.API_KEY,
  process.argv[4] ?? process.env.CAMPAIGN_ID,
  process.argv[5] ?? process.env.SCREENSHOT,
];
if (!baseUrl || !apiKey || !campaignId || !screenshot) {
  console.error('usage: node dashboard.mjs BASE_URL API_KEY CAMPAIGN_ID SCREENSHOT.png');
  process.exit(2);
}

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const STEP_TIMEOUT_MS = 15_000;
const INVALID_KEY = 'the API key is not valid';

/** What the page shows, read from the DOM as text (the numbers parsed back), not from the page's own variables. */
function readPage(id) {
  const text = (root, selector) => root.querySelector(selector)?.textContent.trim() ?? null;
  const ratio = (s) => {
    const m = /^(\d+)\s*\/\s*(\d+)$/.exec(s ?? '');
    return m ? { used: Number(m[1]), limit: Number(m[2]) } : { text: s };
  };
  const trunks = [...document.querySelectorAll('#trunks tbody tr[data-trunk]')].map((row) => {
    const cps = ratio(text(row, '.cps'));
    const calls = ratio(text(row, '.calls'));
    return { name: row.dataset.trunk, shown_name: text(row, '.name'), cps_used: cps.used, cps_limit: cps.limit,
      calls: calls.used, concurrency_limit: calls.limit, state: text(row, '.state') };
  });
  const callsByState = Object.fromEntries([...document.querySelectorAll('#calls-by-state [data-state]')]
    .map((e) => [e.dataset.state, Number(e.textContent.trim())]));
  const row = document.querySelector(`#campaigns tr[data-campaign="${CSS.escape(id)}"]`);
  const campaign = row && {
    id: row.dataset.campaign,
    name: text(row, '.campaign-name'),
    status: text(row, 'td.status'),
    by_status: Object.fromEntries([...row.querySelectorAll('[data-count]')].map((e) => [e.dataset.count, Number(e.textContent)])),
    progress: text(row, '.progress-text'),
    progress_width: row.querySelector('.fill')?.style.width ?? null,
    rate: text(row, '.rate'),
    eta: text(row, '.eta'),
    abandonment: text(row, '.abandonment'),
    buttons: [...row.querySelectorAll('button:not([hidden])')].map((b) => ({ class: b.className, text: b.textContent })),
  };
  const plot = {
    polylines: [...document.querySelectorAll('#plot polyline')].map((p) => ({
      series: p.dataset.series, points: p.getAttribute('points').split(' ').filter(Boolean).length })),
    legend: [...document.querySelectorAll('#plot-legend [data-series]')].map((li) => li.dataset.series),
  };
  return { trunks, calls_by_state: callsByState, campaign, campaign_rows: document.querySelectorAll('#campaigns tr[data-campaign]').length,
    plot, notice: document.querySelector('#notice')?.hidden ? null : text(document, '#notice') };
}

/** Polls the page until the same reading comes back over three refreshes: figures of a paused campaign settle. */
async function settledReading(page, id) {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  let last = null;
  let same = 0;
  while (Date.now() < deadline) {
    const reading = await page.evaluate(readPage, id);
    // The plot, the rate and the ETA move with the clock (a minute's window); the counts must stand still.
    const key = JSON.stringify({ ...reading, plot: undefined, campaign: { ...reading.campaign, rate: undefined, eta: undefined } });
    same = key === last ? same + 1 : 0;
    last = key;
    if (same >= 3) return reading;
    await page.waitForTimeout(1100);
  }
  throw new Error(`the page's figures did not settle within ${STEP_TIMEOUT_MS} ms: ${last}`);
}

async function step(name, action) {
  try {
    return await action();
  } catch (e) {
    throw new Error(`${name}: ${e.message.split('\n')[0]}`);
  }
}

async function run(browser) {
  const page = browser.pages()[0] ?? await browser.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });

  const response = await step('open /dashboard', () => page.goto(new URL('/dashboard', baseUrl).href));
  if (!response.ok()) throw new Error(`GET /dashboard answered ${response.status()}`);
  const title = await page.title();

  const invalidKeyMessage = await step('a wrong key is refused', async () => {
    await page.fill('#api-key', 'not-the-key');
    await page.click('#sign-in');
    await page.waitForFunction((m) => document.querySelector('#sign-in-error')?.textContent.includes(m), INVALID_KEY);
    return page.textContent('#sign-in-error');
  });

  await step('sign in', async () => {
    await page.fill('#api-key', apiKey);
    await page.click('#sign-in');
    await page.waitForSelector(`#campaigns tr[data-campaign="${campaignId}"]`);
    await page.waitForSelector('#trunks tr[data-trunk]');
  });
  const keyKept = await page.evaluate((k) => Object.values(sessionStorage).includes(k), apiKey);
  const before = await page.evaluate(readPage, campaignId);

  const row = `#campaigns tr[data-campaign="${campaignId}"]`;
  await step('pause the campaign', async () => {
    await page.click(`${row} button.pause`);
    await page.waitForFunction((s) => document.querySelector(s)?.textContent.trim() === 'paused', `${row} td.status`);
    await page.waitForSelector(`${row} button.resume`);
  });
  const after = await step('figures settle', () => settledReading(page, campaignId));
  await step('screenshot', () => page.screenshot({ path: screenshot, fullPage: true }));
  if (pageErrors.length) throw new Error(`the page threw: ${pageErrors.join('; ')}`);
  return { title, invalid_key_message: invalidKeyMessage, key_in_session_storage: keyKept, before, after,
    console_errors: consoleErrors, screenshot };
}

const userDataDir = mkdtempSync(join(tmpdir(), 'trunkline-dashboard-'));
let browser;
let code = 0;
try {
  browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 900 },
  });
  console.log(JSON.stringify(await run(browser)));
} catch (e) {
  console.error(`dashboard.mjs: ${e.message}`);
  code = 1;
} finally {
  await browser?.close().catch(() => {});
  rmSync(userDataDir, { recursive: true, force: true });
}
process.exit(code);
