// Forecast post-processing: prediction intervals calibrated on the backtest, and period (lead-time) demand.
export * from './intervals.js';
export { normalCdf, normalLoss, normalPdf, normalQuantile } from './normal.js';
export { gammaCdf, gammaQuantile, gammaShortfall } from './gamma.js';
