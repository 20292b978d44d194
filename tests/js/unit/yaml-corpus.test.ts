/**
 * One YAML reading (issue 15): the corpus the native CLI and the Go loader read too
 * (tests/yaml/cases.json) gives the same JSON text, or the same error code and path, here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EvaluatorError } from '../../../js/errors.js';
import { formatFloat, yamlToJson } from '../../../js/yaml.js';
import { here } from '../helpers/fixtures.js';

interface YamlCase {
  name: string;
  yaml: string;
  json?: string;
  error?: { code: string; path: string };
}

const corpus = JSON.parse(readFileSync(here('../../yaml/cases.json'), 'utf8')) as { maxDepth: number; cases: YamlCase[] };

describe('the shared YAML corpus', () => {
  it('holds the cases every runtime reads', () => {
    expect(corpus.cases.length).toBeGreaterThanOrEqual(50);
  });

  for (const { name, yaml, json, error } of corpus.cases) {
    it(name, async () => {
      const read = yamlToJson(yaml, 'corpus', corpus.maxDepth);
      if (error === undefined) {
        expect(await read).toBe(json);
      } else {
        await expect(read).rejects.toBeInstanceOf(EvaluatorError);
        await expect(read).rejects.toMatchObject(error);
      }
    });
  }
});

// The same texts as go/loader/float_test.go, which are serde_json's for the same doubles.
describe('floats', () => {
  it('are written as serde_json writes them', () => {
    const texts: [number, string][] = [
      [1, '1.0'], [0.5, '0.5'], [100, '100.0'], [1e15, '1000000000000000.0'], [1e16, '1e+16'], [1.5e300, '1.5e+300'],
      [1e-4, '0.0001'], [1e-5, '0.00001'], [1e-6, '1e-6'], [1.2345e-7, '1.2345e-7'], [123456789012345680, '1.2345678901234568e+17'],
      [5e-324, '5e-324'], [-22.381870586134934, '-22.381870586134934'], [12345678.9, '12345678.9'], [Number('9007199254740993'), '9007199254740992.0'],
      [1.7976931348623157e308, '1.7976931348623157e+308'], [0, '0.0'], [-0, '-0.0'],
    ];
    for (const [value, text] of texts) expect(formatFloat(value)).toBe(text);
  });
});
