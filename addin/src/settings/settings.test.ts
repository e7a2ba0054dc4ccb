import { describe, expect, it } from 'vitest';
import { browserSettingsStore, officeSettingsStore, serviceUrlProblem } from './settings';

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
});
