/**
 * Designs as text: JSON, or YAML (Meshery exports both). One reader for the command line and
 * `loadDesign`/`evaluateDesign`; the YAML parser is loaded only when YAML arrives.
 */
import { EvaluatorError } from './errors.js';

type YamlModule = typeof import('yaml');

let yamlModule: Promise<YamlModule> | undefined;

/** Text that starts as JSON does (or is empty) goes to the engine's own JSON parser, which reports errors with their path. */
export function looksLikeJson(text: string): boolean {
  const first = text.trimStart()[0];
  return first === undefined || first === '{' || first === '[';
}

/** Parses YAML text (YAML 1.2, a superset of JSON); a syntax error is INVALID_JSON naming the source and the line. */
export async function parseYaml(text: string, source: string): Promise<unknown> {
  yamlModule ??= import('yaml');
  const loaded = await yamlModule;
  // The Node build bundles yaml's CommonJS build, which a dynamic import exposes as `default`.
  const { parse } = typeof loaded.parse === 'function' ? loaded : (loaded as unknown as { default: YamlModule }).default;
  try {
    return parse(text);
  } catch (cause) {
    throw new EvaluatorError('INVALID_JSON', `${source} is neither JSON nor valid YAML: ${(cause as Error).message}`, '', { cause });
  }
}

/** A design given as an object or as JSON/YAML text, as the JSON text the engine reads (later, for YAML). */
export function designJson(design: unknown): string | Promise<string> {
  if (typeof design !== 'string') return JSON.stringify(design);
  if (looksLikeJson(design)) return design;
  return parseYaml(design, 'the design').then((document) => JSON.stringify(document));
}
