// This package's types against Meshery's published schema types (@meshery/schemas), both ways:
// tests/js/types/meshery-schemas.ts holds the assertions. This test compiles it strict, without
// skipLibCheck (so @meshery/schemas' own declarations are checked too), with and without
// exactOptionalPropertyTypes, and then compiles it again with its `@ts-expect-error` lines
// removed: each must then fail on the line it guards and for the field named in its brackets
// (so a mismatch that goes away, or fails for another reason, is noticed), and nothing else may
// fail. @meshery/schemas is a root devDependency: `npm ci` (scripts/setup.sh) installs it, and
// this test fails, not skips, when it is missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const file = `${root}tests/js/types/meshery-schemas.ts`;
const schemasPackage = `${root}node_modules/@meshery/schemas/package.json`;
const SCHEMAS_VERSION = JSON.parse(readFileSync(`${root}package.json`, 'utf8')).devDependencies['@meshery/schemas'];

const base = {
  strict: true, noUncheckedIndexedAccess: true, noEmit: true, skipLibCheck: false,
  target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2022.d.ts', 'lib.esnext.disposable.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'], types: ['node'],
};

/** Compiles the test file (its text replaced by `text` when given); returns `{line, text}` per diagnostic. */
function compile(options, text) {
  const host = ts.createCompilerHost(options);
  if (text !== undefined) {
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, language, ...rest) =>
      name === file ? ts.createSourceFile(name, text, language, true) : getSourceFile(name, language, ...rest);
  }
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ({
    file: d.file?.fileName ?? '',
    line: d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : -1,
    text: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  }));
}

const show = (diagnostics) => diagnostics.map((d) => `${d.file.replace(root, '')}:${d.line + 1}: ${d.text.split('\n')[0]}`);

test(`@meshery/schemas ${SCHEMAS_VERSION} is installed (a root devDependency: run \`bash scripts/setup.sh\` or \`npm ci\`)`, () => {
  assert.ok(existsSync(schemasPackage), `@meshery/schemas is missing from node_modules: run \`bash scripts/setup.sh\` (its \`npm ci\` installs the root devDependencies)`);
  assert.equal(JSON.parse(readFileSync(schemasPackage, 'utf8')).version, SCHEMAS_VERSION);
});

test('both directions type-check: strict, no skipLibCheck, with and without exactOptionalPropertyTypes', () => {
  assert.deepEqual(show(compile(base)), []);
  // A consumer with exactOptionalPropertyTypes reads the same type declarations; the package's
  // implementation files (js/evaluator.ts imports them) are built without it, so only the
  // declarations and this test are held to it.
  const declarations = [file, `${root}js/types.ts`];
  const exact = compile({ ...base, exactOptionalPropertyTypes: true }).filter((d) => declarations.includes(d.file));
  assert.deepEqual(show(exact), []);
});

test('each @ts-expect-error fails on its own line, for the field it names, and nothing else fails', () => {
  const lines = readFileSync(file, 'utf8').split('\n');
  /** Line index of the guarded statement → the tokens its error must mention. */
  const expected = new Map();
  lines.forEach((line, i) => {
    const marker = /^\s*\/\/ @ts-expect-error \[([^\]]+)\]/.exec(line);
    if (marker) expected.set(i + 1, marker[1].split(',').map((token) => token.trim()));
    else assert.doesNotMatch(line, /^\s*\/\/ @ts-expect-error/, `line ${i + 1}: every @ts-expect-error names the field it expects in [brackets]`);
  });
  assert.ok(expected.size >= 15, `found ${expected.size} expectations`);
  const unguarded = lines.map((line, i) => (expected.has(i + 1) ? '// (expectation removed)' : line)).join('\n');
  const diagnostics = compile(base, unguarded);
  const elsewhere = diagnostics.filter((d) => d.file !== file || !expected.has(d.line));
  assert.deepEqual(show(elsewhere), [], 'errors on lines no @ts-expect-error guards');
  for (const [line, tokens] of expected) {
    const here = diagnostics.filter((d) => d.line === line).map((d) => d.text).join('\n');
    assert.notEqual(here, '', `line ${line + 1} (${lines[line].trim().slice(0, 60)}…) no longer fails: the mismatch is gone, update js/README.md and the test`);
    for (const token of tokens) assert.ok(here.includes(token), `line ${line + 1} fails, but not about ${token}:\n${here}`);
  }
});
