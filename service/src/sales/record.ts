// One store x product x day of sales, as the ingest produces it and the data layer stores it.
export interface SalesRecord {
  /** YYYY-MM-DD */
  date: string;
  storeId: string;
  productId: string;
  /** Net units sold that day (returns make it lower, possibly negative). */
  unitsSold: number;
  inventoryLevel: number | null;
  unitsOrdered: number | null;
  price: number | null;
  discount: number | null;
  promotion: boolean | null;
  category: string | null;
  region: string | null;
  unitCost: number | null;
  /** Columns the file had beyond the canonical ones, kept as they were. */
  extra: Record<string, string | number> | null;
}
