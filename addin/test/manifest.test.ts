// manifest.xml: valid against the Office add-in XSD (offline, xmllint), every resid resolves to a resource of the
// right kind, and every URL points at a file that the pane's build actually produces.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const manifestPath = join(repo, 'manifest.xml');
const xml = readFileSync(manifestPath, 'utf8');
const xsd = resolve(repo, '..', 'shared', 'office-manifest-xsd', 'OfficeAppManifestV1_1.xsd');
const DEV_ORIGIN = 'https://localhost:3000';

const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;

/** id -> kind for every resource under <Resources>. */
function resources(): Map<string, { kind: string; value: string }> {
  const out = new Map<string, { kind: string; value: string }>();
  const section = xml.slice(xml.indexOf('<Resources>'), xml.indexOf('</Resources>'));
  for (const kind of ['Images', 'Urls', 'ShortStrings', 'LongStrings']) {
    const block = new RegExp(`<bt:${kind}>([\\s\\S]*?)</bt:${kind}>`).exec(section)?.[1] ?? '';
    for (const m of block.matchAll(/<bt:\w+ id="([^"]+)" DefaultValue="([^"]*)"\s*\/>/g)) {
      expect(out.has(m[1]), `duplicate resource id ${m[1]}`).toBe(false);
      out.set(m[1], { kind, value: m[2] });
    }
  }
  return out;
}

/** Which resource kind each element's resid must name. */
const RESID_KIND: Record<string, string> = {
  Image: 'Images',
  Label: 'ShortStrings',
  Title: 'ShortStrings',
  Description: 'LongStrings',
  SourceLocation: 'Urls',
  FunctionFile: 'Urls',
  LearnMoreUrl: 'Urls',
  Runtime: 'Urls',
  Namespace: 'ShortStrings',
};

function allUrls(): string[] {
  const urls = [...xml.matchAll(/DefaultValue="(https?:\/\/[^"]+)"/g)].map((m) => m[1]);
  urls.push(...[...xml.matchAll(/<AppDomain>([^<]+)<\/AppDomain>/g)].map((m) => m[1]));
  return urls;
}

