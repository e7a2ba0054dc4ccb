// Import cycles, at two levels, over service/src, shared, addin/src and bench (tests included):
//   (a) files: every import counts, type-only (`import type`, `export type ... from`) and dynamic (`import('...')`) too;
//   (b) features: each directory service/src/<feature>/ (subdirectories included), addin/src/<dir>/, shared/ and bench/
//       is one node; a file directly in service/src or addin/src (app.ts, errors.ts, App.tsx...) is a node of its own.
//       Test files (*.test.ts, *.test.tsx) are left out here: a feature's integration test importing the test server
//       (which imports the whole app) says nothing about the architecture, and would join every feature into one cycle.
//       --with-tests puts them back.
// Cycles are the strongly connected components (Tarjan) of the graph dpdm builds. Each is printed with the imports
// inside it, so it is clear which import to cut; [type] marks an import that is type-only, [dynamic] one that is import().
//
//   tsx scripts/cycles.ts            prints the cycles; exit 1 if there is any (part of `npm run lint`)
//   tsx scripts/cycles.ts --report   prints them and exits 0
//   --with-tests                     (b) counts the imports of test files too
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDependencyTree, type DependencyTree } from 'dpdm';
import ts from 'typescript';

const ROOTS = ['service/src', 'shared', 'addin/src', 'bench'];
const ENTRIES = ROOTS.map((root) => `${root}/**/*.{ts,tsx}`);
const report = process.argv.includes('--report');
const withTests = process.argv.includes('--with-tests');
const isTest = (file: string) => /\.test\.tsx?$/.test(file);

type EdgeKind = 'value' | 'type' | 'dynamic';
interface Edge {
  from: string;
  to: string;
  kind: EdgeKind;
}

const inScope = (file: string) => ROOTS.some((root) => file.startsWith(`${root}/`)) && !file.includes('node_modules/');

/** The feature a file belongs to (see the header). */
function featureOf(file: string): string {
  const parts = file.split('/');
  if (file.startsWith('service/src/') || file.startsWith('addin/src/')) {
    return parts.length > 3 ? `${parts.slice(0, 3).join('/')}/` : file;
  }
  return `${parts[0]}/`;
}

/** The specifiers a file imports only as types: `import type`, `import { type A, type B }`, `export type { } from`. */
function typeOnlySpecifiers(file: string): Set<string> {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const typeOnly = new Set<string>();
  const valued = new Set<string>();
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const clause = statement.importClause;
      const bindings = clause?.namedBindings;
      const onlyTypes =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (!clause.name &&
            bindings !== undefined &&
            ts.isNamedImports(bindings) &&
            bindings.elements.length > 0 &&
            bindings.elements.every((element) => element.isTypeOnly)));
      (onlyTypes ? typeOnly : valued).add(statement.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)) {
      const clause = statement.exportClause;
      const onlyTypes =
        statement.isTypeOnly ||
        (clause !== undefined && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly));
      (onlyTypes ? typeOnly : valued).add(statement.moduleSpecifier.text);
    }
  }
  for (const specifier of valued) typeOnly.delete(specifier);
  return typeOnly;
}

function edgesOf(tree: DependencyTree): Edge[] {
  const edges = new Map<string, Edge>();
  for (const [from, deps] of Object.entries(tree)) {
    if (!deps || !inScope(from)) continue;
    const typeOnly = typeOnlySpecifiers(from);
    for (const dep of deps) {
      if (!dep.id || !inScope(dep.id) || dep.id === from) continue;
      const kind: EdgeKind = dep.kind === 'DynamicImport' ? 'dynamic' : typeOnly.has(dep.request) ? 'type' : 'value';
      const key = `${from}\0${dep.id}`;
      const seen = edges.get(key);
      // One import as a value makes the edge a value edge; else a static import beats a dynamic one.
      if (!seen || kind === 'value' || (kind === 'type' && seen.kind === 'dynamic')) edges.set(key, { from, to: dep.id, kind });
    }
  }
  return [...edges.values()];
}

/** Tarjan's strongly connected components with more than one node (edges to self are dropped beforehand). */
function cycles(nodes: Iterable<string>, edges: { from: string; to: string }[]): string[][] {
  const out = new Map<string, string[]>();
  for (const node of nodes) out.set(node, []);
  for (const { from, to } of edges) if (from !== to) out.get(from)!.push(to);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of out.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const node of [...out.keys()].sort()) if (!index.has(node)) visit(node);
  return components.sort((a, b) => a[0].localeCompare(b[0]));
}

