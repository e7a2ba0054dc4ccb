// Product attributes for replenishment: the request overrides the products table, which overrides configuration
// defaults. Cost and price have no default: an unknown value stays null (never invented).
import { count } from './wording';

export interface ReplenishmentDefaults {
  leadTimeDays: number;
  reviewDays: number;
  /** Fraction (0.95) or percent (95). */
  serviceLevel: number;
  /** EXCESS when days of cover exceed this multiple of (lead time + review period). */
  excessCoverMultiple: number;
  currency: string;
}

export const REPLENISHMENT_DEFAULTS: Readonly<ReplenishmentDefaults> = {
  leadTimeDays: 7,
  reviewDays: 7,
  serviceLevel: 0.95,
  excessCoverMultiple: 3,
  currency: 'USD',
};

export interface ProductAttributes {
  unitCost?: number | null;
  price?: number | null;
  leadTimeDays?: number | null;
  /** One standard deviation of the lead time, days. */
  leadTimeSdDays?: number | null;
  reviewDays?: number | null;
  packSize?: number | null;
  minOrderQty?: number | null;
}

export type AttributeSource = 'request' | 'product' | 'default' | 'unknown';

type Field = keyof ProductAttributes;

export interface ResolvedAttributes {
  unitCost: number | null;
  price: number | null;
  leadTimeDays: number;
  leadTimeSdDays: number | null;
  reviewDays: number;
  packSize: number | null;
  minOrderQty: number | null;
  sources: Record<Field, AttributeSource>;
  notes: string[];
}

const FIELDS: Field[] = ['unitCost', 'price', 'leadTimeDays', 'leadTimeSdDays', 'reviewDays', 'packSize', 'minOrderQty'];
const LABELS: Record<Field, string> = {
  unitCost: 'unit cost',
  price: 'price',
  leadTimeDays: 'lead time',
  leadTimeSdDays: 'lead-time spread',
  reviewDays: 'review period',
  packSize: 'pack size',
  minOrderQty: 'minimum order quantity',
};

const present = (v: number | null | undefined): v is number => typeof v === 'number' && !Number.isNaN(v);

/** Merges request, product row and defaults; notes say which values came from configuration and which are unknown. */
export function resolveAttributes(
  request: ProductAttributes = {},
  product: ProductAttributes | null = null,
  defaults: Readonly<ReplenishmentDefaults> = REPLENISHMENT_DEFAULTS,
): ResolvedAttributes {
  const sources = {} as Record<Field, AttributeSource>;
  const values = {} as Record<Field, number | null>;
  const notes: string[] = [];
  for (const f of FIELDS) {
    if (present(request[f])) {
      values[f] = request[f] as number;
      sources[f] = 'request';
    } else if (present(product?.[f])) {
      values[f] = product![f] as number;
      sources[f] = 'product';
    } else if (f === 'leadTimeDays' || f === 'reviewDays') {
      values[f] = defaults[f];
      sources[f] = 'default';
      notes.push(`${LABELS[f]}: ${count(defaults[f], 'day')} (configuration default)`);
    } else {
      values[f] = null;
      sources[f] = 'unknown';
    }
  }
  return {
    unitCost: values.unitCost,
    price: values.price,
    leadTimeDays: values.leadTimeDays as number,
    leadTimeSdDays: values.leadTimeSdDays,
    reviewDays: values.reviewDays as number,
    packSize: values.packSize,
    minOrderQty: values.minOrderQty,
    sources,
    notes,
  };
}
