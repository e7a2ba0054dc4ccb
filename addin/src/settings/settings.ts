// Where the pane keeps its settings: the service URL, the API key and the buyer's defaults (lead time, review period,
// service level, currency), in the add-in's Office storage inside Excel (shared with the custom functions runtime,
// never saved into the workbook), localStorage in a browser.
import type { KeyValueStorage } from '../excel/workbook';

/**
 * What the pages use when a planning field is left empty; each one left out here falls back to the product's own
 * value in the data, else the service's default.
 */
export interface BuyerDefaults {
  leadTimeDays?: number;
  reviewDays?: number;
  /** In percent (95 = 95%). */
  serviceLevel?: number;
  /** Shown beside money, e.g. "EUR"; the service's currency when left out. */
  currency?: string;
}

export interface Settings {
  /** Base URL of the service; '' means the origin the pane was loaded from. */
  serviceUrl: string;
  apiKey: string;
  /** Absent when the buyer set none. */
  defaults?: BuyerDefaults;
}

export interface SettingsStore {
  /** Shown in Settings: where the values live. */
  readonly where: string;
  load(): Promise<Settings>;
  save(settings: Settings): Promise<void>;
}

const DEFAULT_SETTINGS: Settings = { serviceUrl: '', apiKey: '' };
const KEY = 'demand-forecasting.settings';

const inRange = (x: unknown, min: number, max: number): x is number => typeof x === 'number' && Number.isFinite(x) && x >= min && x <= max;

/** The defaults worth keeping: valid values only; undefined when none is left. */
export function cleanDefaults(value: unknown): BuyerDefaults | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const out: BuyerDefaults = {};
  if (inRange(v.leadTimeDays, 0, 365)) out.leadTimeDays = v.leadTimeDays;
  if (inRange(v.reviewDays, 0, 365)) out.reviewDays = v.reviewDays;
  if (inRange(v.serviceLevel, 50, 99.9)) out.serviceLevel = v.serviceLevel;
  if (typeof v.currency === 'string' && v.currency.trim()) out.currency = v.currency.trim().slice(0, 12);
  return Object.keys(out).length ? out : undefined;
}

function parse(text: string | null | undefined): Settings {
  if (!text) return { ...DEFAULT_SETTINGS };
  try {
    const value = JSON.parse(text) as Partial<Settings>;
    const defaults = cleanDefaults(value.defaults);
    return {
      serviceUrl: typeof value.serviceUrl === 'string' ? value.serviceUrl : '',
      apiKey: typeof value.apiKey === 'string' ? value.apiKey : '',
      ...(defaults ? { defaults } : {}),
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

/** The settings as stored: the URL normalised, only the valid defaults. */
function serialise(settings: Settings): string {
  const defaults = cleanDefaults(settings.defaults);
  return JSON.stringify({
    serviceUrl: normaliseServiceUrl(settings.serviceUrl),
    apiKey: settings.apiKey,
    ...(defaults ? { defaults } : {}),
  });
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
      const text = serialise(settings);
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
      await storage.setItem(KEY, serialise(settings));
    },
  };
}