/** One shortest cycle through the component's first node, for a one-line summary (BFS inside the component). */
function shortestCycle(component: string[], edges: { from: string; to: string }[]): string[] {
  const members = new Set(component);
  const start = component[0];
  const prev = new Map<string, string>();
  const queue = [start];
  const seen = new Set([start]);
  while (queue.length) {
    const v = queue.shift()!;
    for (const e of edges) {
      if (e.from !== v || !members.has(e.to)) continue;
      if (e.to === start) {
        const path = [start];
        for (let u = v; u !== start; u = prev.get(u)!) path.splice(1, 0, u);
        return [...path, start];
      }
      if (!seen.has(e.to)) {
        seen.add(e.to);
        prev.set(e.to, v);
        queue.push(e.to);
      }
    }
  }
  return component;
}

const tag = (kind: EdgeKind) => (kind === 'value' ? '' : ` [${kind}]`);

function printFileCycles(components: string[][], edges: Edge[]): void {
  console.log(`\n(a) File-level import cycles (type-only and dynamic imports included): ${components.length}`);
  components.forEach((component, i) => {
    const members = new Set(component);
    const inside = edges
      .filter((e) => members.has(e.from) && members.has(e.to))
      .sort((a, b) => (a.from + a.to).localeCompare(b.from + b.to));
    console.log(`\n  #${i + 1}  ${component.length} files: ${shortestCycle(component, inside).join(' -> ')}`);
    for (const e of inside) console.log(`        ${e.from} -> ${e.to}${tag(e.kind)}`);
  });
}

function printFeatureCycles(components: string[][], edges: Edge[]): void {
  console.log(
    `\n(b) Feature-level cycles (a directory = one node; ${withTests ? 'test files included' : 'test files left out'}): ${components.length}`,
  );
  const featureEdges = edges.map((e) => ({ ...e, fromFeature: featureOf(e.from), toFeature: featureOf(e.to) }));
  components.forEach((component, i) => {
    const members = new Set(component);
    const between = featureEdges.filter((e) => e.fromFeature !== e.toFeature && members.has(e.fromFeature) && members.has(e.toFeature));
    const cycle = shortestCycle(
      component,
      between.map((e) => ({ from: e.fromFeature, to: e.toFeature })),
    );
    console.log(`\n  #${i + 1}  ${component.length} features: ${cycle.join(' -> ')}`);
    const byPair = new Map<string, typeof between>();
    for (const e of between) {
      const key = `${e.fromFeature} -> ${e.toFeature}`;
      byPair.set(key, [...(byPair.get(key) ?? []), e]);
    }
    for (const [pair, list] of [...byPair].sort(([a], [b]) => a.localeCompare(b))) {
      console.log(`      ${pair}  (${list.length} import${list.length === 1 ? '' : 's'})`);
      for (const e of list.sort((a, b) => (a.from + a.to).localeCompare(b.from + b.to))) {
        console.log(`          ${e.from} -> ${e.to}${tag(e.kind)}`);
      }
    }
  });
}

const cwd = process.cwd();
const tree = await parseDependencyTree(ENTRIES, { cwd, context: cwd, tsconfig: path.join(cwd, 'tsconfig.json'), transform: false });
const edges = edgesOf(tree);
const files = Object.keys(tree).filter(inScope);
const fileCycles = cycles(files, edges);
const featureEdges = withTests ? edges : edges.filter((e) => !isTest(e.from));
const featureCycles = cycles(
  new Set(files.map(featureOf)),
  featureEdges.map((e) => ({ from: featureOf(e.from), to: featureOf(e.to) })),
);

console.log(`Import graph: ${files.length} files, ${edges.length} imports (${ROOTS.join(', ')})`);
printFileCycles(fileCycles, edges);
printFeatureCycles(featureCycles, featureEdges);
const found = fileCycles.length + featureCycles.length;
console.log(found === 0 ? '\nNo cycles.' : `\n${fileCycles.length} file-level and ${featureCycles.length} feature-level cycle(s).`);
if (found > 0 && !report) process.exit(1);
