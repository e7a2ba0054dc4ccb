// Type oids of the array parameters the bulk statements send (postgres.js would otherwise guess each array's type from
// its first element), and how many rows one such statement carries.
export const TEXT = 25;
export const DATE = 1082;
export const FLOAT8 = 701;
export const BOOL = 16;
export const INT4 = 23;
export const INT8 = 20;

/** Rows per statement whose columns travel as one array parameter each: few statements, bounded parameters. */
export const ARRAY_BATCH_ROWS = 20_000;
