import { describe, expect, it } from 'vitest';
import type { ModelMetrics } from '../../../shared/schemas';
import { accuracyWords } from './accuracy';

const figures = (wape: number | null) => ({ mae: 1, rmse: 1, wape, mase: 1, rmsse: 1, bias: 0 });
const metrics = (over: Partial<ModelMetrics>): ModelMetrics =>
  ({
    ...figures(0.4),
    accuracy: 60,
    baseline: figures(0.6),
    holdout: { from: '2025-04-07', to: '2025-06-30', days: 91, periods: 13, series: 4, points: 52 },
    grain: 'weekly',
    ...over,
  }) as ModelMetrics;

describe('accuracy in words', () => {
  it('says the typical error over the held-out periods and the gain over the best simple method by name', () => {
    const m = metrics({ best_baseline: { name: 'moving_average', label: 'average of the last 8 weeks', figures: figures(0.5) } });
    expect(accuracyWords(m)).toEqual({
      typicalError: 'off by 40 units in 100 on the last 13 weeks it did not see',
      versusSimple: '20% better than the best simple method (average of the last 8 weeks)',
    });
  });

  it('says so when the simple method did better, and falls back to the seasonal naive of older models', () => {
    const worse = metrics({ wape: 0.55, best_baseline: { name: 'tsb', figures: figures(0.5) } });
    expect(accuracyWords(worse)!.versusSimple).toBe('10% worse than the best simple method (tsb)');
    const old = metrics({ grain: undefined, holdout: { from: '2025-06-03', to: '2025-06-30', days: 28, series: 4, points: 112 } });
    expect(accuracyWords(old)).toEqual({
      typicalError: 'off by 40 units in 100 on the last 28 days it did not see',
      versusSimple: '33% better than the best simple method (same period last season)',
    });
    expect(accuracyWords(metrics({ wape: null }))).toBeNull();
  });
});
