// Blending a model with a partner (a store's model with the global model of the same training job): the one place
// that says how two models' forecasts and explanations combine, used by the backtest that scores the blend and by
// serving.

/**
 * Weight of the global model in a store's blend. Chosen on the validation windows before the M5 holdout
 * (model/README.md): the average of the store and global models beat either alone (0.966 of MA28 vs 0.976 store,
 * 0.971 global), and weights 0.3 to 0.7 were within noise of each other.
 */
export const PARTNER_WEIGHT = 0.5;

export interface Partner<M> {
  model: M;
  /** The partner's share of the blend. */
  weight: number;
}

/** (1 - weight) x own + weight x partner, day by day. Each member forecasts recursively on its own predictions. */
export function blendValues(own: number[], partner: number[], weight: number): number[] {
  return own.map((v, h) => (1 - weight) * v + weight * partner[h]);
}

/** The members of a (possibly blended) model with their weights: a blend's explanation is their weighted sum. */
export function blendMembers<M>(own: M, partner: Partner<M> | null | undefined): { model: M; weight: number }[] {
  return partner
    ? [
        { model: own, weight: 1 - partner.weight },
        { model: partner.model, weight: partner.weight },
      ]
    : [{ model: own, weight: 1 }];
}
