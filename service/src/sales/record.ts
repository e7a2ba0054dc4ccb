// One store x product x day of sales, as the ingest produces it and the data layer stores it.
export interface SalesRecord {
  /** YYYY-MM-DD */
  date: string;
  storeId: string;
  productId: string;
  /** Net units sold that day: sales minus returns, never below 0 (a day with more returns than sales is 0: returns are not demand). */
  unitsSold: number;
  inventoryLevel: number | null;
  unitsOrdered: number | null;
  price: number | null;
  discount: number | null;
  promotion: boolean | null;
  category: string | null;
  region: string | null;
  unitCost: number | null;
  /**
   * The store was closed that day (an "Open" column at 0, or "closed"): no demand was observed, so training and
   * interval calibration skip the day as they skip stock-outs. Absent or false: open, or not known.
   */
  closed?: boolean;
  /** Columns the file had beyond the canonical ones, kept as they were. */
  extra: Record<string, string | number> | null;
}
