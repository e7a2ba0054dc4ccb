// @vitest-environment jsdom
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { deferred } from '../testing/dom';
import { fakeApi, stores } from '../testing/fixtures';
import { SettingsPage } from './SettingsPage';

const props = (over: Partial<Parameters<typeof SettingsPage>[0]> = {}) => ({
  settings: { serviceUrl: 'http://localhost:8000', apiKey: '' },
  storedIn: "this browser's local storage",
  mode: 'browser' as const,
  hostDetail: 'Not inside Office.',
  onSave: vi.fn(async () => {}),
  makeClient: () => fakeApi({ health: async () => ({ status: 'ok', version: '0.1.0' }), stores: async () => stores }),
  ...over,
});

describe('Settings page', () => {
  it('shows the saved settings and where they are kept', () => {
    render(<SettingsPage {...props()} />);
    expect(screen.getByLabelText('Service URL')).toHaveProperty('value', 'http://localhost:8000');
    expect(screen.getByText(/local storage/)).toBeTruthy();
  });

  it('tests the connection with the edited settings: loading, then the answer', async () => {
    const user = userEvent.setup();
    const health = deferred<{ status: 'ok'; version: string }>();
    const makeClient = vi.fn(() => fakeApi({ health: () => health.promise, stores: async () => stores }));
    render(<SettingsPage {...props({ makeClient })} />);
    await user.clear(screen.getByLabelText('Service URL'));
    await user.type(screen.getByLabelText('Service URL'), 'http://127.0.0.1:9000/');
    await user.click(screen.getByRole('button', { name: 'Test connection' }));
    expect(screen.getByText('Testing the connection…')).toBeTruthy();
    expect(makeClient).toHaveBeenCalledWith({ serviceUrl: 'http://127.0.0.1:9000/', apiKey: '' });
    health.resolve({ status: 'ok', version: '0.1.0' });
    expect(await screen.findByText('Connected: service version 0.1.0, 2 stores with data.')).toBeTruthy();
  });

  it("shows the service's error message when the connection fails", async () => {
    const user = userEvent.setup();
    const makeClient = () =>
      fakeApi({
        health: async () => {
          throw new ApiError(0, 'network', 'Cannot reach the service at http://x: Failed to fetch');
        },
      });
    render(<SettingsPage {...props({ makeClient })} />);
    await user.click(screen.getByRole('button', { name: 'Test connection' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Connection failed');
    expect(alert.textContent).toContain('Cannot reach the service at http://x: Failed to fetch');
  });

  it('saves normalised settings and refuses an invalid URL', async () => {
    const user = userEvent.setup();
    const onSave = vi.fn(async () => {});
    render(<SettingsPage {...props({ onSave })} />);
    await user.clear(screen.getByLabelText('Service URL'));
    await user.type(screen.getByLabelText('Service URL'), 'ftp://nope');
    expect(screen.getByText(/must start with http/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Save' })).toHaveProperty('disabled', true);
    await user.clear(screen.getByLabelText('Service URL'));
    await user.type(screen.getByLabelText('Service URL'), ' http://svc:8000/ ');
    await user.type(screen.getByLabelText('API key'), 'k1');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(onSave).toHaveBeenCalledWith({ serviceUrl: 'http://svc:8000', apiKey: 'k1' });
    expect(await screen.findByText('Settings saved.')).toBeTruthy();
  });
});

describe('Settings page: buyer defaults', () => {
  it('saves lead time, review period, service level and currency with the other settings', async () => {
    const user = userEvent.setup();
    const onSave = vi.fn(async () => {});
    render(<SettingsPage {...props({ onSave })} />);
    await user.type(screen.getByLabelText('Default lead time (days)'), '5');
    await user.type(screen.getByLabelText('Default review period (days)'), '7');
    await user.type(screen.getByLabelText('Default service level (%)'), '97.5');
    await user.type(screen.getByLabelText('Currency'), ' EUR ');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(onSave).toHaveBeenCalledWith({
      serviceUrl: 'http://localhost:8000',
      apiKey: '',
      defaults: { leadTimeDays: 5, reviewDays: 7, serviceLevel: 97.5, currency: 'EUR' },
    });
  });

  it('shows the saved defaults, and refuses a service level typed as a fraction', async () => {
    const user = userEvent.setup();
    const onSave = vi.fn(async () => {});
    render(
      <SettingsPage {...props({ onSave, settings: { serviceUrl: '', apiKey: '', defaults: { leadTimeDays: 3, currency: 'GBP' } } })} />,
    );
    expect(screen.getByLabelText('Default lead time (days)')).toHaveProperty('value', '3');
    expect(screen.getByLabelText('Currency')).toHaveProperty('value', 'GBP');
    await user.type(screen.getByLabelText('Default service level (%)'), '0.9');
    expect(screen.getByText('Service level is in percent: did you mean 90%? Type 90, not 0.9')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Save' })).toHaveProperty('disabled', true);
    await user.clear(screen.getByLabelText('Default service level (%)'));
    await user.clear(screen.getByLabelText('Default lead time (days)'));
    await user.clear(screen.getByLabelText('Currency'));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    // Every default emptied: none kept (the pages then use each product's own values, else the service's).
    expect(onSave).toHaveBeenCalledWith({ serviceUrl: '', apiKey: '' });
  });
});
