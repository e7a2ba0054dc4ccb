// End to end in real headless Chromium: the built pane (addin/dist) in browser mode against the real service on a
// fresh embedded database with a training runner. Upload a workbook file and a holidays calendar, train a store, run
// bulk predictions, open a forecast chart, download the result workbooks and check their sheets; a screenshot of each
// page goes to addin/test-output/. Prediction steps run when the service answers the prediction endpoints (they are
// skipped, with the reason, while it says "No endpoint"); addin/test-output/e2e-report.json lists what ran.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Download, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import * as XLSX from 'xlsx';
import { generateDemoSales } from '../../service/src/demo/generate';
import { startTestServer, type TestServer } from '../../service/src/testing/server';
import { buildPane, paneIsStale } from '../scripts/build-if-stale.mjs';
import { startPaneServer, type PaneServer } from './paneServer';

const addin = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUTPUT = join(addin, 'test-output');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const STORE = 'S001';
const PRODUCTS = 6;
/** A buyer's own holiday list, inside the sales dates. */
const HOLIDAYS_CSV = 'Date,Holiday,Type\n2024-12-25,Christmas,National\n2025-01-01,New Year,National\n2025-05-26,Memorial Day,National\n';

const missingChromium = existsSync(CHROMIUM) ? null : `${CHROMIUM} is missing (apt-get install -y chromium)`;

/** Demo sales as a buyer's workbook: Kaggle-style headers, real date cells. */
function salesWorkbook(): Buffer {
  const records = generateDemoSales({ stores: [STORE], productsPerStore: PRODUCTS, days: 200, endDate: '2025-06-30' });
  const header = [
    'Date',
    'Store ID',
    'Product ID',
    'Category',
    'Region',
    'Inventory Level',
    'Units Sold',
    'Units Ordered',
    'Price',
    'Discount',
    'Holiday/Promotion',
  ];
  const rows = records.map((r) => [
    r.date,
    r.storeId,
    r.productId,
    r.category,
    r.region,
    r.inventoryLevel,
    r.unitsSold,
    r.unitsOrdered,
    r.price,
    r.discount,
    r.promotion ? 1 : 0,
  ]);
  const sheet = XLSX.utils.aoa_to_sheet([header, ...rows]);
  rows.forEach((r, i) => {
    const address = XLSX.utils.encode_cell({ r: i + 1, c: 0 });
    sheet[address] = { t: 'n', v: Math.round((Date.parse(`${r[0]}T00:00:00Z`) - Date.UTC(1899, 11, 30)) / 86_400_000), z: 'yyyy-mm-dd' };
  });
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([['Weekly export from the till system']]), 'About');
  XLSX.utils.book_append_sheet(book, sheet, 'Sales');
  return Buffer.from(XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
}

async function readDownload(download: Download): Promise<XLSX.WorkBook> {
  const path = join(OUTPUT, download.suggestedFilename());
  await download.saveAs(path);
  return XLSX.read(readFileSync(path), { type: 'buffer' });
}

const report: { step: string; ran: boolean; note?: string; ms?: number }[] = [];

