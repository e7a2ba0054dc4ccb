// Which file column feeds which canonical field: explicit mapping first, then synonym recognition.
import { CLOSED_HEADERS, HEADER_SYNONYMS as SYNONYMS, MONEY_HEADERS, normaliseHeader, REQUIRED_FIELDS } from '../../../shared/columns';
import { CANONICAL_FIELDS, type CanonicalField, type ColumnMapping, type UnitsFrom } from '../../../shared/schemas';
import { AppError } from '../errors';
import { columnLetter } from './cells';

export { normaliseHeader };

export type Format = 'kaggle' | 'm5' | 'dominicks' | 'transactions' | 'generic';

// A column naming the receipt a line belongs to means each row is one sale, not one day.
const TRANSACTION_IDS = new Set([
  'invoiceno',
  'invoice',
  'invoiceid',
  'invoicenumber',
  'invoicenum',
  'transactionid',
  'transactionno',
  'transactionnumber',
  'txnid',
  'receiptid',
  'receiptno',
  'receiptnumber',
  'receipt',
  'orderid',
  'orderno',
  'ordernumber',
  'basketid',
  'ticketid',
  'ticketno',
  'saleid',
]);

/**
 * Headers of a column that names the product in words ("Orange juice 1l"): kept per product as its description,
 * shown beside the id. Never a canonical field, so a mapping cannot send it elsewhere; the first present wins.
 */
export const DESCRIPTION_HEADERS: readonly string[] = [
  'description',
  'productdescription',
  'itemdescription',
  'productname',
  'itemname',
  'articlename',
  'skuname',
  'itemdesc',
  'productdesc',
  'proddesc',
  'name',
  'bezeichnung',
  'artikelbezeichnung',
  'artikelname',
  'descripcion',
  'designation',
  'libelle',
];

export interface ColumnPlan {
  /** Trimmed header per file column ('' for unnamed columns, which are ignored). */
  headers: string[];
  /** File column index per canonical field. */
  fields: Partial<Record<CanonicalField, number>>;
  /** File columns kept as `extra`. */
  extras: number[];
  /** Column holding an invoice/transaction id, if any. */
  transactionColumn: number | null;
  /** Column naming the product in words (DESCRIPTION_HEADERS), if any: stored per product, not as an extra. */
  descriptionColumn: number | null;
  columns: ColumnMapping;
  format: Format;
  /** Units are derived per row as sales value / price (units_from: sales_value); fields.units_sold is absent. */
  deriveUnits: boolean;
  /** units_sold was mapped on purpose to a column that holds money: forecasts will be in money. */
  moneyAsUnits: boolean;
  /** A gross quantity column left unread because a net one ("Net Qty") was found. */
  grossUnits: number | null;
  /** No product column, or one column feeds both store and product: each store is one product. */
  storeLevel: boolean;
  /** The open field's column says "closed" (1 = closed) rather than "open" (1 = open). */
  openInverted: boolean;
}

export interface PlanOptions {
  unitsFrom?: UnitsFrom;
}

// Columns that may feed two fields at once: a store-level file's store is its product, and a money column mapped on
// purpose as the quantity to forecast is also the sales value.
const SHAREABLE = [
  ['store_id', 'product_id'],
  ['units_sold', 'sales_value'],
];
const NET_UNITS = new Set(SYNONYMS.units_sold.filter((n) => n.startsWith('net')));

