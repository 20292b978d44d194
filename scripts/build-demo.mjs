// Builds the demo app (demo/) into target/demo/: the app bundled with esbuild, the npm package's
// dist/ files copied next to it unchanged (the app imports the package by name through an import
// map, exactly as published), the Kubernetes relationship definitions and sample designs read
// from ../shared (copied into the build output only), a generated 1,200-component design, and a
// service worker whose precache list names every file of the build.
// Usage: node scripts/build-demo.mjs   (builds dist/ first with `npm run build` when it is missing)
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { generateDesign } from '../demo/generate.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'target/demo');
const fixtures = join(root, '../shared/fixtures/meshery');
const dist = join(root, 'dist');

if (!['index.js', 'worker.js', 'relationship_evaluator_bg.wasm', 'js-engine.js'].every((name) => existsSync(join(dist, name)))) {
  console.log('build-demo: dist/ is missing, running npm run build');
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
}

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'vendor/relationship-evaluator'), { recursive: true });
mkdirSync(join(out, 'data/samples'), { recursive: true });

// The package as published: every runtime file of dist/ (chunks, worker, JS engine, wasm).
for (const name of readdirSync(dist)) {
  if (/\.(js|wasm)$/.test(name) && !name.startsWith('node-') && !['cli.js', 'index.node.js', 'inline.js', 'react.js'].includes(name)) {
    copyFileSync(join(dist, name), join(out, 'vendor/relationship-evaluator', name));
  }
}

// The relationship definitions, as one array (the package accepts the registry's JSON as is).
const definitionsDir = join(fixtures, 'relationships/kubernetes');
const definitions = readdirSync(definitionsDir).filter((name) => name.endsWith('.json')).sort()
  .map((name) => JSON.parse(readFileSync(join(definitionsDir, name), 'utf8')));
writeFileSync(join(out, 'data/definitions.json'), JSON.stringify(definitions));

// The palette: kinds of the component definitions (with their shape) and every kind a
// relationship definition names.
const componentsDir = join(fixtures, 'components');
const fromComponents = readdirSync(componentsDir).filter((name) => name.endsWith('.json')).map((name) => {
  const definition = JSON.parse(readFileSync(join(componentsDir, name), 'utf8'));
  return {
    kind: definition.component.kind,
    apiVersion: definition.component.version,
    displayName: definition.displayName,
    shape: definition.styles?.shape ?? 'round-rectangle',
    namespaced: definition.metadata?.isNamespaced !== false,
    source: 'component definition',
  };
});
const known = new Set(fromComponents.map((kind) => kind.kind));
const fromRelationships = new Map();
for (const definition of definitions) {
  for (const selector of definition.selectors ?? []) {
    for (const item of [...(selector.allow?.from ?? []), ...(selector.allow?.to ?? [])]) {
      if (item.kind && item.kind !== '*' && !known.has(item.kind)) {
        fromRelationships.set(item.kind, { kind: item.kind, apiVersion: '', displayName: item.kind.replace(/([a-z])([A-Z])/g, '$1 $2'), shape: 'round-rectangle', namespaced: true, source: 'relationship definition' });
      }
    }
  }
}
const catalog = [...fromComponents, ...fromRelationships.values()].sort((a, b) => a.kind.localeCompare(b.kind));
writeFileSync(join(out, 'data/catalog.json'), JSON.stringify(catalog));

// Sample designs: Meshery's fixture designs (YAML → JSON) and a generated large one.
const samples = [];
const addSample = (file, title, design) => {
  writeFileSync(join(out, 'data/samples', file), JSON.stringify(design));
  samples.push({ file, title, components: design.components?.length ?? 0 });
};
for (const name of readdirSync(join(fixtures, 'designs')).filter((n) => n.endsWith('.yaml')).sort()) {
  const design = parseYaml(readFileSync(join(fixtures, 'designs', name), 'utf8'));
  addSample(name.replace(/\.ya?ml$/, '.json'), `Meshery fixture: ${design.name ?? name}`, design);
}
addSample('generated-1200.json', 'Generated: 47 namespaces, 1,222 components', generateDesign(47));
writeFileSync(join(out, 'data/samples/index.json'), JSON.stringify(samples));

// The app.
await esbuild.build({
  entryPoints: [join(root, 'demo/src/main.ts')],
  outfile: join(out, 'app.js'),
  bundle: true,
  format: 'esm',
  target: 'es2022',
  external: ['@meshery/relationship-evaluator'],
  legalComments: 'none',
  logLevel: 'warning',
});
for (const name of ['index.html', 'styles.css', 'icon.svg']) copyFileSync(join(root, 'demo', name), join(out, name));

// The service worker: a cache named by the hash of everything it precaches.
const files = [];
const walk = (directory) => {
  for (const name of readdirSync(directory)) {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) walk(path);
    else files.push(relative(out, path).split('\\').join('/'));
  }
};
walk(out);
files.sort();
const hash = createHash('sha256');
for (const file of files) hash.update(file).update(readFileSync(join(out, file)));
const version = hash.digest('hex').slice(0, 12);
const worker = readFileSync(join(root, 'demo/sw.js'), 'utf8')
  .replace('__VERSION__', version)
  .replace('__PRECACHE__', JSON.stringify(['./', ...files]));
writeFileSync(join(out, 'sw.js'), worker);
console.log(`build-demo: ${files.length + 1} files in ${relative(root, out)}/ (cache ${version})`);
