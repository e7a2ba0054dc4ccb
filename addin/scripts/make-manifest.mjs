// Writes the add-in manifest for a team's host: manifest.xml (the development copy, https://localhost:3000) with every
// URL moved to that origin, AppDomains set to it, and validated offline against the Office add-in XSD (xmllint).
//
//   npm run addin:manifest -- --url https://forecast.example.com [--out FILE] [--new-id] [--xsd FILE] [--no-validate]
//
// --url        the origin that serves the built pane (the service itself, or a proxy in front of it): https, no path
// --out        the file to write (default manifest.<host>.xml in the current folder)
// --new-id     a fresh add-in Id (GUID); without it the Id of manifest.xml is kept, so an update replaces the add-in
//              the team already has instead of installing a second one
// --xsd        the schema (default ../shared/office-manifest-xsd/OfficeAppManifestV1_1.xsd beside the repository)
// --no-validate  write without the XSD check (when xmllint is not installed); says so
//
// Exit codes: 0 written; 1 the result does not validate (nothing written); 2 bad arguments or missing tools.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SOURCE = join(repo, 'manifest.xml');
const DEFAULT_XSD = resolve(repo, '..', 'shared', 'office-manifest-xsd', 'OfficeAppManifestV1_1.xsd');

/** A failure with the exit code it ends the script with. */
class Refusal extends Error {
  constructor(message, code = 2) {
    super(message);
    this.code = code;
  }
}

/** The origin of `text`, or a Refusal saying what is wrong with it. */
export function parseOrigin(text) {
  let url;
  try {
    url = new URL(text);
  } catch {
    throw new Refusal(`--url "${text}" is not a URL; give the origin that serves the pane, e.g. https://forecast.example.com`);
  }
  if (url.protocol !== 'https:') {
    throw new Refusal(`--url must use https (Office loads add-ins only over HTTPS): ${text}`);
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username || url.password) {
    throw new Refusal(
      `--url must be an origin only (scheme, host and optional port), without a path, query or credentials: ${text}. ` +
        'The pane is served at the root of that origin (/taskpane.html, /functions.json, /assets/).',
    );
  }
  return url.origin;
}

