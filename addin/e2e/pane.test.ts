// End to end in real headless Chromium: the built pane (addin/dist) in browser mode against the real service on a
// fresh embedded database with a training runner. Upload a workbook file (with product names) and a holidays
// calendar, train a store, run bulk predictions, open a forecast chart, download the result workbooks and check their
// sheets, all in a 400 px task pane. Then walk every page at 400 px (a task pane) and at 1280 px (a wide screen):
// nothing wider than the page, no card value cut off, no raw model feature names in "Why", no serious or critical
// axe-core violation, a screenshot of each (addin/test-output/<page>-<width>.png; README's pictures are copies of the
// 400 px ones). Prediction steps run when the service answers the prediction endpoints (they are skipped, with the
// reason, while it says "No endpoint"); addin/test-output/e2e-report.json lists what ran and what axe found.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Download, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import * as XLSX from 'xlsx';
import { generateDemoSales } from '../../service/src/demo/generate';
import { seedDemoData } from '../../service/src/demo/seed';
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
/** The workbook names its products in words; the pickers show "P0001 · Orange juice 1l". */
const PRODUCT_NAMES = [
  'Orange juice 1l',
  'Sourdough loaf 800g',
  'Oat milk 1l',
  'Free-range eggs x6',
  'Greek yoghurt 500g',
  'Espresso beans 1kg',
];
const nameOf = (productId: string) => PRODUCT_NAMES[(Number(productId.replace(/\D/g, '')) - 1) % PRODUCT_NAMES.length];
const WIDTHS = [400, 1280] as const;
const AXE = resolve(addin, '..', 'node_modules', 'axe-core', 'axe.min.js');
/** Model feature names as the model knows them: never shown outside "Advanced". */
const RAW_FEATURE = /\b(lag|roll)_\d+|dow_\d/;
/** A buyer's own holiday list, inside the sales dates. */
const HOLIDAYS_CSV = 'Date,Holiday,Type\n2024-12-25,Christmas,National\n2025-01-01,New Year,National\n2025-05-26,Memorial Day,National\n';

const missingChromium = existsSync(CHROMIUM) ? null : `${CHROMIUM} is missing (apt-get install -y chromium)`;

