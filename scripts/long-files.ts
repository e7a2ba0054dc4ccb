// Long files must say why they are long. A source file (.ts/.tsx under service/, shared/, addin/src/, bench/ and
// scripts/, tests included) of more than 500 lines needs, in the comment at its top (the comment and blank lines
// before the first line of code), a line starting with the marker `Long file:` followed by the reason, e.g.
//
//   // Long file: one table of test cases per upload format; splitting them would scatter the shared fixtures.
//
// (or ` * Long file: ...` inside a block comment). Fewer than 20 characters after the marker do not count as a reason.
//
//   tsx scripts/long-files.ts            lists the long files; exit 1 if one has no reason (part of `npm run lint`)
//   tsx scripts/long-files.ts --report   lists them and exits 0
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const MAX_LINES = 500;
const ROOTS = ['service', 'shared', 'addin/src', 'bench', 'scripts'];
const SKIP_DIRS = new Set(['node_modules', 'dist', 'coverage', '.data', '.tmp']);
/** `// Long file: <reason>` or ` * Long file: <reason>`, the reason at least 20 characters. */
const MARKER = /^\s*(\/\/|\/\*+|\*)\s*Long file:\s*\S.{19,}/;

function* sourceFiles(dir: string): Generator<string> {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) yield* sourceFiles(full);
    } else if (/\.tsx?$/.test(entry.name)) {
      yield full;
    }
  }
}

export function lineCount(text: string): number {
  if (text.length === 0) return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

const COMMENT_OR_BLANK = /^\s*($|\/\/|\/\*|\*)/;

/** Whether the comment at the top of the file (up to the first line of code) gives a `Long file:` reason. */
export function hasReason(text: string): boolean {
  for (const line of text.split('\n')) {
    if (!COMMENT_OR_BLANK.test(line)) return false;
    if (MARKER.test(line)) return true;
  }
  return false;
}

const report = process.argv.includes('--report');
const long = ROOTS.flatMap((root) => [...sourceFiles(root)])
  .map((file) => {
    const text = readFileSync(file, 'utf8');
    return { file, lines: lineCount(text), reason: hasReason(text) };
  })
  .filter((f) => f.lines > MAX_LINES)
  .sort((a, b) => b.lines - a.lines);

const missing = long.filter((f) => !f.reason);
console.log(`Source files over ${MAX_LINES} lines: ${long.length} (${missing.length} without a 'Long file:' reason)`);
for (const f of long) console.log(`  ${String(f.lines).padStart(5)}  ${f.reason ? 'ok        ' : 'NO REASON '} ${f.file}`);
if (missing.length > 0) {
  console.log(`\nSay why at the top of each file marked NO REASON ('// Long file: <why>' in its opening comment), or split it.`);
  if (!report) process.exit(1);
}
