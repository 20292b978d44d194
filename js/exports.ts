/** What every entry point exports besides its platform's functions. */
export type * from './types.js';
export { ACTION_OPS, EDIT_OPS, ENGINE_OPTION_NAMES, LIMIT_NAMES } from './types.js';
export { CORE_ERROR_CODES, EvaluatorError, PACKAGE_ERROR_CODES } from './errors.js';
export type { CoreErrorCode, ErrorCode, PackageErrorCode } from './errors.js';
export { RelationshipEvaluator } from './evaluator.js';
export type { CallOptions, CallTiming, SessionOptions, TextOutput } from './evaluator.js';
export type { EngineInfo, EnginePreference, SkippedRung } from './ladder.js';
export type { EngineKind } from './transport.js';
export type { WorkerLike } from './worker-transport.js';
export type { InitInput } from './platform.js';
export type { Api, EngineSelection, EvaluatorOptions } from './api.js';