/** URLs in the manifest's values (not the namespace URIs): attribute values and AppDomain / SourceLocation text. */
const URL_ATTRIBUTE = /(\s(?:DefaultValue|Value)=")(https?:\/\/[^"]*)(")/g;
const URL_ELEMENT = /(<(?:AppDomain|SourceLocation|IconUrl|SupportUrl)>)\s*(https?:\/\/[^<\s]*)\s*(<\/)/g;

/** Every URL a manifest points at (what the rewrite must have moved). */
export function manifestUrls(xml) {
  return [...xml.matchAll(URL_ATTRIBUTE), ...xml.matchAll(URL_ELEMENT)].map((m) => m[2]);
}

const moveTo = (origin) => (url) => {
  const u = new URL(url);
  return `${origin}${u.pathname === '/' && !url.endsWith('/') ? '' : u.pathname}${u.search}${u.hash}`;
};

/** manifest.xml for `origin`: URLs moved, AppDomains set, the leading comment replaced, Id renewed when asked. */
export function rewriteManifest(xml, { origin, newId = false, id = randomUUID() }) {
  const move = moveTo(origin);
  let out = xml
    .replace(URL_ATTRIBUTE, (_, before, url, after) => `${before}${move(url)}${after}`)
    .replace(URL_ELEMENT, (_, open, url, close) => `${open}${move(url)}${close}`);

  const appDomains = `<AppDomains>\n    <AppDomain>${origin}</AppDomain>\n  </AppDomains>`;
  if (/<AppDomains>[\s\S]*?<\/AppDomains>|<AppDomains\s*\/>/.test(out)) {
    out = out.replace(/<AppDomains>[\s\S]*?<\/AppDomains>|<AppDomains\s*\/>/, appDomains);
  } else {
    // Schema order: ... IconUrl, HighResolutionIconUrl, SupportUrl, AppDomains, Hosts ...
    const anchor = /(<SupportUrl\b[^>]*\/>|<SupportUrl\b[\s\S]*?<\/SupportUrl>)/.exec(out);
    if (!anchor) throw new Refusal('manifest.xml has no <SupportUrl> to place <AppDomains> after');
    out = out.replace(anchor[0], `${anchor[0]}\n  ${appDomains}`);
  }

  if (newId) {
    if (!/<Id>[^<]*<\/Id>/.test(out)) throw new Refusal('manifest.xml has no <Id>');
    out = out.replace(/<Id>[^<]*<\/Id>/, `<Id>${id}</Id>`);
  }

  // The development copy's leading comment talks about localhost: say what this file is instead.
  // (A comment may not hold "--": the command's options are named without their dashes.)
  const comment =
    `<!--\n  Excel add-in manifest for ${origin}, generated from manifest.xml by npm run addin:manifest\n` +
    `  (url ${origin}${newId ? ', new Id' : ', Id kept'}). Edit manifest.xml and generate again rather than editing this file.\n-->`;
  out = out.replace(/^(<\?xml[^>]*\?>\s*)<!--[\s\S]*?-->/, `$1${comment}`);

  const stray = manifestUrls(out).filter((u) => new URL(u).origin !== origin);
  if (stray.length) throw new Refusal(`URLs left pointing elsewhere: ${stray.join(', ')}`, 1);
  return out;
}

/** xmllint's verdict on `xml` against `xsd`: null when valid, else its messages. */
export function validate(xml, xsd) {
  const run = spawnSync('xmllint', ['--noout', '--nonet', '--schema', xsd, '-'], { input: xml, encoding: 'utf8' });
  if (run.error) {
    throw new Refusal('xmllint is not installed (Debian/Ubuntu: apt-get install libxml2-utils); or pass --no-validate');
  }
  return run.status === 0 ? null : (run.stderr || run.stdout).trim();
}

/** manifest.<host>.xml, with the port (if any) after a dash: a colon is not allowed in Windows file names. */
export function defaultOutName(origin) {
  const { hostname, port } = new URL(origin);
  return `manifest.${hostname}${port ? `-${port}` : ''}.xml`;
}

function main(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string' },
      out: { type: 'string' },
      'new-id': { type: 'boolean', default: false },
      xsd: { type: 'string' },
      'no-validate': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log('npm run addin:manifest -- --url https://forecast.example.com [--out FILE] [--new-id] [--xsd FILE] [--no-validate]');
    return;
  }
  if (!values.url) throw new Refusal('--url is required, e.g. npm run addin:manifest -- --url https://forecast.example.com');
  const origin = parseOrigin(values.url);
  const out = resolve(values.out ?? defaultOutName(origin));
  if (out === SOURCE) throw new Refusal('--out must not be manifest.xml itself: that is the development copy (localhost)');

  const source = readFileSync(SOURCE, 'utf8');
  const id = /<Id>([^<]*)<\/Id>/.exec(source)?.[1];
  const xml = rewriteManifest(source, { origin, newId: values['new-id'] });
  const newId = /<Id>([^<]*)<\/Id>/.exec(xml)?.[1];

  let checked = 'not validated (--no-validate)';
  if (!values['no-validate']) {
    const xsd = resolve(values.xsd ?? DEFAULT_XSD);
    if (!existsSync(xsd)) throw new Refusal(`The schema is not at ${xsd}: pass --xsd <OfficeAppManifestV1_1.xsd> or --no-validate`);
    const problems = validate(xml, xsd);
    if (problems) throw new Refusal(`The generated manifest does not validate against ${xsd}; nothing written:\n${problems}`, 1);
    checked = `valid against ${xsd}`;
  }
  // Written beside the target and renamed, so a half-written manifest never replaces a good one.
  const partial = `${out}.partial`;
  writeFileSync(partial, xml);
  renameSync(partial, out);
  console.log(`Wrote ${out}`);
  console.log(`  every URL on ${origin}; AppDomain ${origin}`);
  console.log(`  Id ${newId} (${values['new-id'] ? `new; manifest.xml has ${id}` : 'kept from manifest.xml; --new-id for a fresh one'})`);
  console.log(`  ${checked}`);
  console.log(`  ${origin} must serve /taskpane.html, /functions.json and /assets/ (the service does from the built pane).`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(err instanceof Refusal ? err.code : 2);
  }
}
