// Forecast post-processing: prediction intervals calibrated on the backtest, and period (lead-time) demand.
export * from './intervals';
export { normalCdf, normalLoss, normalPdf, normalQuantile } from './normal';
export { gammaCdf, gammaQuantile, gammaShortfall } from './gamma';
