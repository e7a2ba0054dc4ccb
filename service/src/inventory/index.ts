// Replenishment: safety stock, reorder point, order quantity, status and money from a daily forecast.
export * from './attributes.js';
export * from './demand.js';
export * from './replenishment.js';
export * from './wording.js';
