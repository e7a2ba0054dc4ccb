import { describe, expect, it } from 'vitest';
import type { ModelMetrics } from '../../../shared/schemas';
import { accuracyLine, accuracyWords, advancedFigures } from './accuracy';

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
  it("says the typical error in the grain's period and the gain over the simple method by name", () => {
    const m = metrics({ best_baseline: { name: 'moving_average', label: 'average of the last 8 weeks', figures: figures(0.5) } });
    const words = accuracyWords(m)!;
    expect(words).toEqual({
      typicalError: 'typical weekly error 40%',
      versusSimple: '20% better than the simple method (average of the last 8 weeks)',
      measuredOn: 'measured on the last 13 weeks, which the model did not see',
    });
    expect(accuracyLine(words)).toBe('typical weekly error 40%; 20% better than the simple method (average of the last 8 weeks)');
  });

  it('reads a daily model as the brief does: "typical daily error 41%; 9% better than ... (same weekday last week)"', () => {
    const daily = metrics({
      wape: 0.41,
      grain: 'daily',
      best_baseline: null,
      baseline: figures(0.45),
      holdout: { from: '2025-06-03', to: '2025-06-30', days: 28, series: 4, points: 112 },
    });
    expect(accuracyLine(accuracyWords(daily)!)).toBe('typical daily error 41%; 9% better than the simple method (same weekday last week)');
    expect(accuracyWords(daily)!.measuredOn).toBe('measured on the last 28 days, which the model did not see');
  });

  it('says so when the simple method did better, and falls back to the seasonal naive of older models', () => {
    const worse = metrics({ wape: 0.55, best_baseline: { name: 'tsb', figures: figures(0.5) } });
    expect(accuracyWords(worse)!.versusSimple).toBe('10% worse than the simple method (tsb)');
    const old = metrics({ grain: undefined, holdout: { from: '2025-06-03', to: '2025-06-30', days: 28, series: 4, points: 112 } });
    expect(accuracyWords(old)).toMatchObject({
      typicalError: 'typical daily error 40%',
      versusSimple: '33% better than the simple method (same weekday last week)',
    });
    expect(accuracyWords(metrics({ grain: 'monthly' }))!.versusSimple).toBe('33% better than the simple method (same month last year)');
    expect(accuracyWords(metrics({ wape: null }))).toBeNull();
  });

  it("keeps the model's own terms for Advanced: WAPE, MASE, objective, rounds", () => {
    const m = metrics({ objective: 'tweedie', best_baseline: { name: 'moving_average', figures: figures(0.5) } });
    expect(advancedFigures({ metrics: m, rounds: 300 })).toEqual([
      ['WAPE', '40.0%'],
      ['MASE', '1.00'],
      ['WAPE of the simple method (moving_average)', '50.0%'],
      ['Objective', 'tweedie'],
      ['Rounds', '300'],
    ]);
    expect(advancedFigures({ metrics: metrics({}) }).slice(3)).toEqual([
      ['Objective', '—'],
      ['Rounds', '—'],
    ]);
  });
});
