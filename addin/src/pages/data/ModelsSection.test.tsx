// @vitest-environment jsdom
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import '../../testing/dom';
import { dateFormatter } from '../../results/dates';
import { fakeApi, model } from '../../testing/fixtures';
import { ModelsSection } from './ModelsSection';

describe('the models table', () => {
  it("says each model's accuracy in words, with WAPE, MASE, objective and rounds under Advanced", async () => {
    const models = [
      model({ rounds: 300, metrics: { ...model().metrics, objective: 'tweedie' } }),
      model({ scope: 'global', store_id: null, version: 2, active: false }),
    ];
    render(<ModelsSection api={fakeApi()} models={models} loading={false} error={null} onChanged={() => {}} />);
    const table = screen.getByRole('table', { name: 'Model versions' });
    const rows = within(table).getAllByRole('row');
    expect(rows[0].textContent).toBe('StoreVersionTrainedRecordsTypical errorVersus the simple methodActive');
    const cells = (row: HTMLElement) =>
      within(row)
        .queryAllByRole('cell')
        .map((c) => c.textContent);
    expect(cells(rows.find((r) => cells(r)[0] === 'S001')!)).toEqual([
      'S001',
      '1',
      // When it was trained, in the pane's locale and the user's time zone.
      dateFormatter('en-US').time('2025-07-01T10:00:00Z'),
      '1,200',
      'typical daily error 25%',
      '17% better than the simple method (average of the last 28 days)',
      'active',
    ]);
    expect(
      rows
        .slice(1)
        .map((r) => cells(r)[0])
        .sort(),
    ).toEqual(['S001', 'all stores']);
    expect(table.textContent).not.toMatch(/WAPE|MASE/);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Advanced' }));
    const figures = await screen.findByRole('table', { name: 'Model figures' });
    const first = within(figures)
      .getAllByRole('row')
      .find((r) => cells(r)[0] === 'S001')!;
    expect(cells(first)).toEqual(['S001', '1', '25.0%', '0.80', '30.0% (moving_average)', 'tweedie', '300', 'wasm']);
  });
});