export function planColumns(rawHeaders: string[], mapping: ColumnMapping | undefined, options: PlanOptions = {}): ColumnPlan {
  const headers = rawHeaders.map((h) => h.trim());
  checkDuplicates(headers);
  const used = new Set<number>();
  const fields: Partial<Record<CanonicalField, number>> = {};

  if (mapping) applyMapping(headers, mapping, fields, used);

  const normalised = headers.map(normaliseHeader);
  for (const field of CANONICAL_FIELDS) {
    if (fields[field] !== undefined) continue;
    for (const synonym of SYNONYMS[field]) {
      const index = normalised.findIndex((n, i) => n === synonym && !used.has(i) && headers[i] !== '');
      if (index >= 0) {
        fields[field] = index;
        used.add(index);
        break;
      }
    }
  }

  const deriveUnits = options.unitsFrom === 'sales_value';
  const missing = REQUIRED_FIELDS.filter((f) => fields[f] === undefined && !(deriveUnits && f === 'units_sold'));
  if (missing.length === 1 && missing[0] === 'units_sold' && fields.sales_value !== undefined) {
    throw moneyWithoutUnits(headers, fields);
  }
  if (missing.length > 0) {
    const named = headers.filter((h) => h !== '');
    const example = Object.fromEntries(missing.map((f) => [f, '<your column>']));
    throw new AppError(
      422,
      'missing_columns',
      `The file has no column for ${missing.join(', ')}. Its columns are: ${named.map((h) => `"${h}"`).join(', ') || '(none)'}. ` +
        `Rename the columns or send a mapping such as ${JSON.stringify(example)}.`,
      { missing, headers: named },
    );
  }

  if (deriveUnits) checkDerivable(headers, fields);
  const moneyAsUnits =
    fields.units_sold !== undefined && (fields.units_sold === fields.sales_value || MONEY_HEADERS.includes(normalised[fields.units_sold]));
  // Net wins over gross: name the gross column left unread so the buyer sees which one was used.
  let grossUnits: number | null = null;
  if (fields.units_sold !== undefined && mapping?.units_sold === undefined && NET_UNITS.has(normalised[fields.units_sold])) {
    const gross = normalised.findIndex((n, i) => !used.has(i) && headers[i] !== '' && SYNONYMS.units_sold.includes(n) && !NET_UNITS.has(n));
    if (gross >= 0) grossUnits = gross;
  }
  // The money column is read only to derive units; otherwise it stays an extra column, as stored before.
  const salesValue = fields.sales_value;
  if (!deriveUnits && salesValue !== undefined) {
    delete fields.sales_value;
    if (!Object.values(fields).includes(salesValue)) used.delete(salesValue);
  }

  let transactionColumn: number | null = null;
  normalised.forEach((n, i) => {
    if (transactionColumn === null && !used.has(i) && TRANSACTION_IDS.has(n)) transactionColumn = i;
  });
  const descriptionColumn = findDescription(headers, normalised, used, transactionColumn);
  const extras: number[] = [];
  headers.forEach((h, i) => {
    if (h !== '' && !used.has(i) && i !== transactionColumn && i !== descriptionColumn) extras.push(i);
  });

  const columns: ColumnMapping = {};
  for (const field of CANONICAL_FIELDS) {
    const index = fields[field];
    if (index !== undefined) columns[field] = headers[index];
  }
  return {
    headers,
    fields,
    extras,
    transactionColumn,
    descriptionColumn,
    columns,
    format: detectFormat(new Set(normalised), transactionColumn),
    deriveUnits,
    moneyAsUnits,
    grossUnits,
    storeLevel: fields.product_id === undefined || fields.product_id === fields.store_id,
    openInverted: fields.open !== undefined && CLOSED_HEADERS.includes(normalised[fields.open]),
  };
}

/** The column naming the products in words: the first description header present that feeds no field. */
function findDescription(headers: string[], normalised: string[], used: Set<number>, transactionColumn: number | null): number | null {
  for (const name of DESCRIPTION_HEADERS) {
    const index = normalised.findIndex((n, i) => n === name && !used.has(i) && i !== transactionColumn && headers[i] !== '');
    if (index >= 0) return index;
  }
  return null;
}

const quoted = (headers: string[]) =>
  headers
    .filter((h) => h !== '')
    .map((h) => `"${h}"`)
    .join(', ') || '(none)';

/** A file with money but no units: money is not units, so say so and offer the three ways on. */
function moneyWithoutUnits(headers: string[], fields: Partial<Record<CanonicalField, number>>): AppError {
  const money = headers[fields.sales_value!];
  const price = fields.price === undefined ? null : headers[fields.price];
  const derive =
    price === null
      ? `(2) derive units as sales value / price: that needs a price column, which was not recognised; send mapping {"price": "<your price column>"} with units_from=sales_value`
      : `(2) derive units per row as "${money}" / "${price}": send units_from=sales_value`;
  return new AppError(
    422,
    'money_not_units',
    `The file has no units column: "${money}" holds money (sales value), and money is not units sold, so it is not read as units. ` +
      `Choose one: (1) if another column counts the units sold, map it: mapping {"units_sold": "<your units column>"}; ${derive}; ` +
      `(3) to forecast the money itself on purpose (store-level sales planning), map it as the quantity: mapping {"units_sold": "${money}"}; ` +
      `forecasts, stock and order figures will then be in money, not units. The file's columns are: ${quoted(headers)}.`,
    {
      missing: ['units_sold'],
      money_column: money,
      price_column: price,
      headers: headers.filter((h) => h !== ''),
      choices: [
        { mapping: { units_sold: '<your units column>' } },
        price === null ? { mapping: { price: '<your price column>' }, units_from: 'sales_value' } : { units_from: 'sales_value' },
        { mapping: { units_sold: money } },
      ],
    },
  );
}