describe.skipIf(missingChromium)(`task pane in Chromium${missingChromium ? ` (skipped: ${missingChromium})` : ''}`, () => {
  let service: TestServer;
  let pane: PaneServer | null = null;
  let paneUrl = '';
  let servedBy: 'service' | 'addin/e2e/paneServer.ts' = 'service';
  let profile = '';
  let browser: BrowserContext;
  let page: Page;
  let predictions: { available: boolean; why: string } = { available: false, why: 'not probed' };
  const errors: string[] = [];

  const shot = (name: string) => page.screenshot({ path: join(OUTPUT, `${name}.png`), fullPage: true });
  const openTab = async (name: string) => {
    await page.getByRole('tab', { name, exact: true }).click();
    await page.getByRole(name === 'Settings' ? 'form' : 'region', { name: PAGE_REGION[name] }).waitFor();
  };
  const step = async (ctx: TestContext, name: string, needsPredictions: boolean, body: () => Promise<void>) => {
    if (needsPredictions && !predictions.available) {
      report.push({ step: name, ran: false, note: predictions.why });
      ctx.skip(`prediction endpoints not available yet: ${predictions.why}`);
    }
    const started = Date.now();
    try {
      await body();
    } catch (err) {
      await shot(`failed-${name}`).catch(() => {});
      report.push({ step: name, ran: true, note: `failed: ${(err as Error).message.split('\n')[0]}` });
      throw err;
    }
    report.push({ step: name, ran: true, ms: Date.now() - started });
  };

  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    const stale = paneIsStale();
    if (stale && !buildPane({ quiet: true })) throw new Error('Vite is not installed: cannot build the pane');
    service = await startTestServer('pglite', { training: true });
    // The service serves the built pane itself once that is wired; until then a small server does, forwarding
    // the API calls so that the pane still talks to the service on its own origin.
    const own = await fetch(`${service.url}/taskpane.html`).catch(() => null);
    if (own?.ok && (own.headers.get('content-type') ?? '').includes('text/html')) {
      paneUrl = service.url;
    } else {
      pane = await startPaneServer(join(addin, 'dist'), service.url);
      paneUrl = pane.url;
      servedBy = 'addin/e2e/paneServer.ts';
    }
    profile = mkdtempSync(join(tmpdir(), 'pane-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 420, height: 900 },
      acceptDownloads: true,
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('pageerror', (err) => errors.push(err.message));
    page.setDefaultTimeout(20_000);
  }, 120_000);

  afterAll(async () => {
    writeFileSync(join(OUTPUT, 'e2e-report.json'), `${JSON.stringify({ paneUrl, servedBy, predictions, steps: report }, null, 2)}\n`);
    console.log(`[e2e] pane served by ${servedBy}; steps: ${report.map((r) => `${r.step}=${r.ran ? 'ran' : 'skipped'}`).join(', ')}`);
    await browser?.close();
    await pane?.close();
    await service?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  }, 60_000);

  it('opens as a web app and connects to the service', async (ctx) => {
    await step(ctx, 'settings', false, async () => {
      await page.goto(`${paneUrl}/taskpane.html#settings`);
      await expect.poll(() => page.locator('html').getAttribute('data-host')).toBe('browser');
      await page.getByRole('button', { name: 'Test connection' }).click();
      await page.getByText(/Connected: service version .*, 0 stores with data\./).waitFor();
      await shot('01-settings');
    });
  });

  it('uploads a workbook file with the column mapping confirmed', async (ctx) => {
    await step(ctx, 'upload', false, async () => {
      await openTab('Data & Training');
      await page.getByLabel('Sales file').setInputFiles({
        name: 'till-export.xlsx',
        mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        buffer: salesWorkbook(),
      });
      // The first sheet holds a note; the user picks the sales sheet.
      await page.getByRole('combobox', { name: 'Sheet', exact: true }).selectOption('Sales');
      await expect.poll(() => page.getByRole('combobox', { name: 'Column for Date' }).inputValue()).toBe('Date');
      expect(await page.getByRole('combobox', { name: 'Column for Units sold' }).inputValue()).toBe('Units Sold');
      expect(await page.getByRole('combobox', { name: 'Column for Promotion' }).inputValue()).toBe('Holiday/Promotion');
      await page.getByRole('table', { name: 'First rows' }).getByText('2024-12-13').first().waitFor();
      await page.getByRole('button', { name: 'Upload', exact: true }).click();
      await page.getByText(`Stored ${(PRODUCTS * 200).toLocaleString('en-US')} daily records`).waitFor({ timeout: 60_000 });
      await shot('02-data-upload');
    });
  }, 90_000);

  it('uploads a holidays calendar and shows what it covers', async (ctx) => {
    await step(ctx, 'calendar', false, async () => {
      const calendar = page.getByRole('group', { name: 'Events calendar' });
      await calendar.getByText(/^No calendar yet/).waitFor();
      await calendar
        .getByLabel('Calendar file')
        .setInputFiles({ name: 'holidays.csv', mimeType: 'text/csv', buffer: Buffer.from(HOLIDAYS_CSV) });
      await calendar.getByRole('button', { name: 'Upload calendar', exact: true }).click();
      await calendar.getByText(/Read 3 rows from holidays\.csv: 3 new, 0 replaced/).waitFor();
      await calendar.getByText('3 days, 2024-12-25 to 2025-05-26: 3 with events or holidays, 0 SNAP days.').waitFor();
      // The service holds it, so the training below uses it.
      expect(await (await fetch(`${service.url}/calendar`)).json()).toMatchObject({ days: 3, event_days: 3, first_date: '2024-12-25' });
      await shot('02b-calendar');
    });
  }, 60_000);

  it('trains the store with a progress bar and lists the model', async (ctx) => {
    await step(ctx, 'train', false, async () => {
      const train = page.getByRole('group', { name: 'Train' });
      await train.getByRole('combobox', { name: 'Store', exact: true }).selectOption(STORE);
      await train.getByRole('combobox', { name: 'Objective' }).selectOption('tweedie');
      await train.getByLabel('Rounds').fill('30');
      await train.getByRole('button', { name: 'Train', exact: true }).click();
      await train.getByRole('progressbar').waitFor();
      await page.getByText(/Done: \d+ model\(s\) stored\./).waitFor({ timeout: 150_000 });
      const models = page.getByRole('table', { name: 'Model versions' });
      await models.getByText('active', { exact: true }).waitFor();
      expect(await models.getByRole('row').count()).toBeGreaterThanOrEqual(2);
      await shot('03-training');
    });
    // Are the prediction endpoints there yet? Ask the service itself, not the pane.
    const probe = await fetch(`${service.url}/bulk_predict`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ store_id: STORE }),
    });
    const body = (await probe.json().catch(() => ({}))) as { error?: { message?: string } };
    predictions =
      probe.status === 404 && /^No endpoint/.test(body.error?.message ?? '')
        ? { available: false, why: `POST /bulk_predict answers 404 "${body.error?.message}"` }
        : { available: true, why: `POST /bulk_predict answers ${probe.status}` };
  }, 180_000);

  it('runs bulk predictions, expands a product and downloads the result workbook', async (ctx) => {
    await step(ctx, 'bulk', true, async () => {
      await openTab('Bulk');
      await expect.poll(() => page.getByRole('combobox', { name: 'Store', exact: true }).inputValue()).toBe(STORE);
      await page.getByRole('button', { name: 'Run predictions' }).click();
      const table = page.getByRole('table', { name: 'Products' });
      await table.waitFor({ timeout: 60_000 });
      await expect.poll(() => table.locator('tr[data-product]').count()).toBe(PRODUCTS);
      for (const card of ['Products', 'Critical', 'Low', 'Order value', 'Revenue at risk'])
        await page.getByRole('group', { name: card, exact: true }).waitFor();
      await table
        .getByRole('button', { name: /^Details of / })
        .first()
        .click();
      await page.getByText('Projections').waitFor();
      await shot('04-bulk-predictions');

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download .xlsx' }).click()]);
      const book = await readDownload(download);
      expect(book.SheetNames).toEqual([`Bulk Predictions ${STORE}`, `Reorder Plan ${STORE}`]);
      const bulk = XLSX.utils.sheet_to_json<unknown[]>(book.Sheets[`Bulk Predictions ${STORE}`], { header: 1, blankrows: true });
      expect(bulk[2].slice(0, 3)).toEqual(['Product', 'Category', 'Status']);
      expect(bulk.slice(3).filter((r) => r.length).length).toBe(PRODUCTS);

      const [exported] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export .xlsx' }).click()]);
      const serviceBook = await readDownload(exported);
      expect(serviceBook.SheetNames[0]).toBe(`Bulk Predictions ${STORE}`);
      // One column table (shared/bulk-plan-columns.ts): the service's export and the pane's sheet share their header row.
      const exportedRows = XLSX.utils.sheet_to_json<unknown[]>(serviceBook.Sheets[serviceBook.SheetNames[0]], { header: 1 });
      expect(bulk[2]).toEqual(exportedRows[0]);
    });
  }, 120_000);

  it('opens a forecast chart with its interval band and downloads it as a sheet', async (ctx) => {
    await step(ctx, 'forecast', true, async () => {
      await openTab('Forecast');
      await expect.poll(() => page.getByRole('combobox', { name: 'Product', exact: true }).inputValue()).toBe('P0001');
      await page.getByRole('button', { name: 'Forecast', exact: true }).click();
      const chart = page.getByTestId('forecast-chart');
      await chart.waitFor({ timeout: 60_000 });
      await expect.poll(() => chart.locator('.recharts-area-area').count()).toBeGreaterThan(0);
      expect(await chart.locator('.recharts-line-curve').count()).toBe(2);
      await shot('05-forecast');
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download .xlsx' }).click()]);
      const book = await readDownload(download);
      expect(book.SheetNames).toEqual([`Forecast ${STORE} P0001`]);
      const rows = XLSX.utils.sheet_to_json<unknown[]>(book.Sheets[book.SheetNames[0]], { header: 1, blankrows: true });
      expect(rows[2].slice(0, 3)).toEqual(['Date', 'Units sold', 'Expected demand']);
      expect(rows.length).toBeGreaterThan(3 + 28);
    });
  }, 90_000);

  it('shows a smart prediction', async (ctx) => {
    await step(ctx, 'smart', true, async () => {
      await openTab('Smart');
      await expect.poll(() => page.getByRole('combobox', { name: 'Product', exact: true }).inputValue()).toBe('P0001');
      await page.getByLabel('Price change (%)').fill('-10');
      await page.getByRole('button', { name: 'Get recommendation' }).click();
      await page.getByRole('group', { name: 'Recommendation' }).waitFor({ timeout: 60_000 });
      await page.getByText('Stock recommendation').waitFor();
      await shot('06-smart-prediction');
    });
  }, 90_000);

  it('shows the dashboard', async (ctx) => {
    await step(ctx, 'dashboard', false, async () => {
      await openTab('Dashboard');
      await expect.poll(() => page.getByRole('group', { name: 'Stores', exact: true }).textContent()).toContain('1');
      await page.getByRole('group', { name: 'Typical error' }).getByText('%', { exact: false }).first().waitFor();
      await page.getByTestId('forecast-chart').waitFor({ timeout: 60_000 });
      if (predictions.available)
        await expect.poll(() => page.getByRole('group', { name: 'Products needing orders' }).textContent()).toMatch(/\d/);
      await shot('07-dashboard');
      expect(errors).toEqual([]);
    });
  }, 90_000);
});

/** The accessible name of each page's landmark. */
const PAGE_REGION: Record<string, string> = {
  Dashboard: 'Dashboard',
  Bulk: 'Bulk Predictions',
  Smart: 'Smart Prediction',
  Forecast: 'Forecast',
  'Data & Training': 'Data & Training',
  Settings: 'Settings',
};
