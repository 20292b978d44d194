/**
 * A lone surrogate in a design, edits or definitions given as JSON text: UTF-8 cannot carry it, so
 * on its way to the engine it would silently become U+FFFD (issue 15 #3). It is escaped instead and
 * reaches the engine, which answers `INVALID_JSON` at the value's path, exactly as for the same
 * design given as an object. Well-formed text, astral characters included, is untouched.
 */
import { describe, expect, it } from 'vitest';
import { escapeLoneSurrogates } from '../../../js/document.js';
import type { RelationshipEvaluator } from '../../../js/evaluator.js';
import { component, kubernetesDefinitions, shopDesign } from '../helpers/fixtures.js';
import { disposedAfterEach } from '../helpers/evaluators.js';

const definitions = kubernetesDefinitions();
const { create } = disposedAfterEach();


function evaluator(): RelationshipEvaluator {
  return create(definitions, { engine: 'main-thread' });
}

const LONE_HIGH = '\ud800';
const LONE_LOW = '\udc00';

/** The shop design with a lone surrogate in its first component's display name. */
function brokenDesign(surrogate: string) {
  const design = shopDesign(1);
  design.components![0]!.displayName = `web${surrogate}`;
  return design;
}

describe('lone surrogates in JSON text', () => {
  it('are escaped; well-formed text (astral characters too) is returned as it is', () => {
    expect(escapeLoneSurrogates(`"a${LONE_HIGH}b"`)).toBe('"a\\ud800b"');
    expect(escapeLoneSurrogates(`"${LONE_LOW}${LONE_HIGH}"`)).toBe('"\\udc00\\ud800"');
    const astral = '"🚀 \ud83d\ude80"';
    expect(escapeLoneSurrogates(astral)).toBe(astral);
  });

  for (const [label, surrogate] of [['high', LONE_HIGH], ['low', LONE_LOW]] as const) {
    it(`a ${label} one in a design string is INVALID_JSON at the value's path, as for the object`, async () => {
      const design = brokenDesign(surrogate);
      const fromText = await evaluator().loadDesign(JSON.stringify(design).replace(/\\ud[89a-f][0-9a-f]{2}/g, surrogate)).catch((error: unknown) => error);
      const fromObject = await evaluator().loadDesign(design).catch((error: unknown) => error);
      expect(fromText).toMatchObject({ code: 'INVALID_JSON', path: '/components/0/displayName' });
      expect(fromText).toMatchObject({ code: (fromObject as { code: string }).code, path: (fromObject as { path: string }).path });
    });
  }

  it('in an edit batch given as text: INVALID_JSON, and the evaluator keeps its state', async () => {
    const subject = evaluator();
    await subject.loadDesign(shopDesign(1));
    const before = await subject.design();
    const edits = `[{"op":"renameComponent","id":"web-0","displayName":"x${LONE_HIGH}"}]`;
    await expect(subject.applyEdits(edits)).rejects.toMatchObject({ code: 'INVALID_JSON', path: '/0/displayName' });
    expect(await subject.design()).toEqual(before);
  });

  it('in a component added by an edit given as an object: the same error (JSON.stringify escapes it)', async () => {
    const subject = evaluator();
    await subject.loadDesign(shopDesign(1));
    const added = component(`x${LONE_LOW}`, 'ConfigMap', {});
    await expect(subject.applyEdits([{ op: 'addComponent', component: added }])).rejects.toMatchObject({ code: 'INVALID_JSON' });
  });
});
