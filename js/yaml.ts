/**
 * One YAML reading (docs/yaml.md): the YAML 1.2 core schema, read alike by this package, the
 * native CLI and the Go loader, which tests/yaml/cases.json holds to the same JSON text or the
 * same error code and path. The `yaml` package parses (failsafe schema: every scalar keeps its
 * text, style and written tag); what a scalar becomes is decided here, and the JSON text is
 * written here, so an integer keeps every digit and a float is written as serde_json writes it.
 */
import type { Node, Pair, ParsedNode, Scalar } from 'yaml';
import { EvaluatorError } from './errors.js';

type YamlModule = typeof import('yaml');

let yamlModule: Promise<YamlModule> | undefined;

/** The `yaml` package, loaded the first time YAML arrives. */
async function loadYaml(): Promise<YamlModule> {
  yamlModule ??= import('yaml');
  const loaded = await yamlModule;
  // The Node build bundles yaml's CommonJS build, which a dynamic import exposes as `default`.
  return typeof loaded.parseAllDocuments === 'function' ? loaded : (loaded as unknown as { default: YamlModule }).default;
}

/** The engine's limit on nested arrays and objects (`limits::DEEPEST_NESTING`). */
export const DEEPEST_NESTING = 128;

/** The values aliases may copy in one document, so a "billion laughs" text is refused instead of expanded. */
const ALIAS_VALUE_BUDGET = 1_000_000;

const MERGE_KEY =
  'merge keys (<<) are YAML 1.1, not part of the YAML 1.2 core schema this reader follows; write the merged mapping out, or quote the key to mean the text <<';

/** The YAML 1.2 core schema's forms (https://yaml.org/spec/1.2.2/#1023-core-schema). */
const FORMS = {
  null: /^(?:null|Null|NULL|~|)$/,
  true: /^(?:true|True|TRUE)$/,
  false: /^(?:false|False|FALSE)$/,
  decimal: /^[-+]?[0-9]+$/,
  octal: /^0o[0-7]+$/,
  hexadecimal: /^0x[0-9a-fA-F]+$/,
  float: /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/,
  notFinite: /^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
};

const MAX_UINT64 = 0xffff_ffff_ffff_ffffn;

/**
 * The JSON text of one YAML document, mapping order kept. Errors are `EvaluatorError`s: a syntax
 * error or a second document `INVALID_JSON`; a tag outside the core schema, `.inf`, `.nan`, a
 * number out of range, a merge key or a collection as a key `INVALID_TYPE` at the node's path; a
 * key twice `DUPLICATE_KEY`; an alias inside its own anchor `CYCLE`; nesting past `maxDepth` or
 * aliases copying too much `LIMIT_EXCEEDED`.
 */
export async function yamlToJson(text: string, source: string, maxDepth = DEEPEST_NESTING): Promise<string> {
  checkRawDepth(text, maxDepth);
  const yaml = await loadYaml();
  const documents = yaml.parseAllDocuments(text, { schema: 'failsafe', resolveKnownTags: false, uniqueKeys: false, merge: false });
  const syntax = [...((documents as { errors?: Error[] }).errors ?? []), ...documents.flatMap((document) => document.errors)][0];
  // yaml composes nodes recursively: thousands of block levels exhaust the stack, which it reports as a syntax error.
  if (syntax?.message.includes('Maximum call stack size exceeded')) throw tooDeep(maxDepth, '');
  if (syntax) throw new EvaluatorError('INVALID_JSON', `${source} is neither JSON nor valid YAML: ${syntax.message}`, '', { cause: syntax });
  if (documents.length > 1) throw new EvaluatorError('INVALID_JSON', `${source}: the text holds more than one YAML document`);
  if (documents.length === 0) return 'null';
  return new Reader(yaml, maxDepth, source).node(documents[0]!.contents, [], 0).text;
}

/** `reading::check_raw_depth`: brackets outside double-quoted strings, counted before any parser runs. */
function checkRawDepth(text: string, maxDepth: number): void {
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let offset = 0; offset < text.length; offset++) {
    const c = text[offset];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      if (++depth > maxDepth) throw tooDeep(maxDepth, ` (character ${offset})`);
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
}

function tooDeep(maxDepth: number, where: string): EvaluatorError {
  return new EvaluatorError('LIMIT_EXCEEDED', `maxDepth: the input nests deeper than the limit of ${maxDepth} levels${where}`);
}

/** A node as JSON text, with how many values it holds (aliases expanded) and how many levels it nests. */
interface Read {
  text: string;
  values: number;
  height: number;
}

/** A scalar as written: its text, whether it is plain, its tag (`str`, `int`… for the YAML tags). */
interface Written {
  text: string;
  plain: boolean;
  tag: string | undefined;
}

class Reader {
  private copied = 0;
  /** The last node of each anchor, in document order. */
  private readonly anchors = new Map<string, Node>();
  /** Collections being read: an alias to one of them is a cycle. */
  private readonly open = new Set<Node>();
  /** What each anchored value became. */
  private readonly done = new Map<Node, Read>();