/** units_from: sales_value needs money and a price, and no units column that would contradict it. */
function checkDerivable(headers: string[], fields: Partial<Record<CanonicalField, number>>): void {
  if (fields.units_sold !== undefined) {
    throw new AppError(
      422,
      'invalid_request',
      `units_from=sales_value derives units from money, but the file has a units column, "${headers[fields.units_sold]}". ` +
        'Leave units_from out to read that column, or map units_sold elsewhere.',
      { field: 'units_from', units_column: headers[fields.units_sold] },
    );
  }
  const lacking = (['sales_value', 'price'] as const).filter((f) => fields[f] === undefined);
  if (lacking.length > 0) {
    const example = Object.fromEntries(lacking.map((f) => [f, '<your column>']));
    throw new AppError(
      422,
      'missing_columns',
      `units_from=sales_value derives units as sales value / price, but the file has no column recognised as ${lacking.join(' or ')}. ` +
        `Its columns are: ${quoted(headers)}. Send a mapping such as ${JSON.stringify(example)}.`,
      { missing: lacking, headers: headers.filter((h) => h !== '') },
    );
  }
}

function checkDuplicates(headers: string[]): void {
  const seen = new Map<string, number>();
  headers.forEach((h, i) => {
    if (h === '') return;
    const key = h.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      throw new AppError(
        422,
        'duplicate_header',
        `The header "${h}" appears more than once (columns ${columnLetter(first)} and ${columnLetter(i)}). Rename one of them so each column has its own name.`,
        { header: h, columns: [columnLetter(first), columnLetter(i)] },
      );
    }
    seen.set(key, i);
  });
}

function applyMapping(headers: string[], mapping: ColumnMapping, fields: Partial<Record<CanonicalField, number>>, used: Set<number>): void {
  const canonical = new Set<string>(CANONICAL_FIELDS);
  const named = headers.filter((h) => h !== '');
  for (const [field, header] of Object.entries(mapping as Record<string, unknown>)) {
    if (!canonical.has(field)) {
      throw new AppError(
        422,
        'invalid_mapping',
        `The mapping names "${field}", which is not one of our fields. Use only: ${CANONICAL_FIELDS.join(', ')}.`,
        { field, fields: CANONICAL_FIELDS },
      );
    }
    if (header === undefined) continue;
    const wanted = typeof header === 'string' ? header.trim() : '';
    let index = wanted === '' ? -1 : headers.indexOf(wanted);
    if (index < 0 && wanted !== '') index = headers.findIndex((h) => h !== '' && h.toLowerCase() === wanted.toLowerCase());
    if (index < 0) {
      throw new AppError(
        422,
        'invalid_mapping',
        `The mapping sends ${field} to "${String(header)}", but the file has no such column. Its columns are: ${named.map((h) => `"${h}"`).join(', ')}.`,
        { field, header, headers: named },
      );
    }
    const other = Object.entries(fields).find(([, i]) => i === index)?.[0];
    if (other !== undefined && !SHAREABLE.some((pair) => pair.includes(other) && pair.includes(field))) {
      throw new AppError(
        422,
        'invalid_mapping',
        `The mapping sends both ${other} and ${field} to the column "${headers[index]}"; a column can feed only one field ` +
          '(except store_id with product_id, for store-level files).',
        { field, header, headers: named },
      );
    }
    fields[field as CanonicalField] = index;
    used.add(index);
  }
}

function detectFormat(names: Set<string>, transactionColumn: number | null): Format {
  const has = (...keys: string[]) => keys.every((k) => names.has(k));
  if (transactionColumn !== null) return 'transactions';
  if (has('storeid', 'itemid', 'sellprice')) return 'm5';
  if (has('store', 'brand') && (names.has('logmove') || names.has('move'))) return 'dominicks';
  if (has('storeid', 'productid', 'unitssold') && (names.has('demandforecast') || names.has('inventorylevel'))) return 'kaggle';
  return 'generic';
}
