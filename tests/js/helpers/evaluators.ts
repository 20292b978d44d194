/**
 * Evaluators a test file makes, disposed after each test: `create` makes one through the package
 * API over the test platform (a fresh API each time, so tests share no engine), `track` adds one
 * made another way (restored, imported, or from an API the test keeps).
 */
import { afterEach } from 'vitest';
import { type Api, makeApi } from '../../../js/api.js';
import type { RelationshipEvaluator } from '../../../js/evaluator.js';
import { testPlatform } from './platforms.js';

export interface Evaluators {
  create: Api['createEvaluator'];
  track(...evaluators: RelationshipEvaluator[]): void;
}

export function disposedAfterEach(): Evaluators {
  const open: RelationshipEvaluator[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((evaluator) => evaluator.dispose()));
  });
  return {
    create(definitions, options) {
      const evaluator = makeApi(testPlatform()).createEvaluator(definitions, options);
      open.push(evaluator);
      return evaluator;
    },
    track(...evaluators) {
      open.push(...evaluators);
    },
  };
}
