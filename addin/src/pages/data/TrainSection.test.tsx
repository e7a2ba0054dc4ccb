// @vitest-environment jsdom
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { TrainingJob, TrainingScopeReport } from '../../../../shared/schemas';
import '../../testing/dom';
import { fakeApi, model, stores } from '../../testing/fixtures';
import { reportSummary, stepWords, TrainSection } from './TrainSection';

const job = (over: Partial<TrainingJob>): TrainingJob => ({
  job_id: 9,
  store_id: 'all',
  status: 'running',
  progress: 0.1,
  created_at: '2025-07-01T10:00:00Z',
  started_at: '2025-07-01T10:00:01Z',
  finished_at: null,
  ...over,
});

const trained = (store_id: string | null, version = 1): TrainingScopeReport => ({
  scope: store_id === null ? 'global' : 'store',
  store_id,
  outcome: 'trained',
  version,
});
const SKIPPED: TrainingScopeReport = {
  scope: 'store',
  store_id: 'S003',
  outcome: 'skipped',
  reason: 'Store "S003" has 30 days of sales; a model needs at least 57 days.',
};
const FAILED: TrainingScopeReport = {
  scope: 'store',
  store_id: 'S002',
  outcome: 'failed',
  reason: 'no training rows before the holdout: the history is too short',
};

describe('training a whole chain', () => {
  it('follows the named steps, then reports per store: trained, skipped and failed with the reasons', async () => {
    const answers = [
      job({ status: 'queued', progress: 0 }),
      job({ step: { stage: 'backtest', scope: 'global', store_id: null, index: 1, count: 4 }, progress: 0.1 }),
      job({ step: { stage: 'final_fit', scope: 'store', store_id: 'S001', index: 2, count: 4 }, progress: 0.4, report: [trained(null)] }),
      job({
        status: 'succeeded',
        progress: 1,
        models: [model({ scope: 'global', store_id: null }), model()],
        report: [trained(null), trained('S001', 3), FAILED, SKIPPED],
      }),
    ];
    // The job stays at each answer until the test has seen it.
    let at = 0;
    const api = fakeApi({
      stores: async () => stores,
      train: async () => ({ job_id: 9, status: 'queued', store_id: 'all' }),
      job: async () => answers[Math.min(at, answers.length - 1)],
    });
    const onTrained = vi.fn();
    const user = userEvent.setup();
    render(<TrainSection api={api} pollMs={30} onTrained={onTrained} />);
    await waitFor(() => expect(screen.getByRole('combobox', { name: 'Store' })).toHaveProperty('value', 'S001'));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Store' }), 'all');
    expect(screen.getByText(/every store that has enough history is trained/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Train' }));
    // The steps as they come (polled every 30 ms).
    expect(await screen.findByText(/Training all stores: queued/)).toBeTruthy();
    at = 1;
    expect(await screen.findByText('Model of all stores (1 of 4): backtest (accuracy on held-out sales)')).toBeTruthy();
    // Each store's steps named, the one it is on marked.
    const steps = () => within(screen.getByRole('list', { name: 'Training steps' })).getAllByRole('listitem');
    expect(steps().map((li) => li.textContent)).toEqual(['✓ Preparing', '● Backtest', 'Final fit', 'Saving']);
    expect(steps().map((li) => li.getAttribute('aria-current'))).toEqual([null, 'step', null, null]);
    at = 2;
    expect(await screen.findByText('Store S001 (2 of 4): final fit (on all sales)')).toBeTruthy();
    expect(steps().map((li) => li.textContent)).toEqual(['✓ Preparing', '✓ Backtest', '● Final fit', 'Saving']);
    at = 3;
    expect(await screen.findByText('Done: 2 trained, 1 skipped, 1 failed. The models table below shows the new versions.')).toBeTruthy();
    const report = screen.getByRole('table', { name: 'Training report' });
    expect(screen.queryByRole('list', { name: 'Training steps' })).toBeNull(); // only while running
    const rows = within(report)
      .getAllByRole('row')
      .slice(1)
      .map((r) =>
        within(r)
          .getAllByRole('cell')
          .map((c) => c.textContent),
      );
    expect(rows).toEqual([
      ['All stores (global model)', 'trained (version 1)', ''],
      ['S001', 'trained (version 3)', ''],
      ['S002', 'failed', FAILED.reason],
      ['S003', 'skipped', SKIPPED.reason],
    ]);
    expect(api.train).toHaveBeenCalledWith({ store_id: 'all' });
    // The models table refreshed as the first model came in, and again at the end.
    expect(onTrained).toHaveBeenCalledTimes(2);
  });

  it("says a failed job's error and that nothing was trained, without a report from an older service", async () => {
    const api = fakeApi({
      stores: async () => stores,
      train: async () => ({ job_id: 9, status: 'queued', store_id: 'S001' }),
      job: async () =>
        job({
          store_id: 'S001',
          status: 'failed',
          error: 'the history is too short',
          report: [{ ...FAILED, store_id: 'S001', reason: 'the history is too short' }],
        }),
    });
    const onTrained = vi.fn();
    render(<TrainSection api={api} pollMs={5} onTrained={onTrained} />);
    await waitFor(() => expect(screen.getByRole('combobox', { name: 'Store' })).toHaveProperty('value', 'S001'));
    await userEvent.setup().click(screen.getByRole('button', { name: 'Train' }));
    expect(await screen.findByText('Training S001: failed (10%)')).toBeTruthy();
    expect(within(screen.getByRole('table', { name: 'Training report' })).getByText('failed')).toBeTruthy();
    expect(onTrained).not.toHaveBeenCalled();
  });

  it('refuses rounds out of range on the field', async () => {
    const api = fakeApi({ stores: async () => stores });
    render(<TrainSection api={api} pollMs={5} onTrained={() => {}} />);
    await waitFor(() => expect(screen.getByRole('combobox', { name: 'Store' })).toHaveProperty('value', 'S001'));
    await userEvent.setup().type(screen.getByLabelText('Rounds'), '0');
    expect(screen.getByText('Rounds is a whole number from 1 to 5,000')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Train' })).toHaveProperty('disabled', true);
  });

  it('words steps and reports', () => {
    expect(stepWords({ stage: 'preparing', scope: 'store', store_id: 'S1', index: 1, count: 1 })).toBe('Store S1: preparing the data');
    expect(stepWords({ stage: 'saving', scope: 'store', store_id: 'S1', index: 3, count: 3 })).toBe('Store S1 (3 of 3): saving the model');
    expect(stepWords({ stage: 'backtest', scope: 'global', store_id: null, index: 1, count: 3 })).toBe(
      'Model of all stores (1 of 3): backtest (accuracy on held-out sales)',
    );
    expect(stepWords({ stage: 'final_fit', scope: 'store', store_id: 'S1', index: 2, count: 3 })).toBe(
      'Store S1 (2 of 3): final fit (on all sales)',
    );
    // A service from before the two fit steps were told apart.
    expect(stepWords({ stage: 'fitting', scope: 'store', store_id: 'S1', index: 1, count: 1 })).toBe('Store S1: backtest and final fit');
    expect(reportSummary([trained('A'), SKIPPED])).toBe('1 trained, 1 skipped');
  });
});
