// Where the pane keeps the service URL and API key: the add-in's Office storage inside Excel (shared with the
// custom functions runtime, never saved into the workbook), localStorage in a browser.
import type { KeyValueStorage } from '../excel/workbook';

export interface Settings {
  /** Base URL of the service; '' means the origin the pane was loaded from. */
  serviceUrl: string;
  apiKey: string;
}

export interface SettingsStore {
  /** Shown in Settings: where the values live. */
  readonly where: string;
  load(): Promise<Settings>;
  save(settings: Settings): Promise<void>;
}

const DEFAULT_SETTINGS: Settings = { serviceUrl: '', apiKey: '' };
const KEY = 'demand-forecasting.settings';

function parse(text: string | null | undefined): Settings {
  if (!text) return { ...DEFAULT_SETTINGS };
  try {
    const value = JSON.parse(text) as Partial<Settings>;
    return {
      serviceUrl: typeof value.serviceUrl === 'string' ? value.serviceUrl : '',
      apiKey: typeof value.apiKey === 'string' ? value.apiKey : '',
    };
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
}

/** Trims and drops a trailing slash; '' stays '' (same origin). */
export function normaliseServiceUrl(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

/** A service URL the pane can use, or the reason it cannot. */
export function serviceUrlProblem(url: string): string | null {
  const u = normaliseServiceUrl(url);
  if (u === '') return null;
  try {
    const parsed = new URL(u);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'The service URL must start with http:// or https://';
    return null;
  } catch {
    return 'The service URL is not a valid URL, e.g. http://localhost:8000';
  }
}

export function browserSettingsStore(storage: Pick<Storage, 'getItem' | 'setItem'> | undefined = globalThis.localStorage): SettingsStore {
  let memory: string | null = null; // when storage is blocked (private mode, sandboxed frame)
  return {
    where: storage ? "this browser's local storage" : 'memory only (storage is blocked)',
    async load() {
      try {
        return parse(storage ? storage.getItem(KEY) : memory);
      } catch {
        return parse(memory);
      }
    },
    async save(settings) {
      const text = JSON.stringify({ ...settings, serviceUrl: normaliseServiceUrl(settings.serviceUrl) });
      memory = text;
      storage?.setItem(KEY, text);
    },
  };
}

export function officeSettingsStore(storage: KeyValueStorage): SettingsStore {
  return {
    where: "the add-in's Office storage (not saved in the workbook)",
    async load() {
      return parse(await storage.getItem(KEY));
    },
    async save(settings) {
      await storage.setItem(KEY, JSON.stringify({ ...settings, serviceUrl: normaliseServiceUrl(settings.serviceUrl) }));
    },
  };
}
