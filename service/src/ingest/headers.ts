// Which file column feeds which canonical field: explicit mapping first, then synonym recognition.
import { HEADER_SYNONYMS as SYNONYMS, normaliseHeader, REQUIRED_FIELDS } from '../../../shared/columns';
import { CANONICAL_FIELDS, type CanonicalField, type ColumnMapping } from '../../../shared/schemas';
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

export interface ColumnPlan {
  /** Trimmed header per file column ('' for unnamed columns, which are ignored). */
  headers: string[];
  /** File column index per canonical field. */
  fields: Partial<Record<CanonicalField, number>>;
  /** File columns kept as `extra`. */
  extras: number[];
  /** Column holding an invoice/transaction id, if any. */
  transactionColumn: number | null;
  columns: ColumnMapping;
  format: Format;
}

export function planColumns(rawHeaders: string[], mapping: ColumnMapping | undefined): ColumnPlan {
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

  const missing = REQUIRED_FIELDS.filter((f) => fields[f] === undefined);
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

  let transactionColumn: number | null = null;
  normalised.forEach((n, i) => {
    if (transactionColumn === null && !used.has(i) && TRANSACTION_IDS.has(n)) transactionColumn = i;
  });
  const extras: number[] = [];
  headers.forEach((h, i) => {
    if (h !== '' && !used.has(i) && i !== transactionColumn) extras.push(i);
  });

  const columns: ColumnMapping = {};
  for (const field of CANONICAL_FIELDS) {
    const index = fields[field];
    if (index !== undefined) columns[field] = headers[index];
  }
  return { headers, fields, extras, transactionColumn, columns, format: detectFormat(new Set(normalised), transactionColumn) };
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
    if (used.has(index)) {
      const other = Object.entries(fields).find(([, i]) => i === index)?.[0];
      throw new AppError(
        422,
        'invalid_mapping',
        `The mapping sends both ${other} and ${field} to the column "${headers[index]}"; a column can feed only one field.`,
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
