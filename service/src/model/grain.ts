// What each grain's models count in: the season of its seasonal naive, the window of its moving average, the holdout
// of its backtest, the lags and windows of its features, and how much history makes an answer trustworthy.
import { makeFeatureSpec, type FeatureSpec, type Grain } from '../features/index';

export interface GrainSettings {
  /** Periods in a season: same weekday last week, same week last year, same month last year. */
  season: number;
  /** Periods of the moving-average baseline. */
  movingAverage: number;
  /**
   * Periods held out for the backtest. Daily: 28 days (four weekly cycles, the planning horizon the M5 tuning used).
   * Weekly: 13 weeks (a quarter: long enough to see a seasonal turn, short enough for two-year files). Monthly: 6 months
   * (half a year; 3 points a series would be noise, 12 would need 3 years of data).
   */
  holdout: number;
  /** Fewer observed periods than this: no forecast at all (confidence none). */
  minPeriods: number;
  /** Fewer periods of history than this: a rough estimate (confidence low). */
  shortHistory: number;
  /** Periods of recent history that decide a series' kind (fast, slow, intermittent). */
  kindWindow: number;
  /** The period in words, singular and plural. */
  unit: [string, string];
}

export const GRAIN_SETTINGS: Record<Grain, GrainSettings> = {
  daily: { season: 7, movingAverage: 28, holdout: 28, minPeriods: 4, shortHistory: 56, kindWindow: 112, unit: ['day', 'days'] },
  weekly: { season: 52, movingAverage: 8, holdout: 13, minPeriods: 3, shortHistory: 26, kindWindow: 52, unit: ['week', 'weeks'] },
  monthly: { season: 12, movingAverage: 6, holdout: 6, minPeriods: 3, shortHistory: 12, kindWindow: 24, unit: ['month', 'months'] },
};

export const periodsIn = (n: number, grain: Grain) => `${n.toLocaleString('en-US')} ${GRAIN_SETTINGS[grain].unit[n === 1 ? 0 : 1]}`;

/**
 * The training layout of a weekly or monthly model: lags up to a year back (52 weeks, 12 months) so a yearly peak is
 * within reach, windows in periods, week of year and month for the season; no weekday or day-of-month columns, no
 * daily events. As for daily models, the columns that the recursion feeds with smooth predictions are left out
 * (periods since the last sale, the shortest window's std and max).
 */
export function coarseFeatureSpec(grain: 'weekly' | 'monthly'): FeatureSpec {
  const calendarOnlyDaily = [
    'day_of_week',
    'day_of_month',
    'event_name_1',
    'event_type_1',
    'event_name_2',
    'event_type_2',
    'snap',
    'days_to_event',
    'days_since_event',
    'days_since_last_sale',
  ];
  if (grain === 'weekly') {
    return makeFeatureSpec({
      grain,
      lags: [1, 2, 3, 4, 5, 6, 8, 13, 26, 52],
      windows: [4, 8, 13, 26, 52],
      priceWindow: 4,
      eventCap: 4,
      exclude: [...calendarOnlyDaily, 'roll_std_4', 'roll_max_4'],
    });
  }
  return makeFeatureSpec({
    grain,
    lags: [1, 2, 3, 6, 12],
    windows: [3, 6, 12],
    priceWindow: 3,
    eventCap: 3,
    exclude: [...calendarOnlyDaily, 'week_of_year', 'roll_std_3', 'roll_max_3'],
  });
}
