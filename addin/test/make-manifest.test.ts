// `npm run addin:manifest -- --url <origin>` (addin/scripts/make-manifest.mjs), run as a process: the manifest it
// writes points every URL at that origin, keeps the Id unless --new-id, and validates against the Office XSD.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const script = join(repo, 'addin', 'scripts', 'make-manifest.mjs');
const source = readFileSync(join(repo, 'manifest.xml'), 'utf8');
const xsd = resolve(repo, '..', 'shared', 'office-manifest-xsd', 'OfficeAppManifestV1_1.xsd');
const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;
const canValidate = hasXmllint && existsSync(xsd);
const ORIGIN = 'https://forecast.example.com';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const dir = mkdtempSync(join(tmpdir(), 'make-manifest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function make(args: string[], cwd = dir) {
  // Without xmllint (or the schemas) the script is asked to skip its check; the XSD test below is then skipped too.
  const run = spawnSync(process.execPath, [script, ...args, ...(canValidate ? [] : ['--no-validate'])], { cwd, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Every URL the manifest points at: URL-valued attributes and AppDomain entries (not the namespace URIs). */
function urls(xml: string): string[] {
  return [
    ...[...xml.matchAll(/\s(?:DefaultValue|Value)="(https?:\/\/[^"]+)"/g)].map((m) => m[1]),
    ...[...xml.matchAll(/<AppDomain>([^<]+)<\/AppDomain>/g)].map((m) => m[1].trim()),
  ];
}
const idOf = (xml: string) => /<Id>([^<]+)<\/Id>/.exec(xml)?.[1];
const withoutLeadingComment = (xml: string) => xml.replace(/^(<\?xml[^>]*\?>\s*)<!--[\s\S]*?-->/, '$1');

describe('npm run addin:manifest', () => {
  const out = join(dir, 'team.xml');
  let made: ReturnType<typeof make>;
  let xml = '';
  beforeAll(() => {
    made = make(['--url', ORIGIN, '--out', out]);
    xml = existsSync(out) ? readFileSync(out, 'utf8') : '';
  });

  it('writes the manifest and says where', () => {
    expect(made.stderr).toBe('');
    expect(made.status).toBe(0);
    expect(made.stdout).toContain(out);
  });

  it('points every URL at the origin: SourceLocation, icons, support URL, AppDomain and the runtime URLs', () => {
    const found = urls(xml);
    expect(found).toHaveLength(urls(source).length);
    expect(found.length).toBeGreaterThan(8);
    for (const url of found) expect(url === ORIGIN || url.startsWith(`${ORIGIN}/`), url).toBe(true);
    expect(xml).not.toContain('localhost');
    expect([...xml.matchAll(/<AppDomain>([^<]+)<\/AppDomain>/g)].map((m) => m[1])).toEqual([ORIGIN]);
    // The paths are the development manifest's, on the new origin.
    expect(xml).toContain(`<SourceLocation DefaultValue="${ORIGIN}/taskpane.html"/>`);
    expect(xml).toContain(`<bt:Url id="Functions.Metadata.Url" DefaultValue="${ORIGIN}/functions.json"/>`);
    expect(xml).toContain(`<bt:Url id="Taskpane.Url" DefaultValue="${ORIGIN}/taskpane.html"/>`);
    expect(xml).toContain(`<IconUrl DefaultValue="${ORIGIN}/assets/icon-32.png"/>`);
  });

  it('changes nothing else (the URLs back on localhost give manifest.xml, but for the leading comment)', () => {
    expect(withoutLeadingComment(xml).replaceAll(ORIGIN, 'https://localhost:3000')).toBe(withoutLeadingComment(source));
    expect(xml).toMatch(/generated from manifest.xml/);
  });

  it('keeps the Id of manifest.xml without --new-id', () => {
    expect(idOf(xml)).toBe(idOf(source));
  });

  it('validates against the Office add-in manifest schema (xmllint, offline)', (ctx) => {
    if (!canValidate) ctx.skip('xmllint or the schemas are not installed');
    expect(made.stdout).toMatch(/valid against/);
    const lint = execFileSync('xmllint', ['--noout', '--nonet', '--schema', xsd, out], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(lint).toBe('');
  });

  it('gives a fresh GUID with --new-id, a different one each time', () => {
    const a = join(dir, 'a.xml');
    const b = join(dir, 'b.xml');
    expect(make(['--url', ORIGIN, '--out', a, '--new-id']).status).toBe(0);
    expect(make(['--url', ORIGIN, '--out', b, '--new-id']).status).toBe(0);
    const idA = idOf(readFileSync(a, 'utf8'));
    const idB = idOf(readFileSync(b, 'utf8'));
    expect(idA).toMatch(GUID);
    expect(idA).not.toBe(idOf(source));
    expect(idA).not.toBe(idB);
  });

  it('writes manifest.<host>.xml in the current folder by default, with a port after a dash', () => {
    const cwd = mkdtempSync(join(dir, 'cwd-'));
    expect(make(['--url', ORIGIN], cwd).status).toBe(0);
    expect(existsSync(join(cwd, 'manifest.forecast.example.com.xml'))).toBe(true);
    expect(make(['--url', 'https://forecast.example.com:8443'], cwd).status).toBe(0);
    const ported = readFileSync(join(cwd, 'manifest.forecast.example.com-8443.xml'), 'utf8');
    for (const url of urls(ported)) expect(url.startsWith('https://forecast.example.com:8443'), url).toBe(true);
  });

  it.each([
    ['no --url', [], /--url is required/],
    ['plain http', ['--url', 'http://forecast.example.com'], /https/],
    ['a path', ['--url', 'https://forecast.example.com/pane'], /origin only/],
    ['not a URL', ['--url', 'forecast'], /not a URL/],
    ['manifest.xml as the output', ['--url', ORIGIN, '--out', join(repo, 'manifest.xml')], /development copy/],
  ])('refuses %s (exit 2, nothing written)', (_, args, message) => {
    const cwd = mkdtempSync(join(dir, 'bad-'));
    const run = make(args, cwd);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(readdirSync(cwd)).toEqual([]);
    expect(readFileSync(join(repo, 'manifest.xml'), 'utf8')).toBe(source);
  });
});
