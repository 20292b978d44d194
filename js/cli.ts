/**
 * `relationship-evaluator evaluate <design> --relationships <file|dir>...`: evaluates a design
 * with the package's own engine and prints the EvaluationResponse.
 */
import { encode } from '@msgpack/msgpack';
import type { Dirent } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseYaml, yamlJson } from './document.js';
import { createEvaluator, EvaluatorError, type EnginePreference, type EngineOptions } from './entries/node.js';
import { asJson } from './evaluator.js';

const USAGE = `usage: relationship-evaluator evaluate <design.json|design.yaml|-> --relationships <file|dir>... [options]

Evaluates a Meshery design against relationship definitions and prints the EvaluationResponse.

  <design>                   a design file, JSON or YAML; - reads standard input
  -r, --relationships <path> a definition file (JSON or YAML; one definition or an array) or a
                             directory of them (*.json, *.yaml, *.yml, in name order); repeatable
  --diff-only                return only what changed as the design (Meshery's returnDiffOnly)
  --trace                    include the trace (what changed, by category); left out otherwise
  --format json|msgpack      output format (default json; msgpack writes binary MessagePack)
  --compact                  JSON on one line
  --options <json>           further engine options, e.g. '{"maxPasses":3}'
  --engine auto|main-thread|js
                             which engine evaluates (default auto: WebAssembly, else JavaScript)
  -h, --help                 this help
  -V, --version              the package and engine versions

exit codes:
  0  evaluated; the response is on standard output
  1  the input is invalid; the error is on standard error as JSON {"code","message","path"}:
     NOT_FOUND (no such file), IO_ERROR (unreadable), INVALID_JSON (neither JSON nor YAML),
     UNSUPPORTED_FORMAT (not a v1beta1 design, e.g. a legacy pattern file), or the engine's
     code for a bad design or definitions
  2  bad usage (unknown option, missing argument, a --relationships path with no definitions)
  3  the engine failed (the wasm could not be loaded, or an internal error)
`;

/** A usage error (exit 2). */
class UsageError extends Error {}

interface Arguments {
  design: string;
  relationships: string[];
  diffOnly: boolean;
  trace: boolean;
  format: 'json' | 'msgpack';
  compact: boolean;
  options: EngineOptions;
  engine: EnginePreference;
}

type Command = { kind: 'help' } | { kind: 'version' } | { kind: 'evaluate'; arguments: Arguments };

const ENGINES: readonly EnginePreference[] = ['auto', 'main-thread', 'js'];

export function parseArguments(argv: readonly string[]): Command {
  const args = [...argv];
  if (args.includes('-h') || args.includes('--help')) return { kind: 'help' };
  if (args.length === 0) throw new UsageError('a command is required');
  if (args.includes('-V') || args.includes('--version')) return { kind: 'version' };
  const command = args.shift();
  if (command !== 'evaluate') throw new UsageError(`unknown command ${JSON.stringify(command)} (expected "evaluate")`);
  const parsed: Arguments = {
    design: '', relationships: [], diffOnly: false, trace: false, format: 'json', compact: false, options: {}, engine: 'auto',
  };
  let design: string | undefined;
  const value = (flag: string): string => {
    const next = args.shift();
    if (next === undefined) throw new UsageError(`${flag} needs a value`);
    return next;
  };
  while (args.length > 0) {
    const arg = args.shift()!;
    switch (arg) {
      case '-r':
      case '--relationships':
        parsed.relationships.push(value(arg));
        break;
      case '--diff-only':
        parsed.diffOnly = true;
        break;
      case '--trace':
        parsed.trace = true;
        break;
      case '--compact':
        parsed.compact = true;
        break;
      case '--format': {
        const format = value(arg);
        if (format !== 'json' && format !== 'msgpack') throw new UsageError(`--format must be json or msgpack, not ${JSON.stringify(format)}`);
        parsed.format = format;
        break;
      }
      case '--engine': {
        const engine = value(arg) as EnginePreference;
        if (!ENGINES.includes(engine)) throw new UsageError(`--engine must be one of ${ENGINES.join(', ')}`);
        parsed.engine = engine;
        break;
      }
      case '--options': {
        const text = value(arg);
        try {
          parsed.options = JSON.parse(text) as EngineOptions;
        } catch {
          throw new UsageError(`--options must be a JSON object, not ${JSON.stringify(text)}`);
        }
        break;
      }
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
        if (design !== undefined) throw new UsageError(`one design only (got ${JSON.stringify(design)} and ${JSON.stringify(arg)})`);
        design = arg;
    }
  }
  if (design === undefined) throw new UsageError('the design file is missing');
  if (parsed.relationships.length === 0) throw new UsageError('--relationships is required (a file or a directory)');
  parsed.design = design;
  return { kind: 'evaluate', arguments: parsed };
}

