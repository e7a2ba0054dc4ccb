// Optional calendar input: events/holidays per date and SNAP (or any 0/1 "benefit day") flag per state.
import { parseDay } from './dates';

/** One calendar day as the caller provides it (e.g. one row of M5's calendar.csv). */
export interface CalendarDay {
  /** YYYY-MM-DD */
  date: string;
  /** State/region the row applies to; null/undefined/'' = applies to every region. */
  state?: string | null;
  /** Events of that day, at most two are used (M5 has event_name_1/_2). */
  events?: { name: string; type?: string | null }[];
  /** SNAP (food stamp) day in that state; null/undefined = unknown. */
  snap?: boolean | number | null;
}

/** Compiled events of one state, arrays indexed by (epoch day - CalendarEvents.start). */
export interface StateCalendar {
  state: string;
  /** Whether the state has a row for the day at all (days without a row are "not covered"). */
  covered: Uint8Array;
  name1: (string | null)[];
  type1: (string | null)[];
  name2: (string | null)[];
  type2: (string | null)[];
  /** 1/0, NaN = unknown. */
  snap: Float32Array;
  /** Days until the next event day (0 on an event day); NaN if no event up to the end of the calendar. */
  daysToNext: Float32Array;
  /** Days since the previous event day (0 on an event day); NaN if no event since the start of the calendar. */
  daysSincePrev: Float32Array;
}

export interface CalendarEvents {
  /** Epoch day of index 0. */
  start: number;
  length: number;
  /** Per state; key '' = rows without a state, or (when every row has one) the union of all states' events, SNAP unknown. */
  states: Map<string, StateCalendar>;
  /** Every event name and type seen (for buildEncodings). */
  eventNames: string[];
  eventTypes: string[];
}

function emptyState(state: string, length: number): StateCalendar {
  return {
    state,
    covered: new Uint8Array(length),
    name1: new Array<string | null>(length).fill(null),
    type1: new Array<string | null>(length).fill(null),
    name2: new Array<string | null>(length).fill(null),
    type2: new Array<string | null>(length).fill(null),
    snap: new Float32Array(length).fill(NaN),
    daysToNext: new Float32Array(length).fill(NaN),
    daysSincePrev: new Float32Array(length).fill(NaN),
  };
}

function addEvent(s: StateCalendar, t: number, name: string, type: string | null): void {
  if (s.name1[t] === name || s.name2[t] === name) return;
  if (s.name1[t] === null) {
    s.name1[t] = name;
    s.type1[t] = type;
  } else if (s.name2[t] === null) {
    s.name2[t] = name;
    s.type2[t] = type;
  }
}

function finishDistances(s: StateCalendar, length: number): void {
  let prev = -1;
  for (let t = 0; t < length; t++) {
    if (s.name1[t] !== null) prev = t;
    s.daysSincePrev[t] = prev >= 0 ? t - prev : NaN;
  }
  let next = -1;
  for (let t = length - 1; t >= 0; t--) {
    if (s.name1[t] !== null) next = t;
    s.daysToNext[t] = next >= 0 ? next - t : NaN;
  }
}

/** Compiles calendar rows into per-state arrays. Throws RangeError on a malformed date. */
/** The events calendar of stored days, or null when there are none (features then read "no event"). */
export const calendarOrNull = (days: CalendarDay[]): CalendarEvents | null => (days.length === 0 ? null : buildCalendar(days));

export function buildCalendar(days: CalendarDay[]): CalendarEvents {
  let min = Infinity;
  let max = -Infinity;
  const parsed = new Int32Array(days.length);
  for (let k = 0; k < days.length; k++) {
    const d = parseDay(days[k].date);
    parsed[k] = d;
    if (d < min) min = d;
    if (d > max) max = d;
  }
  const length = days.length === 0 ? 0 : max - min + 1;
  const start = days.length === 0 ? 0 : min;
  const states = new Map<string, StateCalendar>();
  const names = new Set<string>();
  const types = new Set<string>();
  let anyStateless = false;
  for (let k = 0; k < days.length; k++) {
    const row = days[k];
    const key = row.state ? String(row.state) : '';
    if (key === '') anyStateless = true;
    let s = states.get(key);
    if (!s) states.set(key, (s = emptyState(key, length)));
    const t = parsed[k] - start;
    s.covered[t] = 1;
    if (row.snap !== undefined && row.snap !== null) s.snap[t] = row.snap === true || Number(row.snap) === 1 ? 1 : 0;
    for (const ev of row.events ?? []) {
      if (!ev || !ev.name) continue;
      const type = ev.type ? String(ev.type) : null;
      names.add(ev.name);
      if (type) types.add(type);
      addEvent(s, t, ev.name, type);
    }
  }
  if (!anyStateless && states.size > 0) {
    // Region-agnostic view: union of every state's events; SNAP is state-specific, so unknown.
    const all = emptyState('', length);
    for (const s of states.values()) {
      for (let t = 0; t < length; t++) {
        if (!s.covered[t]) continue;
        all.covered[t] = 1;
        if (s.name1[t] !== null) addEvent(all, t, s.name1[t]!, s.type1[t]);
        if (s.name2[t] !== null) addEvent(all, t, s.name2[t]!, s.type2[t]);
      }
    }
    states.set('', all);
  }
  for (const s of states.values()) finishDistances(s, length);
  return { start, length, states, eventNames: [...names].sort(), eventTypes: [...types].sort() };
}

/**
 * The calendar state of a series: its region if the calendar has it, else the prefix of the store id before "_" or
 * "-" if the calendar has that (M5: CA_1 -> CA), else '' (region-agnostic events, SNAP unknown).
 */
export function resolveState(calendar: CalendarEvents, storeId: string, region: string | null): StateCalendar | null {
  if (region && calendar.states.has(region)) return calendar.states.get(region)!;
  const m = /^([^_-]+)[_-]/.exec(storeId);
  if (m && calendar.states.has(m[1])) return calendar.states.get(m[1])!;
  return calendar.states.get('') ?? null;
}
