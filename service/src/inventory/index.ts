// Replenishment: safety stock, reorder point, order quantity, status and money from a daily forecast.
export * from './attributes';
export * from './demand';
export * from './replenishment';
export * from './wording';
