// Pre-detects which workbook column feeds which canonical field, with the service's recognition rules (synonyms
// matched after dropping case and punctuation, fields resolved in CANONICAL_FIELDS order, first synonym present
// wins). The pane shows the result for the user to confirm or change, then sends it as the upload's `mapping`;
// the service stays the authority (addin/src/mapping/columns.test.ts checks both agree).
import { HEADER_SYNONYMS as SYNONYMS, normaliseHeader, REQUIRED_FIELDS } from '../../../shared/columns';
import { CANONICAL_FIELDS, type CanonicalField, type ColumnMapping } from '../../../shared/schemas';

export { REQUIRED_FIELDS } from '../../../shared/columns';

export const FIELD_LABELS: Record<CanonicalField, string> = {
  date: 'Date',
  store_id: 'Store',
  product_id: 'Product',
  units_sold: 'Units sold',
  inventory_level: 'Inventory level',
  units_ordered: 'Units ordered',
  price: 'Price',
  discount: 'Discount',
  promotion: 'Promotion',
  category: 'Category',
  region: 'Region',
  unit_cost: 'Unit cost',
  sales_value: 'Sales value (money)',
  open: 'Open / closed',
};

// The pairs one column may feed together (the service accepts them): a store-level file's store is its product, and
// money mapped on purpose as the quantity to forecast is also the sales value.
const SHAREABLE: readonly (readonly CanonicalField[])[] = [
  ['store_id', 'product_id'],
  ['units_sold', 'sales_value'],
];

/** Canonical field -> header, for the headers the rules recognise. */
export function detectMapping(headers: readonly string[]): ColumnMapping {
  const trimmed = headers.map((h) => String(h ?? '').trim());
  const normalised = trimmed.map(normaliseHeader);
  const used = new Set<number>();
  const mapping: ColumnMapping = {};
  for (const field of CANONICAL_FIELDS) {
    for (const synonym of SYNONYMS[field]) {
      const index = normalised.findIndex((n, i) => n === synonym && !used.has(i) && trimmed[i] !== '');
      if (index >= 0) {
        mapping[field] = trimmed[index];
        used.add(index);
        break;
      }
    }
  }
  return mapping;
}

interface MappingProblem {
  field?: CanonicalField;
  message: string;
}

/** What stops an upload with this mapping: required fields left out, or one column feeding two fields. */
export function mappingProblems(mapping: ColumnMapping, headers: readonly string[]): MappingProblem[] {
  const problems: MappingProblem[] = [];
  for (const field of REQUIRED_FIELDS) {
    if (!mapping[field]) problems.push({ field, message: `Choose the column for ${FIELD_LABELS[field].toLowerCase()}.` });
  }
  const seen = new Map<string, CanonicalField>();
  for (const field of CANONICAL_FIELDS) {
    const header = mapping[field];
    if (!header) continue;
    if (!headers.includes(header)) problems.push({ field, message: `The sheet has no column "${header}".` });
    const other = seen.get(header);
    if (other && !SHAREABLE.some((pair) => pair.includes(other) && pair.includes(field))) {
      problems.push({
        field,
        message: `"${header}" already feeds ${FIELD_LABELS[other].toLowerCase()}; a column can feed only one field.`,
      });
    }
    seen.set(header, field);
  }
  return problems;
}

/** Drops empty choices so the upload sends only the fields the user mapped. */
export function cleanMapping(mapping: ColumnMapping): ColumnMapping {
  return Object.fromEntries(Object.entries(mapping).filter(([, v]) => typeof v === 'string' && v !== '')) as ColumnMapping;
}