describe('manifest.xml', () => {
  it('validates against the Office add-in manifest schema (xmllint, offline)', (ctx) => {
    if (!hasXmllint) ctx.skip('xmllint is not installed (apt-get install -y libxml2-utils)');
    if (!existsSync(xsd)) ctx.skip(`the schemas are not at ${xsd}`);
    const out = execFileSync('xmllint', ['--noout', '--nonet', '--schema', xsd, manifestPath], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(out).toBe('');
  });

  it('is an Excel task pane add-in with a ribbon button and a shared runtime', () => {
    expect(xml).toContain('xsi:type="TaskPaneApp"');
    expect(xml).toMatch(/<Host Name="Workbook"\s*\/>/);
    expect(xml).toMatch(/<Set Name="SharedRuntime" MinVersion="1.1"\s*\/>/);
    const runtime = /<Runtime resid="([^"]+)" lifetime="long"\s*\/>/.exec(xml)?.[1];
    const pane = /<Action xsi:type="ShowTaskpane">[\s\S]*?<SourceLocation resid="([^"]+)"/.exec(xml)?.[1];
    const functionFile = /<FunctionFile resid="([^"]+)"/.exec(xml)?.[1];
    expect(runtime).toBeDefined();
    // One runtime: the pane, the ribbon command and the custom functions share the same page.
    expect(pane).toBe(runtime);
    expect(functionFile).toBe(runtime);
    expect(xml).toMatch(/<Control xsi:type="Button"/);
  });

  it('declares the DEMAND custom functions in the shared runtime, with generated metadata', () => {
    const point = /<ExtensionPoint xsi:type="CustomFunctions">([\s\S]*?)<\/ExtensionPoint>/.exec(xml)?.[1] ?? '';
    const source = (element: string) => new RegExp(`<${element}>\\s*<SourceLocation resid="([^"]+)"`).exec(point)?.[1];
    const runtime = /<Runtime resid="([^"]+)" lifetime="long"\s*\/>/.exec(xml)?.[1];
    expect(source('Script')).toBe(runtime);
    expect(source('Page')).toBe(runtime);
    const res = resources();
    expect(res.get(source('Metadata')!)?.value).toBe(`${DEV_ORIGIN}/functions.json`);
    expect(res.get(/<Namespace resid="([^"]+)"/.exec(point)?.[1] ?? '')?.value).toBe('DEMAND');
    expect(xml).toMatch(/<Set Name="CustomFunctionsRuntime" MinVersion="1.1"\s*\/>/);
  });

  it('resolves every resid to a resource of the right kind', () => {
    const res = resources();
    const used = [...xml.matchAll(/<(?:bt:)?(\w+)\s[^>]*resid="([^"]+)"/g)];
    expect(used.length).toBeGreaterThan(8);
    for (const [, element, resid] of used) {
      const target = res.get(resid);
      expect(target, `resid "${resid}" on <${element}> has no resource`).toBeDefined();
      expect(target!.kind, `<${element} resid="${resid}">`).toBe(RESID_KIND[element]);
      expect(resid.length, `resid "${resid}" is longer than 32 characters`).toBeLessThanOrEqual(32);
    }
    for (const [id, { kind, value }] of res) {
      if (kind === 'ShortStrings') expect(value.length, id).toBeLessThanOrEqual(125);
      if (kind === 'LongStrings') expect(value.length, id).toBeLessThanOrEqual(250);
    }
    const unused = [...res.keys()].filter((id) => !used.some((m) => m[2] === id));
    expect(unused).toEqual([]);
  });

  it('holds no secrets', () => {
    expect(xml).not.toMatch(/api[_-]?key|password|secret|token/i);
  });

  describe('URLs', () => {
    let out = '';
    beforeAll(async () => {
      // A real build into a scratch folder: the manifest must point at what the build emits.
      out = mkdtempSync(join(tmpdir(), 'addin-build-'));
      const { build } = await import('vite');
      await build({ configFile: join(repo, 'addin', 'vite.config.ts'), logLevel: 'silent', build: { outDir: out, emptyOutDir: true } });
    }, 120_000);
    afterAll(() => {
      if (out) rmSync(out, { recursive: true, force: true });
    });

    it('all point at the dev server over HTTPS', () => {
      const urls = allUrls();
      expect(urls.length).toBeGreaterThan(5);
      for (const url of urls) expect(url === DEV_ORIGIN || url.startsWith(`${DEV_ORIGIN}/`), url).toBe(true);
    });

    it('each name a file that the build produces', () => {
      for (const url of allUrls()) {
        const path = new URL(url).pathname.replace(/^\//, '');
        if (path === '') continue; // the AppDomain origin itself
        expect(existsSync(join(out, path)), `${url} -> ${path} is not in the build output`).toBe(true);
      }
    });

    it('give icons of the size they are declared at', () => {
      const res = resources();
      for (const m of xml.matchAll(/<bt:Image size="(\d+)" resid="([^"]+)"\s*\/>/g)) {
        const png = readFileSync(join(out, new URL(res.get(m[2])!.value).pathname));
        expect(png.subarray(1, 4).toString()).toBe('PNG');
        expect([png.readUInt32BE(16), png.readUInt32BE(20)], m[2]).toEqual([Number(m[1]), Number(m[1])]);
      }
      for (const m of xml.matchAll(/<(IconUrl|HighResolutionIconUrl) DefaultValue="([^"]+)"/g)) {
        const png = readFileSync(join(out, new URL(m[2]).pathname));
        expect(png.readUInt32BE(16)).toBe(m[1] === 'IconUrl' ? 32 : 64);
      }
    });

    it("functions.json is the metadata generated from the functions' JSDoc", async () => {
      const { buildFunctionsMetadata } = await import('../src/functions/metadata');
      expect(readFileSync(join(out, 'functions.json'), 'utf8')).toBe(await buildFunctionsMetadata());
    });

    it('the pane page loads its script relative to itself (served at / and /taskpane.html alike)', () => {
      const html = readFileSync(join(out, 'taskpane.html'), 'utf8');
      const scripts = [...html.matchAll(/src="([^"]+)"/g)].map((m) => m[1]);
      expect(scripts.length).toBeGreaterThan(0);
      for (const src of scripts) {
        expect(src.startsWith('./'), src).toBe(true);
        expect(existsSync(join(out, src))).toBe(true);
      }
      expect(html).not.toContain('appsforoffice.microsoft.com'); // office.js is loaded only inside Office
    });
  });
});
