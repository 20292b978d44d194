/**
 * `loadDesign` and `evaluateDesign` take a design as YAML text as they take JSON (Meshery exports
 * both), through the command line's reader; the YAML parser loads only when YAML arrives, and a
 * YAML design keeps its place in the order of calls while it is parsed.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { RelationshipEvaluator } from '../../../js/evaluator.js';
import { here, kubernetesDefinitions } from '../helpers/fixtures.js';
import { disposedAfterEach } from '../helpers/evaluators.js';

const definitions = kubernetesDefinitions();
const yamlText = readFileSync(here('../../../../shared/fixtures/meshery/designs/edge-firewall-relationship.design.yaml'), 'utf8');
const { create } = disposedAfterEach();


function evaluator(): RelationshipEvaluator {
  return create(definitions, { engine: 'main-thread' });
}

describe('YAML designs', () => {
  it('load and evaluate exactly as the same design given as an object or as JSON', async () => {
    const fromYaml = evaluator();
    const fromJson = evaluator();
    expect(await fromYaml.loadDesign(yamlText)).toEqual(await fromJson.loadDesign(JSON.stringify(parse(yamlText))));
    expect(await fromYaml.design()).toEqual(await fromJson.design());
    expect(await fromYaml.evaluateDesign(yamlText)).toEqual(await fromJson.evaluateDesign(parse(yamlText)));
  });

  it('report the equivalent relationships the sample declares (an older definition) beside those the engine identifies', async () => {
    const delta = await evaluator().loadDesign(yamlText);
    const duplicates = (delta.diagnostics ?? []).filter((d) => d.code === 'DUPLICATE_RELATIONSHIP');
    expect(duplicates).toHaveLength(4);
    for (const diagnostic of duplicates) {
      expect(diagnostic.ids).toHaveLength(2);
      expect(diagnostic.path).toMatch(/^\/relationships\/\d+$/);
      expect(diagnostic.message).toContain('hierarchical/parent/inventory');
    }
  });

  it('keep their place in the order of calls while the YAML is parsed', async () => {
    const subject = evaluator();
    const loaded = subject.loadDesign(yamlText);
    const pod = (parse(yamlText) as { components: { id: string; component: { kind: string } }[] }).components.find((c) => c.component.kind === 'Pod')!;
    const edited = subject.applyEdits([{ op: 'renameComponent', id: pod.id, displayName: 'renamed' }]);
    expect((await loaded).revision).toBe(1);
    expect((await edited).revision).toBe(2);
    expect((await subject.design()).components!.find((c) => c.id === pod.id)!.displayName).toBe('renamed');
  });

  it('that are not valid YAML are INVALID_JSON naming the line, and change nothing', async () => {
    const subject = evaluator();
    await subject.loadDesign(yamlText);
    await expect(subject.loadDesign('name: x\n  components: [\n')).rejects.toMatchObject({ code: 'INVALID_JSON', message: expect.stringMatching(/^the design is neither JSON nor valid YAML: Nested mappings .* at line 1, column 7/) });
    expect(subject.revision).toBe(1);
  });
});