/** The I/O failure as an error of its own: a missing path is NOT_FOUND, anything else IO_ERROR. */
function ioError(what: string, cause: unknown): EvaluatorError {
  const code = (cause as { code?: unknown }).code;
  const missing = code === 'ENOENT' || code === 'ENOTDIR';
  return new EvaluatorError(
    missing ? 'NOT_FOUND' : 'IO_ERROR',
    missing ? `${what} does not exist` : `cannot read ${what}: ${(cause as Error).message}`,
    '',
    { cause },
  );
}

async function readText(path: string): Promise<string> {
  try {
    if (path !== '-') return await readFile(path, 'utf8');
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  } catch (cause) {
    throw ioError(path === '-' ? 'standard input' : path, cause);
  }
}

/** JSON, or YAML when the text is not JSON (the reader `loadDesign` uses for YAML text). */
async function parseDocument(text: string, source: string): Promise<unknown> {
  try {
    return JSON.parse(text);
  } catch {
    return parseYaml(text, source);
  }
}

/**
 * The design as text for the engine, once it is known to be a Meshery design. JSON text goes as it
 * is: the engine checks it, limits first, where re-serialising it here overflowed the stack on deep
 * nesting (issue 15 #20); text that does not parse here goes to the engine too, which names the bad
 * field. YAML is converted, and what JSON cannot carry (a recursive alias) is a typed error.
 */
async function designText(text: string, source: string): Promise<string> {
  const body = text.replace(/^\uFEFF/, '');
  if (/^\s*[[{]/.test(body)) {
    let document: unknown;
    try {
      document = JSON.parse(body);
    } catch {
      return body;
    }
    checkDesignFormat(document, source);
    return body;
  }
  const json = await yamlJson(body, source);
  checkDesignFormat(JSON.parse(json), source);
  return json;
}

/** What a definitions path holds: its files, and the subdirectories a directory was not searched into. */
async function definitionFiles(path: string): Promise<{ files: string[]; subdirectories: string[] }> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(path)).isDirectory();
  } catch (cause) {
    throw ioError(path, cause);
  }
  if (!isDirectory) return { files: [path], subdirectories: [] };
  let entries: Dirent[];
  try {
    entries = await readdir(path, { withFileTypes: true });
  } catch (cause) {
    throw ioError(path, cause);
  }
  const files = entries.filter((entry) => !entry.isDirectory() && /\.(json|ya?ml)$/.test(entry.name)).map((entry) => entry.name).sort();
  const subdirectories = entries.filter((entry) => entry.isDirectory()).map((entry) => `${entry.name}/`).sort();
  return { files: files.map((name) => join(path, name)), subdirectories };
}

/**
 * Every definition under `paths`. A path that yields none is a usage error: evaluating against
 * no definitions would silently delete every relationship of the design.
 */
async function loadDefinitions(paths: readonly string[]): Promise<unknown[]> {
  const definitions: unknown[] = [];
  for (const path of paths) {
    const { files, subdirectories } = await definitionFiles(path);
    let found = 0;
    for (const file of files) {
      const document = await parseDocument(await readText(file), file);
      const documents = Array.isArray(document) ? (document as unknown[]) : document === null || document === undefined ? [] : [document];
      definitions.push(...documents);
      found += documents.length;
    }
    if (found === 0) {
      const where = files.length === 0
        ? `no *.json, *.yaml or *.yml files in the directory ${path}${subdirectories.length > 0 ? ` (directories are not searched recursively; it has ${subdirectories.join(', ')})` : ''}`
        : `${path} holds no definitions`;
      throw new UsageError(`--relationships ${path}: ${where}; evaluating without definitions would delete every relationship of the design`);
    }
  }
  return definitions;
}

