// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import '../testing/dom';
import { dateFormatter } from '../results/dates';
import { forecastAnswer, historyPoints } from '../testing/fixtures';
import { DatesContext } from './dates';
import {
  chartLevels,
  chartRows,
  ForecastChart,
  pointLabel,
  rangeName,
  tickLabel,
  tooltipValue,
  unitsPer,
  wholeUnits,
} from './ForecastChart';

afterEach(cleanup);

describe('the forecast chart', () => {
  const forecast = forecastAnswer().forecast.slice(0, 2);

  it('draws every interval asked for, widest first, each named', () => {
    expect(chartLevels(forecast)).toEqual([0.95, 0.8]);
    expect(chartLevels([{ date: '2025-07-01', expected_demand: 1, intervals: [{ level: 80, lower: 0, upper: 2 }] }])).toEqual([80]);
    expect(chartLevels([])).toEqual([]);
    expect([0.95, 80, 99.5].map(rangeName)).toEqual(['95% range', '80% range', '99.5% range']);
    const rows = chartRows(historyPoints(2), forecast, undefined, { allBands: true });
    expect(rows.at(-1)).toMatchObject({
      expected: 7,
      band: [4, 11],
      bands: [
        [4, 11],
        [5, 9],
      ],
    });
    // Without allBands the rows are as before: the widest band only.
    expect(chartRows(historyPoints(2), forecast).at(-1)).not.toHaveProperty('bands');
  });

  it('says units per period, whole units, and dates in the locale asked for', () => {
    expect(unitsPer('day')).toBe('units per day');
    expect(unitsPer('week')).toBe('units per week');
    expect(unitsPer('month')).toBe('units per month');
    expect(wholeUnits(8.7, 'en-US')).toBe('9');
    expect(wholeUnits(-0.2, 'en-US')).toBe('0');
    expect(wholeUnits(12345.6, 'de-DE')).toBe('12.346');
    expect(tooltipValue([3.6, 10.4], 'en-US')).toBe('4–10');
    expect(tooltipValue(6.49, 'en-US')).toBe('6');
    const [us, de, gb] = ['en-US', 'de-DE', 'en-GB'].map((l) => dateFormatter(l));
    expect(tickLabel('2025-07-01', 'day', us)).toBe('Jul 1');
    expect(tickLabel('2025-07-01', 'day', de)).toBe('1. Juli');
    expect(tickLabel('2025-07-01', 'month', gb)).toBe('Jul 25');
    expect(pointLabel({ date: '2025-07-01' }, 'day', gb)).toBe('Tue, 1 Jul 2025');
    expect(pointLabel({ date: '2025-07-01' }, 'day', us)).toBe('Tue, Jul 1, 2025');
    expect(pointLabel({ date: '2025-07-07' }, 'week', gb)).toBe('Week of 7 Jul 2025');
    expect(pointLabel({ date: '2025-07-01', end: '2025-07-31' }, 'month', gb)).toBe('July 2025');
    expect(pointLabel({ date: '2025-07-01' }, 'month', de)).toBe('Juli 2025');
    expect(pointLabel({ date: '2025-07-16', end: '2025-07-31' }, 'month', gb)).toMatch(/^16\s?–\s?31 Jul 2025$/);
  });

  it("writes its dates in the pane's locale (the workbook's in Excel), or the one asked for", () => {
    const caption = () => screen.getByTestId('forecast-chart').querySelector('figcaption')!.textContent;
    const { unmount } = render(
      <DatesContext.Provider value={dateFormatter('de-DE')}>
        <ForecastChart history={historyPoints(10)} forecast={forecast} title="P0001" />
      </DatesContext.Provider>,
    );
    expect(caption()).toContain('the last stored day Mo., 30. Juni 2025');
    unmount();
    render(
      <DatesContext.Provider value={dateFormatter('de-DE')}>
        <ForecastChart history={historyPoints(10)} forecast={forecast} title="P0001" locale="en-GB" />
      </DatesContext.Provider>,
    );
    expect(caption()).toContain('the last stored day Mon, 30 Jun 2025');
  });

  it('describes what it shows: history, forecast, the last stored day, the y axis and the ranges', () => {
    render(<ForecastChart history={historyPoints(10)} forecast={forecast} title="P0001 in S001" locale="en-GB" />);
    const caption = screen.getByTestId('forecast-chart').querySelector('figcaption')!.textContent;
    expect(caption).toBe(
      'P0001 in S001: 10 days of history, 2 days forecast, the last stored day Mon, 30 Jun 2025; y axis: units per day; 95% range, 80% range',
    );
  });
});
