// Bench support: memory of a process and of its descendants (its training processes), read from /proc.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

const kbOf = (status: string, key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);

export function statusOf(pid: number): { rss: number; hwm: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return { rss: kbOf(status, 'VmRSS') / 1024, hwm: kbOf(status, 'VmHWM') / 1024 };
  } catch {
    return null; // exited
  }
}

/** Direct and indirect children of `root`, from /proc/<pid>/stat (ppid). */
export function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      /* exited meanwhile */
    }
  }
  const out: number[] = [];
  const frontier = [root];
  while (frontier.length) {
    for (const child of children.get(frontier.pop()!) ?? []) {
      out.push(child);
      frontier.push(child);
    }
  }
  return out;
}

/** Peak RSS of a process over a phase, sampled every 200 ms, and the peak of it and its descendants together. */
export class MemoryWatch {
  service = 0;
  combined = 0;
  private timer: NodeJS.Timeout | null = null;
  private hwmReset = false;
  constructor(private readonly pid: number) {}

  start(): this {
    try {
      writeFileSync(`/proc/${this.pid}/clear_refs`, '5'); // resets VmHWM, so it holds this phase's peak
      this.hwmReset = true;
    } catch {
      /* not permitted: samples only */
    }
    this.sample();
    this.timer = setInterval(() => this.sample(), 200);
    return this;
  }

  private sample(): void {
    const own = statusOf(this.pid);
    if (!own) return;
    const others = descendants(this.pid).reduce((sum, pid) => sum + (statusOf(pid)?.rss ?? 0), 0);
    this.service = Math.max(this.service, own.rss, this.hwmReset ? own.hwm : 0);
    this.combined = Math.max(this.combined, own.rss + others);
  }

  stop(): this {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    this.combined = Math.max(this.combined, this.service);
    return this;
  }
}
