// @vitest-environment jsdom
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { App } from './App';
import { browserSettingsStore } from './settings/settings';
import './testing/dom';
import { bulkAnswer, calendarSummary, fakeApi, fakeHost, model, stores } from './testing/fixtures';

const memoryStore = () => {
  const map = new Map<string, string>();
  return browserSettingsStore({ getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v) });
};

describe('the pane', () => {
  it('says where it runs and switches pages', async () => {
    const user = userEvent.setup();
    const api = fakeApi({
      stores: async () => stores,
      calendar: async () => calendarSummary(),
      trainingStatus: async () => ({ models: [model()], jobs: [] }),
      models: async () => ({ models: [] }),
    });
    const workbook = { listSources: vi.fn(async () => []), preview: vi.fn(), read: vi.fn() };
    render(
      <App
        host={fakeHost('excel', { workbook })}
        settingsStore={memoryStore()}
        initialSettings={{ serviceUrl: '', apiKey: '' }}
        initialPage="dashboard"
        makeClient={() => api}
      />,
    );
    expect(screen.getByText('Excel')).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Dashboard' })).toBeTruthy();
    await user.click(screen.getByRole('tab', { name: 'Data & Training' }));
    expect(screen.getByRole('region', { name: 'Data & Training' })).toBeTruthy();
    // Inside Excel the workbook is offered as a source.
    expect(screen.getByLabelText('From this workbook')).toBeTruthy();
    expect(await screen.findByText(/^No calendar yet/)).toBeTruthy();
  });

  it("writes dates in the host's locale: the workbook's inside Excel", async () => {
    const user = userEvent.setup();
    const api = fakeApi({ stores: async () => stores, bulkPredict: async () => bulkAnswer() });
    render(
      <App
        host={fakeHost('excel', { locale: 'de-DE' })}
        settingsStore={memoryStore()}
        initialSettings={{ serviceUrl: '', apiKey: '' }}
        initialPage="bulk"
        makeClient={() => api}
      />,
    );
    await waitFor(() => expect(screen.getByRole('combobox', { name: 'Store' })).toHaveProperty('value', 'S001'));
    await user.click(screen.getByRole('button', { name: 'Run predictions' }));
    expect(await screen.findByText(/^Store S001, planning day 1\. Juli 2025, 7-day horizon/)).toBeTruthy();
  });

  it('uses new settings for every call once saved', async () => {
    const user = userEvent.setup();
    const store = memoryStore();
    const makeClient = vi.fn(() => fakeApi({ stores: async () => stores, trainingStatus: async () => ({ models: [], jobs: [] }) }));
    render(
      <App
        host={fakeHost('browser')}
        settingsStore={store}
        initialSettings={{ serviceUrl: '', apiKey: '' }}
        initialPage="settings"
        makeClient={makeClient}
      />,
    );
    expect(screen.getByText('Browser')).toBeTruthy();
    await user.type(screen.getByLabelText('Service URL'), 'http://svc:8000');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(makeClient).toHaveBeenLastCalledWith({ serviceUrl: 'http://svc:8000', apiKey: '' }));
    expect(await store.load()).toEqual({ serviceUrl: 'http://svc:8000', apiKey: '' });
  });
});