/**
 * Accepts a v1beta1 design; any other document is an UNSUPPORTED_FORMAT error naming what it is:
 * evaluating another kind of document would silently return an empty design.
 */
export function checkDesignFormat(document: unknown, source: string): void {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    const kind = Array.isArray(document) ? 'an array' : document === null || document === undefined ? 'empty' : `a ${typeof document}`;
    throw new EvaluatorError('UNSUPPORTED_FORMAT', `${source} is ${kind}, not a Meshery design (an object with "components")`);
  }
  const record = document as Record<string, unknown>;
  if ('components' in record || 'relationships' in record) return;
  if ('services' in record) {
    throw new EvaluatorError(
      'UNSUPPORTED_FORMAT',
      `${source} is a legacy Meshery pattern file ("services:"), not a v1beta1 design ("components:"); import it into Meshery (which converts it) and export the design`,
      '/services',
    );
  }
  if ('apiVersion' in record && 'kind' in record) {
    throw new EvaluatorError('UNSUPPORTED_FORMAT', `${source} is a Kubernetes manifest (kind ${JSON.stringify(record.kind)}), not a Meshery design; import it into Meshery to make a design of it`);
  }
  const keys = Object.keys(record);
  if (keys.length > 0 && !('id' in record) && !('schemaVersion' in record)) {
    throw new EvaluatorError('UNSUPPORTED_FORMAT', `${source} is not a recognised Meshery design: it has none of "components", "relationships", "id", "schemaVersion" (its keys: ${keys.slice(0, 8).join(', ')})`);
  }
}

/** Evaluates and returns the bytes to print. */
export async function evaluateCommand(args: Arguments): Promise<Uint8Array> {
  const source = args.design === '-' ? 'standard input' : args.design;
  const design = await designText(await readText(args.design), source);
  const definitions = await loadDefinitions(args.relationships);
  const options: EngineOptions = { ...args.options, ...(args.diffOnly ? { returnDiffOnly: true } : {}), ...(args.trace ? { enableTrace: true } : {}) };
  const evaluator = createEvaluator(asJson(definitions, 'the definitions'), { evaluation: options, engine: args.engine });
  try {
    const response: Record<string, unknown> = { ...(await evaluator.evaluateDesign(design)) };
    if (!args.trace) delete response.trace;
    if (args.format === 'msgpack') return encode(response);
    return new TextEncoder().encode(`${args.compact ? JSON.stringify(response) : JSON.stringify(response, null, 2)}\n`);
  } finally {
    await evaluator.dispose();
  }
}

const ENGINE_FAILURES = new Set(['WASM_LOAD_FAILED', 'WASM_UNAVAILABLE', 'ENGINE_UNAVAILABLE', 'INIT_REQUIRED', 'POISONED', 'INTERNAL']);

/** Runs the command line; resolves with the exit code. */
export async function main(argv: readonly string[], version: string): Promise<number> {
  let command: Command;
  try {
    command = parseArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`relationship-evaluator: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (command.kind === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (command.kind === 'version') {
    process.stdout.write(`${version}\n`);
    return 0;
  }
  try {
    const output = await evaluateCommand(command.arguments);
    await new Promise<void>((resolve, reject) => process.stdout.write(output, (error) => (error ? reject(error) : resolve())));
    return 0;
  } catch (thrown) {
    if (thrown instanceof UsageError) {
      process.stderr.write(`relationship-evaluator: ${thrown.message}\n`);
      return 2;
    }
    const error = thrown instanceof EvaluatorError ? thrown : new EvaluatorError('INTERNAL', String(thrown));
    process.stderr.write(`${JSON.stringify({ code: error.code, message: error.message, path: error.path })}\n`);
    return ENGINE_FAILURES.has(error.code) ? 3 : 1;
  }
}
