/**
 * Designs as text: JSON, or YAML (Meshery exports both). One reader for the command line and
 * `loadDesign`/`evaluateDesign`; the YAML parser is loaded only when YAML arrives.
 */
import { EvaluatorError } from './errors.js';

/** Text that starts as JSON does (or is empty) goes to the engine's own JSON parser, which reports errors with their path. */
export function looksLikeJson(text: string): boolean {
  const first = text.trimStart()[0];
  return first === undefined || first === '{' || first === '[';
}

/** YAML text as the engine's JSON text, by the one YAML reading (`js/yaml.ts`, docs/yaml.md), loaded with the parser only when YAML arrives. */
export async function yamlJson(text: string, source: string): Promise<string> {
  const { yamlToJson } = await import('./yaml.js');
  return yamlToJson(text, source);
}

/** Parses YAML text by the one YAML reading into a value; numbers past a double's precision are rounded by `JSON.parse`. */
export async function parseYaml(text: string, source: string): Promise<unknown> {
  return JSON.parse(await yamlJson(text, source));
}

/**
 * A design given as an object or as JSON/YAML text, as the JSON text the engine reads (later, for
 * YAML, which is written as JSON text directly, so an integer keeps every digit).
 */
export function designJson(design: unknown): string | Promise<string> {
  if (typeof design !== 'string') return asJson(design, 'the design');
  if (looksLikeJson(design)) return escapeLoneSurrogates(design);
  return yamlJson(design, 'the design');
}

/**
 * A design, edits or definitions value as JSON text (strings pass as they are, but for lone
 * surrogates, escaped: see `escapeLoneSurrogates`). What JSON cannot
 * carry is a typed error naming it, never a raw TypeError or RangeError and never a silent `null`:
 * `undefined`, BigInt, circular or too deeply nested objects, NaN and infinities (issue 15 #19).
 */
export function asJson(value: unknown, name = 'the value'): string {
  if (typeof value === 'string') return escapeLoneSurrogates(value);
  let text: string | undefined;
  try {
    text = JSON.stringify(value, (key, item: unknown) => {
      if (typeof item === 'number' && !Number.isFinite(item)) {
        throw new EvaluatorError('INVALID_TYPE', `${name} holds ${item}${key ? ` at key ${JSON.stringify(key)}` : ''}, which JSON cannot carry`);
      }
      return item;
    });
  } catch (thrown) {
    if (thrown instanceof EvaluatorError) throw thrown;
    const tooDeep = thrown instanceof RangeError;
    throw new EvaluatorError(
      tooDeep ? 'LIMIT_EXCEEDED' : 'INVALID_TYPE',
      `${name} cannot be written as JSON: ${tooDeep ? 'maxDepth: it nests too deeply' : (thrown as Error).message}`,
    );
  }
  if (text === undefined) throw new EvaluatorError('INVALID_TYPE', `${name} must be a JSON value or JSON text, not ${typeof value}`);
  return text;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * JSON text with each lone surrogate written as its `\uXXXX` escape. UTF-8 cannot carry a lone
 * surrogate, so the encoder on the way to the engine would silently turn it into U+FFFD; escaped,
 * it reaches the engine, which rejects it as `INVALID_JSON` at the value's path, as it does for a
 * design given as an object (whose `JSON.stringify` escapes them the same way). Issue 15 #3.
 */
export function escapeLoneSurrogates(text: string): string {
  const wellFormed = (text as { isWellFormed?: () => boolean }).isWellFormed?.();
  if (wellFormed === true) return text;
  return text.replace(LONE_SURROGATE, (unit) => `\\u${unit.charCodeAt(0).toString(16)}`);
}
