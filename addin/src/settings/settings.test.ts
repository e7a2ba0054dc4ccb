import { describe, expect, it } from 'vitest';
import { browserSettingsStore, cleanDefaults, officeSettingsStore, serviceUrlProblem } from './settings';

describe('settings', () => {
  it('keeps settings in localStorage in a browser, normalising the URL', async () => {
    const map = new Map<string, string>();
    const store = browserSettingsStore({ getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v) });
    expect(await store.load()).toEqual({ serviceUrl: '', apiKey: '' });
    await store.save({ serviceUrl: ' http://svc:8000/ ', apiKey: 'k' });
    expect(await store.load()).toEqual({ serviceUrl: 'http://svc:8000', apiKey: 'k' });
  });

  it("keeps settings in the add-in's Office storage inside Excel", async () => {
    const map = new Map<string, string>();
    const store = officeSettingsStore({ getItem: async (k) => map.get(k) ?? null, setItem: async (k, v) => void map.set(k, v) });
    await store.save({ serviceUrl: 'https://forecast.example.test', apiKey: 'k2' });
    expect(await store.load()).toEqual({ serviceUrl: 'https://forecast.example.test', apiKey: 'k2' });
    expect(store.where).toMatch(/not saved in the workbook/);
  });

  it('survives broken stored JSON and checks URLs', async () => {
    const store = browserSettingsStore({ getItem: () => '{oops', setItem: () => {} });
    expect(await store.load()).toEqual({ serviceUrl: '', apiKey: '' });
    expect(serviceUrlProblem('')).toBeNull();
    expect(serviceUrlProblem('http://localhost:8000')).toBeNull();
    expect(serviceUrlProblem('localhost:8000')).toMatch(/http/);
  });

  it('keeps the buyer defaults with the other settings, only valid ones, in either store', async () => {
    const map = new Map<string, string>();
    const store = browserSettingsStore({ getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v) });
    await store.save({ serviceUrl: '', apiKey: '', defaults: { leadTimeDays: 5, reviewDays: 0, serviceLevel: 97.5, currency: ' EUR ' } });
    expect(await store.load()).toEqual({
      serviceUrl: '',
      apiKey: '',
      defaults: { leadTimeDays: 5, reviewDays: 0, serviceLevel: 97.5, currency: 'EUR' },
    });
    // A stored value out of range (a service level as a fraction, a negative lead time) is dropped, not used.
    map.set(
      'demand-forecasting.settings',
      JSON.stringify({ serviceUrl: '', apiKey: 'k', defaults: { serviceLevel: 0.95, leadTimeDays: -1, currency: 'USD' } }),
    );
    expect(await store.load()).toEqual({ serviceUrl: '', apiKey: 'k', defaults: { currency: 'USD' } });
    const office = new Map<string, string>();
    const inExcel = officeSettingsStore({ getItem: async (k) => office.get(k) ?? null, setItem: async (k, v) => void office.set(k, v) });
    await inExcel.save({ serviceUrl: 'https://svc', apiKey: '', defaults: { serviceLevel: 90 } });
    expect(await inExcel.load()).toEqual({ serviceUrl: 'https://svc', apiKey: '', defaults: { serviceLevel: 90 } });
    expect(cleanDefaults({})).toBeUndefined();
  });
});
