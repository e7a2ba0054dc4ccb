// Target transform: train on log1p(units) (squared error) or on raw units (poisson / tweedie objectives).

export type TargetTransform = 'log1p' | 'raw';

/** Units -> label. Negative units (returns) clip to 0. */
export function encodeTarget(units: number, target: TargetTransform): number {
  const u = units > 0 ? units : 0;
  return target === 'log1p' ? Math.log1p(u) : u;
}

/** Model output -> units (expm1 for log1p), clipped at 0. Throws on a non-finite prediction. */
export function decodeTarget(pred: number, target: TargetTransform): number {
  if (!Number.isFinite(pred)) throw new RangeError(`model returned a non-finite prediction (${pred})`);
  const u = target === 'log1p' ? Math.expm1(pred) : pred;
  return u > 0 ? u : 0;
}