/** Demo sales as a buyer's workbook: Kaggle-style headers, a product name column, real date cells. */
function salesWorkbook(): Buffer {
  const records = generateDemoSales({ stores: [STORE], productsPerStore: PRODUCTS, days: 200, endDate: '2025-06-30' });
  const header = [
    'Date',
    'Store ID',
    'Product ID',
    'Product Name',
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
    nameOf(r.productId),
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

interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}
const walk: { page: string; width: number; axe: AxeViolation[] }[] = [];
/** Screenshots on the way whose page was wider than the pane or cut a card value off. */
const flowLayout: { shot: string; overflow: string | null; clipped: string[] }[] = [];

/** Each page of the walk, its tab, what to do to show it filled in, and whether that needs predictions. */
const WALK: { tab: string; shot: string; needsPredictions: boolean; show: (page: Page) => Promise<void> }[] = [
  {
    tab: 'Dashboard',
    shot: 'dashboard',
    needsPredictions: false,
    show: async (page) => {
      await page.getByTestId('forecast-chart').waitFor({ timeout: 60_000 });
    },
  },
  {
    tab: 'Bulk',
    shot: 'bulk',
    needsPredictions: true,
    show: async (page) => {
      await page.getByRole('button', { name: 'Run predictions' }).click();
      const table = page.getByRole('table', { name: 'Products' });
      await table.waitFor({ timeout: 60_000 });
      await table
        .getByRole('button', { name: /^Details of / })
        .first()
        .click();
      await page.getByText('Projections').waitFor();
      const explain = page.getByRole('button', { name: 'Explain this prediction' });
      if (await explain.isVisible()) {
        await explain.click();
        await page.getByRole('group', { name: 'Explanation' }).waitFor({ timeout: 60_000 });
      }
    },
  },
  {
    tab: 'Forecast',
    shot: 'forecast',
    needsPredictions: true,
    show: async (page) => {
      await page.getByRole('button', { name: 'Forecast', exact: true }).click();
      await page.getByTestId('forecast-chart').waitFor({ timeout: 60_000 });
    },
  },
  {
    tab: 'Smart',
    shot: 'smart',
    needsPredictions: true,
    show: async (page) => {
      await page.getByLabel('Price change (%)').fill('-10');
      await page.getByRole('button', { name: 'Get recommendation' }).click();
      await page.getByRole('group', { name: 'Recommendation' }).waitFor({ timeout: 60_000 });
    },
  },
  {
    tab: 'Data & Training',
    shot: 'data',
    needsPredictions: false,
    show: async (page) => {
      await page.getByRole('table', { name: 'Model versions' }).waitFor();
    },
  },
  {
    tab: 'Settings',
    shot: 'settings',
    needsPredictions: false,
    show: async (page) => {
      await page.getByRole('button', { name: 'Test connection' }).waitFor();
    },
  },
];

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

  /** A screenshot named by page (and state) and the pane's width: `bulk-400.png`, `data-upload-400.png`. */
  const shot = async (name: string) => {
    const width = page.viewportSize()?.width ?? 0;
    // Recorded, not asserted, for the steps on the way (a result message, a table): the walk below asserts.
    const layout = await page.evaluate(measureLayout).catch(() => null);
    if (layout && (layout.overflow || layout.clipped.length))
      flowLayout.push({ shot: `${name}-${width}`, overflow: layout.overflow, clipped: layout.clipped });
    await page.screenshot({ path: join(OUTPUT, `${name}-${width}.png`), fullPage: true });
  };
  /** Opens a page by its tab, or from the "More" menu when its tab did not fit the pane. */
  const openTab = async (name: string) => {
    const tab = page.getByRole('tab', { name, exact: true });
    if (await tab.isVisible()) await tab.click();
    else {
      await page.getByRole('tab', { name: /^More pages/ }).click();
      await page.getByRole('menuitem', { name, exact: true }).click();
    }
    await page.getByRole(name === 'Settings' ? 'form' : 'region', { name: PAGE_REGION[name] }).waitFor();
    await expect.poll(() => page.getByRole('tab', { name, exact: true }).getAttribute('aria-selected')).toBe('true');
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
      await shot(`failed-${name.replace(/-\d+$/, '')}`).catch(() => {});
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
      viewport: { width: WIDTHS[0], height: 900 },
      acceptDownloads: true,
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('pageerror', (err) => errors.push(err.message));
    page.setDefaultTimeout(20_000);
  }, 120_000);

  afterAll(async () => {
    writeFileSync(
      join(OUTPUT, 'e2e-report.json'),
      `${JSON.stringify({ paneUrl, servedBy, predictions, steps: report, walk, flowLayout }, null, 2)}\n`,
    );
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
      await shot('settings-connected');
    });
  });

  it('says when the data is a demo, offers the three steps to start, and removes the demo data', async (ctx) => {
    await step(ctx, 'demo', false, async () => {
      await seedDemoData(service.db);
      await openTab('Dashboard');
      const banner = page.getByRole('region', { name: 'Demo data' });
      await banner.waitFor();
      expect(await banner.textContent()).toMatch(/demo/i);
      await page.getByText('Start with your own data').waitFor();
      await shot('dashboard-demo');
      await banner.getByRole('button', { name: 'Remove demo data' }).click();
      await banner.waitFor({ state: 'detached' });
      const stores = (await (await fetch(`${service.url}/stores`)).json()) as { stores: unknown[] };
      expect(stores.stores).toEqual([]);
      await page.getByText('Get started').waitFor();
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
      await shot('data-upload');
      // The product names were stored beside the ids.
      const listed = (await (await fetch(`${service.url}/products/${STORE}`)).json()) as {
        products: { product_id: string; description?: string }[];
      };
      expect(listed.products.map((p) => [p.product_id, p.description])).toEqual(
        Array.from({ length: PRODUCTS }, (_, i) => [`P000${i + 1}`, PRODUCT_NAMES[i]]),
      );
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
      // Its days in the pane's locale (the browser's here: no workbook), as the pane's date formatter writes a day.
      const [first, last] = await page.evaluate(() =>
        ['2024-12-25', '2025-05-26'].map((d) =>
          new Intl.DateTimeFormat(navigator.language, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
            Date.parse(`${d}T00:00:00Z`),
          ),
        ),
      );
      await calendar.getByText(`3 days, ${first} to ${last}: 3 with events or holidays, 0 SNAP days.`).waitFor();
      // The service holds it, so the training below uses it.
      expect(await (await fetch(`${service.url}/calendar`)).json()).toMatchObject({ days: 3, event_days: 3, first_date: '2024-12-25' });
      await shot('data-calendar');
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
      await page.getByText(/^Done: (\d+ model\(s\) stored|\d+ trained)/).waitFor({ timeout: 150_000 });
      const models = page.getByRole('table', { name: 'Model versions' });
      await models.getByText('active', { exact: true }).waitFor();
      expect(await models.getByRole('row').count()).toBeGreaterThanOrEqual(2);
      await shot('data-training');
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
      // Each product by name beside its id.
      expect(await table.locator('tr[data-product="P0001"] td').nth(1).textContent()).toMatch(/^P0001 · Orange juice 1l/);
      for (const card of ['Products', 'Critical', 'Low', 'Order value', 'Revenue at risk'])
        await page.getByRole('group', { name: card, exact: true }).waitFor();
      await table
        .getByRole('button', { name: /^Details of / })
        .first()
        .click();
      await page.getByText('Projections').waitFor();
      await shot('bulk-predictions');

      // One download: the plan and the reorder sheet, with the columns of the service's export in the same order.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: /^Download( \.xlsx)?$/ }).click(),
      ]);
      const book = await readDownload(download);
      expect(book.SheetNames).toEqual(expect.arrayContaining([`Bulk Predictions ${STORE}`, `Reorder Plan ${STORE}`]));
      const rowsOf = (b: XLSX.WorkBook, name: string) =>
        XLSX.utils.sheet_to_json<unknown[]>(b.Sheets[name], { header: 1, blankrows: true });
      const bulk = rowsOf(book, `Bulk Predictions ${STORE}`);
      const header = bulk.findIndex((r) => r[0] === 'Product');
      expect(bulk[header]).toEqual(expect.arrayContaining(['Product', 'Product name', 'Status']));
      const products = bulk.slice(header + 1).filter((r) => r.length && r[0] !== null && r[0] !== undefined);
      expect(products.length).toBe(PRODUCTS);
      const name = bulk[header].indexOf('Product name');
      expect(products.map((r) => [r[0], r[name]]).sort()).toEqual(PRODUCT_NAMES.map((n, i) => [`P000${i + 1}`, n]));
      // The service's export of the same plan (the same parameters: none asked) is the same sheet, header block and all.
      const exported = XLSX.read(Buffer.from(await (await fetch(`${service.url}/bulk_predict/${STORE}.xlsx`)).arrayBuffer()), {
        type: 'buffer',
      });
      const asText = (rows: unknown[][]) =>
        rows.map((r) => {
          const cells = Array.from(r, (v) => (v === null || v === undefined ? '' : String(v)));
          while (cells.length && cells.at(-1) === '') cells.pop();
          return cells;
        });
      const exportedRows = rowsOf(exported, exported.SheetNames[0]);
      expect(asText(bulk).slice(0, header + 1)).toEqual(asText(exportedRows).slice(0, header + 1));
      expect(Object.fromEntries(bulk.slice(1, header - 1).map((r) => [r[0], r[1]]))).toMatchObject({
        Store: STORE,
        Model: expect.any(String),
      });
      expect(asText(bulk)).toEqual(asText(exportedRows));
    });
  }, 120_000);

  it('opens a forecast chart with its interval band and downloads it as a sheet', async (ctx) => {
    await step(ctx, 'forecast', true, async () => {
      await openTab('Forecast');
      const product = page.getByRole('combobox', { name: 'Product', exact: true });
      await expect.poll(() => product.inputValue()).toBe('P0001 · Orange juice 1l');
      // The picker is searchable: part of a name finds the product.
      await product.fill('oat milk');
      await expect.poll(() => page.getByRole('listbox').getByRole('option').count()).toBe(1);
      await page.getByRole('option', { name: /^P0003 · Oat milk 1l/ }).click();
      await expect.poll(() => product.inputValue()).toBe('P0003 · Oat milk 1l');
      await product.fill('P0001');
      await page.getByRole('option', { name: /^P0001 · Orange juice 1l/ }).click();
      await expect.poll(() => product.inputValue()).toBe('P0001 · Orange juice 1l');
      await page.getByRole('button', { name: 'Forecast', exact: true }).click();
      const chart = page.getByTestId('forecast-chart');
      await chart.waitFor({ timeout: 60_000 });
      // Every interval asked for (80 and 95 by default) is a band, named in the legend; straight segments, a line at
      // the last stored day, the y axis in units per day.
      const levels = (await page.getByLabel('Interval levels (%)').inputValue()).split(',').map((l) => l.trim());
      await expect.poll(() => chart.locator('.recharts-area-area').count()).toBe(levels.length);
      for (const level of levels) await chart.locator('.recharts-legend-item-text', { hasText: `${level}% range` }).waitFor();
      expect(await chart.locator('.recharts-line-curve').count()).toBe(2);
      expect(await chart.locator('.recharts-line-curve').first().getAttribute('d')).not.toMatch(/C/);
      // A vertical line has no width, so it is never "visible": it is there.
      await chart.locator('.recharts-reference-line-line').waitFor({ state: 'attached' });
      await chart.getByText('today', { exact: true }).waitFor();
      await chart.locator('.recharts-label', { hasText: 'units per day' }).waitFor();
      // Whole units in the tooltip, and the day in the user's locale.
      const plot = (await chart.locator('.recharts-cartesian-grid').boundingBox())!;
      await page.mouse.move(plot.x + plot.width * 0.9, plot.y + plot.height / 2);
      const tooltip = chart.locator('.recharts-tooltip-wrapper');
      await expect.poll(() => tooltip.textContent()).toMatch(/Forecast/);
      expect((await tooltip.textContent()) ?? '').not.toMatch(/\d\.\d/);
      // The heading is a day of the chart as the browser's locale writes it.
      const heading = (await tooltip.locator('.recharts-tooltip-label').textContent()) ?? '';
      const lang = await page.evaluate(() => navigator.language);
      const inLocale = new Intl.DateTimeFormat(lang, {
        weekday: 'short',
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        timeZone: 'UTC',
      });
      const days = Array.from({ length: 120 }, (_, i) => inLocale.format(Date.UTC(2025, 5, 1 + i)));
      expect(days, `tooltip heading "${heading}" in ${lang}`).toContain(heading);
      await shot('forecast-chart');
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
      await expect.poll(() => page.getByRole('combobox', { name: 'Product', exact: true }).inputValue()).toBe('P0001 · Orange juice 1l');
      await page.getByLabel('Price change (%)').fill('-10');
      await page.getByRole('button', { name: 'Get recommendation' }).click();
      await page.getByRole('group', { name: 'Recommendation' }).waitFor({ timeout: 60_000 });
      await page.getByText('Stock recommendation').waitFor();
      await shot('smart-recommendation');
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
      await shot('dashboard-chart');
      expect(errors).toEqual([]);
    });
  }, 90_000);

  it('reaches every page by keyboard in a 400 px pane: the tabs on one line, the rest in "More"', async (ctx) => {
    await step(ctx, 'keyboard-tabs', false, async () => {
      await page.setViewportSize({ width: WIDTHS[0], height: 900 });
      await openTab('Dashboard');
      const more = page.getByRole('tab', { name: /^More pages/ });
      await more.waitFor();
      // Arrow keys move along the tab list (Fluent's TabList), to the "More" button at its end.
      await page.getByRole('tab', { name: 'Dashboard', exact: true }).focus();
      await page.keyboard.press('End');
      await expect.poll(() => more.evaluate((el) => el === document.activeElement)).toBe(true);
      await page.keyboard.press('Enter');
      const hidden = page.getByRole('menuitem');
      await hidden.first().waitFor();
      const names = await hidden.allTextContents();
      expect(names.length).toBeGreaterThan(0);
      // The first hidden page, chosen with the keyboard, opens and its tab is shown.
      await page.keyboard.press('Enter');
      await page.getByRole(names[0] === 'Settings' ? 'form' : 'region', { name: PAGE_REGION[names[0]] }).waitFor();
      await expect.poll(() => page.getByRole('tab', { name: names[0], exact: true }).getAttribute('aria-selected')).toBe('true');
    });
  });

  // ---------------------------------------------------------------- the walk: every page at both widths
  for (const width of WIDTHS) {
    for (const visit of WALK) {
      it(`${visit.tab} fits ${width} px: no overflow, no clipped card value, no raw feature name, no serious axe violation`, async (ctx) => {
        await step(ctx, `walk-${visit.shot}-${width}`, visit.needsPredictions, async () => {
          await page.setViewportSize({ width, height: 900 });
          await openTab(visit.tab);
          await visit.show(page);
          // Fonts, charts (ResizeObserver) and the tab overflow settle after a layout change.
          await page.waitForTimeout(300);
          const layout = await page.evaluate(measureLayout);
          const axe = await runAxe(page);
          walk.push({ page: visit.shot, width, ...layout, axe });
          await shot(visit.shot);
          expect(layout.overflow, `the page is ${layout.scrollWidth}px wide in a ${layout.clientWidth}px pane`).toBeNull();
          expect(layout.clipped, 'card values cut off').toEqual([]);
          expect(layout.tabs, 'the tabs are on one line').toBe(1);
          expect(
            layout.why.filter((t) => RAW_FEATURE.test(t)),
            '"Why" in raw feature names',
          ).toEqual([]);
          expect(axe.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.targets.join(', ')})`)).toEqual([]);
        });
      }, 90_000);
    }
  }
});

/** Serious and critical axe-core violations of the page as it is. */
async function runAxe(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations as { id: string; impact: string | null; help: string; nodes: { target: unknown[]; html: string }[] }[];
  });
  return (
    violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      // Tabster's focus bumpers (Fluent's arrow-key groups, e.g. the tab list) are focusable and aria-hidden on
      // purpose: they pass focus on at once and must not be announced. A known false positive ("by design",
      // microsoft/fluentui#27517), left out as Accessibility Insights leaves it out; any other node still counts.
      .map((v) => (v.id === 'aria-hidden-focus' ? { ...v, nodes: v.nodes.filter((n) => !n.html.includes('data-tabster-dummy')) } : v))
      .filter((v) => v.nodes.length > 0)
      .map((v) => ({ id: v.id, impact: v.impact!, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }))
  );
}

/** Runs in the page: horizontal overflow of the body, card values wider than their card, tab rows, "Why" texts. */
function measureLayout() {
  const root = document.documentElement;
  // What sticks out: wider than the page and not inside a box that scrolls or clips it (a table's own scroll area).
  const scrolledAway = (el: HTMLElement) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement)
      if (getComputedStyle(p).overflowX !== 'visible') return true;
    return false;
  };
  const wide = [...document.querySelectorAll<HTMLElement>('body *')]
    .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1 && el.getClientRects().length > 0 && !scrolledAway(el))
    .slice(0, 5)
    .map((el) => `${el.tagName.toLowerCase()}${el.getAttribute('aria-label') ? `[${el.getAttribute('aria-label')}]` : ''}`);
  const overflow = root.scrollWidth > root.clientWidth ? wide.join(', ') || 'something' : null;
  // A card value is the card's figure under its label (cards.tsx): cut off when its content is wider than it.
  const clipped = [...document.querySelectorAll<HTMLElement>('.fui-Card > div')]
    .filter((el) => el.scrollWidth > el.clientWidth + 1)
    .map((el) => `${el.closest('.fui-Card')?.getAttribute('aria-label') ?? 'card'}: "${el.textContent}"`);
  // Visible tabs on more than one line show as different tops.
  const tops = new Set(
    [...document.querySelectorAll<HTMLElement>('[role=tablist][aria-label=Pages] [role=tab]')]
      .filter((el) => el.getClientRects().length > 0)
      .map((el) => Math.round(el.getBoundingClientRect().top)),
  );
  // "Why" as shown: the explanation without its "Advanced" model columns.
  const why = [...document.querySelectorAll<HTMLElement>('[role=group][aria-label=Explanation]')].map((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('details').forEach((d) => d.remove());
    return copy.textContent ?? '';
  });
  return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, overflow, clipped, tabs: tops.size, why };
}

/** The accessible name of each page's landmark. */
const PAGE_REGION: Record<string, string> = {
  Dashboard: 'Dashboard',
  Bulk: 'Bulk Predictions',
  Smart: 'Smart Prediction',
  Forecast: 'Forecast',
  'Data & Training': 'Data & Training',
  Settings: 'Settings',
};
