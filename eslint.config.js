// ESLint flat config: @eslint/js and typescript-eslint recommended (syntax only, no type information, so `npm run lint`
// stays fast), eslint-config-prettier last (formatting belongs to Prettier), and the architecture's import boundaries.
//
// How the boundaries are written: `no-restricted-imports`, `no-restricted-globals` and `no-restricted-syntax` take one
// option list per file, and a later config block REPLACES (does not merge) an earlier block's options for the same rule.
// So the restrictions are declared once below, the block for every TypeScript file sets the general ones, and each
// directory block that changes a rule lists everything that rule must hold there (`imports(...)`, `syntax(...)`); the
// directory blocks do not overlap one another.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const TS = ['**/*.{ts,tsx,mts,cts}'];

// ---- no-restricted-imports pattern groups (matched against the specifier as written) ----

/**
 * One import-specifier style: relative imports name the module, never its file extension (bundler resolution).
 * .mjs/.cjs stay allowed: a plain-JavaScript module (addin/scripts/*.mjs) is only found, with its .d.mts, by its full name.
 */
const NO_EXTENSION = {
  regex: '^\\.{1,2}/.*\\.(js|jsx|ts|tsx|mts|cts)$',
  message: "Write relative imports without an extension (from './foo').",
};
/** The Postgres clients are an implementation detail of service/src/db; everything else goes through its functions. */
const DB_CLIENTS = {
  regex: '^(postgres|@electric-sql/[^/]+)(/.*)?$',
  message: 'Only service/src/db/** talks to the Postgres clients; use the functions in service/src/db.',
};
/** HTTP is the edge: the domain computes, the routes translate to and from HTTP. */
const HONO = {
  regex: '^(hono|@hono/[^/]+)(/.*)?$',
  message: 'The domain (features, model, forecast, inventory, metrics) knows nothing of HTTP; keep Hono in routes/app.',
};
/** service/src/db from anywhere inside service/src (`../db`, `../../db/...`), or spelled from the repo root. */
const DB_DIR = {
  regex: '^((\\.\\./)+db|(\\.{1,2}/)+(.*/)?service/src/db)(/|$)',
  message: 'This layer does not reach into service/src/db; it is handed what it needs by its caller.',
};
/** shared/ is the contract both sides compile against, so it depends on neither side nor on their frameworks. */
const SHARED_ONLY = [
  {
    regex: '^(\\.\\./)+(service|addin)(/|$)',
    message: 'shared/ is the contract: it imports nothing from service/ or addin/.',
  },
  {
    regex: '^(hono|@hono/[^/]+|react|react-dom|@fluentui/[^/]+|office-js|@microsoft/office-js)(/.*)?$', // DB clients: DB_CLIENTS
    message: 'shared/ is the contract: plain TypeScript and zod only, no server, database, UI or Office framework.',
  },
];
/** The pane's React views reach Excel only through the PaneHost they are given (pane-host.ts), so they also run as a web app. */
const EXCEL_DIR = {
  regex: '^(\\./|(\\.\\./)+)excel(/|$)',
  message: 'React components do not import addin/src/excel; use the PaneHost (pane-host.ts) they are given.',
};

// ---- no-restricted-globals / no-restricted-syntax ----

const OFFICE_NAMES = ['Office', 'Excel', 'OfficeRuntime', 'CustomFunctions'];
/** Office.js exists only inside Excel; one adapter (addin/src/excel) keeps the rest testable and browser-runnable. */
const OFFICE_GLOBALS = {
  globals: OFFICE_NAMES.map((name) => ({ name, message: 'Only addin/src/excel/** uses Office.js; go through the host adapter.' })),
  checkGlobalObject: true, // also globalThis.Office, window.Excel, self.OfficeRuntime
};
const OFFICE_RE = `/^(${OFFICE_NAMES.join('|')})$/`;
const OFFICE_SYNTAX = [
  {
    // (globalThis as {...}).CustomFunctions: the cast hides it from no-restricted-globals' checkGlobalObject.
    selector: `MemberExpression[object.type='TSAsExpression'][object.expression.name=/^(globalThis|window|self)$/][property.name=${OFFICE_RE}]`,
    message: 'Only addin/src/excel/** uses Office.js; go through the host adapter.',
  },
  {
    selector: `CallExpression[callee.property.name='stubGlobal'][arguments.0.value=${OFFICE_RE}]`,
    message: 'Only addin/src/excel/** (and its tests) stands in for Office.js globals.',
  },
];
/** no-restricted-imports does not see import('...'); the same two rules for dynamic imports. */
const DYNAMIC_EXTENSION = {
  selector: 'ImportExpression[source.value=/^\\.{1,2}\\/.*\\.(js|jsx|ts|tsx|mts|cts)$/]',
  message: NO_EXTENSION.message,
};
const DYNAMIC_DB_CLIENTS = {
  selector: 'ImportExpression[source.value=/^(postgres|@electric-sql\\/[^\\/]+)(\\/.*)?$/]',
  message: DB_CLIENTS.message,
};