  constructor(
    private readonly yaml: YamlModule,
    private readonly maxDepth: number,
    private readonly source: string,
  ) {}

  /** Reads a node found at `path`, inside `level` arrays and objects (an empty node is null). */
  node(node: ParsedNode | Node | null, path: string[], level: number): Read {
    const { yaml } = this;
    if (node === null) return { text: 'null', values: 1, height: 0 };
    if (yaml.isAlias(node)) return this.alias(node.source, path, level);
    if (node.anchor) this.anchors.set(node.anchor, node);
    let read: Read;
    if (yaml.isScalar(node)) read = { text: this.scalar(written(node), path), values: 1, height: 0 };
    else if (yaml.isSeq(node) || yaml.isMap(node)) {
      if (level + 1 > this.maxDepth) throw tooDeep(this.maxDepth, '');
      const kind = yaml.isSeq(node) ? 'seq' : 'map';
      const tag = tagName(node.tag);
      if (tag !== undefined && tag !== kind) throw this.error('INVALID_TYPE', path, unsupportedTag(tag, 'a collection'));
      this.open.add(node);
      read = yaml.isSeq(node) ? this.sequence(node.items as (Node | null)[], path, level) : this.mapping(node.items as Pair<Node | null, Node | null>[], path, level);
      this.open.delete(node);
    } else throw this.error('INVALID_JSON', path, 'an unsupported YAML node');
    if (node.anchor) this.done.set(node, read);
    return read;
  }

  private alias(name: string, path: string[], level: number): Read {
    const target = this.anchors.get(name);
    if (target === undefined) throw new EvaluatorError('INVALID_JSON', `${this.source}: the alias *${name} names no anchor before it`);
    if (this.open.has(target)) throw this.error('CYCLE', path, 'the alias is inside the node it names');
    const copied = this.done.get(target);
    // An anchored key: a scalar, read as a value here (each time: it copies one value).
    if (copied === undefined) return { text: this.scalar(written(target as Scalar), path), values: 1, height: 0 };
    if (level + copied.height > this.maxDepth) throw tooDeep(this.maxDepth, ' (through an alias)');
    this.copied += copied.values;
    if (this.copied > ALIAS_VALUE_BUDGET) {
      throw new EvaluatorError('LIMIT_EXCEEDED', `${this.source}: the aliases of the document copy more than ${ALIAS_VALUE_BUDGET} values`);
    }
    return copied;
  }

  private sequence(items: (Node | null)[], path: string[], level: number): Read {
    const texts: string[] = [];
    let values = 1;
    let height = 0;
    for (const item of items) {
      const read = this.node(item, [...path, String(texts.length)], level + 1);
      texts.push(read.text);
      values += read.values;
      height = Math.max(height, read.height);
    }
    return { text: `[${texts.join(',')}]`, values, height: height + 1 };
  }

  private mapping(pairs: Pair<Node | null, Node | null>[], path: string[], level: number): Read {
    const texts: string[] = [];
    const seen = new Set<string>();
    let values = 1;
    let height = 0;
    for (const pair of pairs) {
      const key = this.key(pair.key, path);
      const keyPath = [...path, key];
      if (seen.has(key)) throw this.error('DUPLICATE_KEY', keyPath, `the key at ${pointer(keyPath)} appears twice in its mapping`);
      seen.add(key);
      const read = this.node(pair.value, keyPath, level + 1);
      texts.push(`${JSON.stringify(key)}:${read.text}`);
      values += read.values;
      height = Math.max(height, read.height);
    }
    return { text: `{${texts.join(',')}}`, values, height: height + 1 };
  }

  /** A key's text: a scalar as written, whatever it would resolve to as a value; an alias names its scalar. */
  private key(node: Node | null, path: string[]): string {
    const { yaml } = this;
    let key: Node | null | undefined = node;
    if (key !== null && yaml.isAlias(key)) {
      key = this.anchors.get(key.source);
      if (key === undefined) throw new EvaluatorError('INVALID_JSON', `${this.source}: the alias *${(node as { source: string }).source} names no anchor before it`);
    } else if (key?.anchor) this.anchors.set(key.anchor, key);
    if (key !== null && !yaml.isScalar(key)) throw this.error('INVALID_TYPE', path, 'a mapping key must be a scalar, not a collection');
    const { text, plain, tag } = key === null ? { text: '', plain: true, tag: undefined } : written(key);
    if (tag === undefined && plain && text === '<<') throw this.error('INVALID_TYPE', [...path, text], MERGE_KEY);
    if (tag !== undefined) this.scalar({ text, plain, tag }, [...path, text]);
    return text;
  }

  /** A scalar's JSON text: its tag decides when one is written, else a plain scalar is resolved by the core schema. */
  private scalar(scalar: Written, path: string[]): string {
    try {
      return scalarJson(scalar);
    } catch (problem) {
      throw this.error('INVALID_TYPE', path, (problem as Error).message);
    }
  }

