/** The package as the React hooks see it in unit tests: the real API over the test platform. */
import { makeApi } from '../../../js/api.js';
import { testPlatform } from './platforms.js';

export * from '../../../js/exports.js';
export const { createEvaluator, restoreEvaluator, importEvaluator, preload, init, engineInfo } = makeApi(testPlatform());
