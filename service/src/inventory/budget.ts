// Ordering within a budget: every unit the unconstrained plans would order is ranked by the margin it is expected to
// save per money spent on it, and the budget (and a capacity in units) is filled in that order, in whole packs and
// with each product's minimum order as its first block. Pure.
import { expectedShortfall, type PeriodDemand, type SumDistribution } from '../forecast/index';

export interface BudgetCandidate {
  productId: string;
  /** Stock + on order now. */
  position: number;
  /** What the unconstrained plan orders (already in whole packs and at least the MOQ). */
  orderQuantity: number;
  packSize: number | null;
  minOrderQty: number | null;
  unitCost: number | null;
  price: number | null;
  /** Demand over the protection period, as the plan modelled it. */
  protection: PeriodDemand;
  distribution: SumDistribution;
}

export interface BudgetLine {
  productId: string;
  /** Units of this block (a pack, or the first block up to the minimum order). */
  units: number;
  cost: number;
  /** Expected units it sells that would otherwise be lost, and the margin on them. */
  unitsSaved: number;
  marginSaved: number;
  /** marginSaved / cost. */
  valuePerMoney: number;
  cumulativeCost: number;
  cumulativeUnits: number;
}

export interface BudgetPlan {
  lines: BudgetLine[];
  /** Units to order per product (0 for those the budget did not reach). */
  orders: Map<string, number>;
  spend: number;
  units: number;
  /** Expected units short over the protection period, with this plan and with the unconstrained one. */
  expectedShort: number;
  expectedShortUnconstrained: number;
  /** Products with an order the budget cannot rank: no unit cost or no price. */
  unranked: { productId: string; reason: string }[];
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Blocks one product's order is ranked in, at most this many: a huge order is ranked in bigger steps. */
const MAX_BLOCKS = 2_000;

/**
 * Blocks of one product's order: the first up to its minimum order (whole packs), then one pack (or unit) each, or
 * several where the order would need more than MAX_BLOCKS. A pack under one unit (or one so small it constrains
 * nothing, 5e-324) is read as whole units, as the plan orders them.
 */
function blocks(c: BudgetCandidate): number[] {
  const pack = c.packSize !== null && c.packSize >= 1 ? c.packSize : 1;
  const out: number[] = [];
  let left = c.orderQuantity;
  if (!(left > 0)) return out;
  const step = Math.max(pack, Math.ceil(left / MAX_BLOCKS / pack) * pack);
  const first = Math.min(left, Math.max(pack, c.minOrderQty !== null ? Math.ceil(c.minOrderQty / pack - 1e-9) * pack : pack));
  out.push(first);
  left -= first;
  while (left > 1e-9 && out.length < MAX_BLOCKS + 1) {
    const b = Math.min(step, left);
    out.push(b);
    left -= b;
  }
  // Whatever float noise leaves goes with the last block.
  if (left > 1e-9) out[out.length - 1] += left;
  return out;
}

/**
 * Fills `budget` (money; null: no limit) and `capacity` (units; null: no limit) with the most valuable blocks first.
 * A block's value is the margin (price - unit cost, at least 0) on the units it is expected to sell that the stock
 * before it would not: E[short before] - E[short after]. A product's blocks come in order (each is worth less than
 * the one before), and once one does not fit, the product gets no more. With no limits every product gets its
 * unconstrained order.
 */
export function budgetPlan(candidates: BudgetCandidate[], budget: number | null, capacity: number | null): BudgetPlan {
  const unranked: BudgetPlan['unranked'] = [];
  type Block = { productId: string; index: number; units: number; cost: number; unitsSaved: number; marginSaved: number; ratio: number };
  const all: Block[] = [];
  let expectedShortUnconstrained = 0;
  const shortAt = (c: BudgetCandidate, stock: number) => expectedShortfall(c.protection, stock, c.distribution);
  for (const c of candidates) {
    expectedShortUnconstrained += shortAt(c, c.position + c.orderQuantity);
    if (c.orderQuantity <= 0) continue;
    if (c.unitCost === null || c.price === null) {
      unranked.push({ productId: c.productId, reason: c.unitCost === null ? 'no unit cost' : 'no price' });
      continue;
    }
    const margin = Math.max(0, c.price - c.unitCost);
    let stock = c.position;
    let ceiling = Number.POSITIVE_INFINITY;
    blocks(c).forEach((units, index) => {
      const saved = Math.max(0, shortAt(c, stock) - shortAt(c, stock + units));
      const cost = units * c.unitCost!;
      const marginSaved = saved * margin;
      // Free units (cost 0) are worth any budget: first, by what they save. A block is never ranked above the one
      // before it (rounding in the shortfall could say so by a hair), so each product's blocks stay in order.
      ceiling = Math.min(ceiling, cost > 0 ? marginSaved / cost : Number.POSITIVE_INFINITY);
      all.push({ productId: c.productId, index, units, cost, unitsSaved: saved, marginSaved, ratio: ceiling });
      stock += units;
    });
  }
  // Most valuable first; within a product its blocks stay in order (their value only falls).
  all.sort((a, b) => b.ratio - a.ratio || a.productId.localeCompare(b.productId) || a.index - b.index);
  const next = new Map<string, number>();
  const closed = new Set<string>();
  const orders = new Map<string, number>(candidates.map((c) => [c.productId, 0]));
  const lines: BudgetLine[] = [];
  let spend = 0;
  let units = 0;
  for (const b of all) {
    if (closed.has(b.productId) || (next.get(b.productId) ?? 0) !== b.index) continue;
    const overBudget = budget !== null && spend + b.cost > budget + 1e-9;
    const overCapacity = capacity !== null && units + b.units > capacity + 1e-9;
    if (overBudget || overCapacity) {
      closed.add(b.productId);
      continue;
    }
    spend += b.cost;
    units += b.units;
    next.set(b.productId, b.index + 1);
    orders.set(b.productId, (orders.get(b.productId) ?? 0) + b.units);
    lines.push({
      productId: b.productId,
      units: b.units,
      cost: round(b.cost),
      unitsSaved: round(b.unitsSaved),
      marginSaved: round(b.marginSaved),
      valuePerMoney: Number.isFinite(b.ratio) ? round(b.ratio) : b.ratio,
      cumulativeCost: round(spend),
      cumulativeUnits: round(units),
    });
  }
  // Without a budget or a capacity nothing is cut: products that cannot be ranked keep their order too. Under a
  // budget they get none (their cost is unknown), and are listed.
  if (budget === null && capacity === null)
    for (const u of unranked) orders.set(u.productId, candidates.find((c) => c.productId === u.productId)!.orderQuantity);
  let expectedShort = 0;
  for (const c of candidates) expectedShort += shortAt(c, c.position + (orders.get(c.productId) ?? 0));
  return {
    lines,
    orders,
    spend: round(spend),
    units: round(units),
    expectedShort: round(expectedShort),
    expectedShortUnconstrained: round(expectedShortUnconstrained),
    unranked,
  };
}
