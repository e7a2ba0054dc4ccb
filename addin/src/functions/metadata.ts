// functions.json, the custom functions' metadata Excel reads (names, parameters, result shapes), generated from the
// JSDoc of functions.ts by custom-functions-metadata. Node only: used by the Vite build (emitted as
// addin/dist/functions.json, served by the dev server) and by the tests; never written by hand or committed.
import { generateCustomFunctionsMetadata } from 'custom-functions-metadata';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

export const FUNCTIONS_SOURCE = join(dirname(fileURLToPath(import.meta.url)), 'functions.ts');
const METADATA_FILE = 'functions.json';

export interface FunctionMetadata {
  id: string;
  name: string;
  description?: string;
  parameters: { name: string; description?: string; type: string; dimensionality?: string; optional?: boolean }[];
  result?: { type?: string; dimensionality?: string };
}

/** The metadata as JSON text; throws with the generator's messages when a JSDoc block is not valid. */
export async function buildFunctionsMetadata(source = FUNCTIONS_SOURCE): Promise<string> {
  const result = await generateCustomFunctionsMetadata(source);
  if (result.errors.length) throw new Error(`custom functions metadata of ${source}:\n${result.errors.join('\n')}`);
  if (!result.metadataJson) throw new Error(`no @customfunction in ${source}`);
  const metadata = JSON.parse(result.metadataJson) as { functions: FunctionMetadata[] };
  // JSDoc wraps lines; Excel shows each description as one line of text.
  const oneLine = (text: string | undefined) => text?.replace(/\s+/g, ' ').trim();
  for (const fn of metadata.functions) {
    fn.description = oneLine(fn.description);
    for (const p of fn.parameters) p.description = oneLine(p.description);
  }
  return `${JSON.stringify(metadata, null, 2)}\n`;
}

/** Emits functions.json with the build and serves it from the dev server (regenerated on each request there). */
export function customFunctionsMetadata(): Plugin {
  return {
    name: 'custom-functions-metadata',
    async generateBundle() {
      this.emitFile({ type: 'asset', fileName: METADATA_FILE, source: await buildFunctionsMetadata() });
    },
    configureServer(server) {
      server.middlewares.use(`/${METADATA_FILE}`, (_req, res, next) => {
        buildFunctionsMetadata().then((json) => {
          res.setHeader('Content-Type', 'application/json; charset=utf-8');
          res.end(json);
        }, next);
      });
    },
  };
}