const imports = (...groups) => ({ 'no-restricted-imports': ['error', { patterns: groups.flat() }] });
const syntax = (...selectors) => ({ 'no-restricted-syntax': ['error', ...selectors.flat()] });
const officeGlobals = { 'no-restricted-globals': ['error', OFFICE_GLOBALS] };

export default defineConfig(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '**/coverage/**', '**/.data/**', '**/.tmp/**', 'addin/dist/**'],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node, ...globals.browser },
    },
    rules: {
      // `_`-prefixed names are deliberately unused (positional parameters, destructuring to omit a key).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // The codebase is nearly free of `any`; the few places that need it say so (see the overrides below).
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },

  // ---- architecture: every TypeScript file, then the directories with more to say (blocks below do not overlap) ----
  {
    files: TS,
    rules: {
      ...imports(NO_EXTENSION, DB_CLIENTS),
      ...officeGlobals,
      ...syntax(OFFICE_SYNTAX, DYNAMIC_EXTENSION, DYNAMIC_DB_CLIENTS),
    },
  },
  {
    // The database layer: the one place that opens Postgres (postgres.js) and PGlite connections.
    files: ['service/src/db/**/*.ts'],
    rules: { ...imports(NO_EXTENSION), ...syntax(OFFICE_SYNTAX, DYNAMIC_EXTENSION) },
  },
  {
    // Benchmark harness: creates and drops throwaway databases on an admin connection to a real server
    // (freshDatabase), which is provisioning around the service, not application code.
    files: ['bench/lib.ts'],
    rules: { ...imports(NO_EXTENSION), ...syntax(OFFICE_SYNTAX, DYNAMIC_EXTENSION) },
  },
  {
    files: ['shared/**/*.ts'],
    rules: { ...imports(NO_EXTENSION, DB_CLIENTS, SHARED_ONLY) },
  },
  {
    // The domain: pure computation over plain data, testable without a server or a database.
    files: [
      'service/src/features/**/*.ts',
      'service/src/model/**/*.ts',
      'service/src/forecast/**/*.ts',
      'service/src/inventory/**/*.ts',
      'service/src/metrics/**/*.ts',
      'service/src/accuracy/score.ts',
      'service/src/overrides/apply.ts',
    ],
    rules: { ...imports(NO_EXTENSION, DB_CLIENTS, HONO, DB_DIR) },
  },
  {
    // Routes translate HTTP to service calls; persistence lives behind the feature services. Route tests may still
    // seed and inspect the database (db/testing, storeUpload...) to set up and check a scenario.
    files: ['service/src/routes/**/*.ts'],
    ignores: ['service/src/routes/**/*.test.ts'],
    rules: { ...imports(NO_EXTENSION, DB_CLIENTS, DB_DIR) },
  },
  {
    files: ['addin/src/pages/**/*.{ts,tsx}', 'addin/src/components/**/*.{ts,tsx}', 'addin/src/App.tsx'],
    rules: { ...imports(NO_EXTENSION, DB_CLIENTS, EXCEL_DIR) },
  },
  {
    // The Excel adapter itself, and functions/runtime.ts: the custom-functions runtime glue (CustomFunctions.associate
    // and CustomFunctions.Error), which runs in Excel's shared runtime and is the functions' one touch point with Office.
    files: ['addin/src/excel/**/*.{ts,tsx}', 'addin/src/functions/runtime.ts'],
    rules: { 'no-restricted-globals': 'off', ...syntax(DYNAMIC_EXTENSION, DYNAMIC_DB_CLIENTS) },
  },

  // ---- justified exceptions ----
  {
    // custom-functions-metadata reads the TypeScript signatures: `any[][]` is how a parameter becomes Excel's
    // "any matrix" type in functions.json.
    files: ['addin/src/functions/functions.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The rational approximations' coefficients are written as published (Hart/West, Wichura AS241), with more digits
    // than a double holds; rounding them by hand would only make them harder to check against the papers.
    files: ['service/src/forecast/normal.ts'],
    rules: { 'no-loss-of-precision': 'off' },
  },

  // Last: turn off every rule that would fight Prettier.
  prettier,
);