  private error(code: 'INVALID_JSON' | 'INVALID_TYPE' | 'DUPLICATE_KEY' | 'CYCLE', path: string[], message: string): EvaluatorError {
    return new EvaluatorError(code, `${this.source}: ${message}`, pointer(path));
  }
}

function written(scalar: Scalar): Written {
  const text = scalar.source ?? String(scalar.value ?? '');
  // An escape such as "\ud800" makes a lone surrogate, which UTF-8 (and so the other readers) cannot carry.
  if ((text as { isWellFormed?: () => boolean }).isWellFormed?.() === false) {
    throw new EvaluatorError('INVALID_JSON', `a YAML scalar holds a lone surrogate: ${JSON.stringify(text)}`);
  }
  return { text, plain: scalar.type === 'PLAIN' || scalar.type === undefined, tag: tagName(scalar.tag) };
}

/**
 * The tag written on a node: `str`, `int`… for the YAML tags (`tag:yaml.org,2002:`), any other as
 * written. The non-specific tag `!` counts as none, as yaml.v3 (the Go loader) reads it.
 */
function tagName(tag: string | undefined): string | undefined {
  if (tag === '!') return undefined;
  return tag?.startsWith('tag:yaml.org,2002:') ? tag.slice('tag:yaml.org,2002:'.length) : tag;
}

function scalarJson({ text, plain, tag }: Written): string {
  const kind = tag ?? (plain ? resolvePlain(text) : 'str');
  let json: string | undefined;
  switch (kind) {
    case 'str':
      return JSON.stringify(text);
    case 'null':
      json = FORMS.null.test(text) ? 'null' : undefined;
      break;
    case 'bool':
      json = FORMS.true.test(text) ? 'true' : FORMS.false.test(text) ? 'false' : undefined;
      break;
    case 'int':
      json = integerJson(text);
      break;
    case 'float':
      json = floatJson(text);
      break;
    default:
      throw new Error(unsupportedTag(kind, 'a scalar'));
  }
  if (json === undefined) throw new Error(`${JSON.stringify(text)} is not a YAML 1.2 core-schema ${kind}`);
  return json;
}

function resolvePlain(text: string): string {
  if (FORMS.null.test(text)) return 'null';
  if (FORMS.true.test(text) || FORMS.false.test(text)) return 'bool';
  if (FORMS.decimal.test(text) || FORMS.octal.test(text) || FORMS.hexadecimal.test(text)) return 'int';
  if (FORMS.float.test(text) || FORMS.notFinite.test(text)) return 'float';
  return 'str';
}

/** An integer in decimal: every digit of a decimal one (no sign for zero, no leading zeros); an octal or hexadecimal one must fit 64 bits. */
function integerJson(text: string): string | undefined {
  if (FORMS.decimal.test(text)) {
    const magnitude = text.replace(/^[-+]/, '').replace(/^0+/, '');
    if (magnitude === '') return '0';
    return text.startsWith('-') ? `-${magnitude}` : magnitude;
  }
  if (FORMS.octal.test(text) || FORMS.hexadecimal.test(text)) {
    const value = BigInt(text);
    if (value > MAX_UINT64) throw new Error(`${text} is past the 64 bits an octal or hexadecimal integer may have here`);
    return value.toString();
  }
  return undefined;
}

/** A float as the shortest text of the nearest double, as serde_json writes it; infinities, NaN and floats past a double's range are refused. */
function floatJson(text: string): string | undefined {
  if (FORMS.notFinite.test(text)) throw new Error(`${text} is not a finite number, which JSON cannot carry`);
  if (!FORMS.float.test(text)) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new Error(`${text} is past the range of a double`);
  return formatFloat(value);
}

/**
 * A finite double as serde_json writes it (go/loader/float.go): the shortest digits that name it,
 * in plain notation for decimal exponents from -5 to 15 (`0.00001`, `22.5`, `3.0`), otherwise as
 * `1e+16` or `1.5e-7`.
 */
export function formatFloat(value: number): string {
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  const [mantissa = '0', exponentText = '0'] = Math.abs(value).toExponential().split('e');
  const exponent = Number(exponentText);
  const digits = mantissa.replace('.', '');
  if (exponent < -5 || exponent > 15) {
    const scientific = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${scientific}e${exponent > 0 ? '+' : ''}${exponent}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  if (digits.length <= exponent + 1) return `${sign}${digits}${'0'.repeat(exponent + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
}

function unsupportedTag(tag: string, what: string): string {
  const written = tag.startsWith('!') ? tag : `!!${tag}`;
  return `the tag ${written} on ${what} is outside the YAML 1.2 core schema this reader follows (!!str, !!int, !!float, !!bool, !!null, !!map, !!seq)`;
}

function pointer(path: string[]): string {
  return path.map((segment) => `/${segment.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}
