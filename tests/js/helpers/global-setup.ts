/**
 * Bundles the worker-thread scripts the unit tests start (real worker code, in Node threads), and
 * the JavaScript engine next to them, where a worker finds it by default.
 */
import * as esbuild from 'esbuild';
import { fileURLToPath } from 'node:url';

export const TEST_BUILD_DIR = fileURLToPath(new URL('../../../target/js-test/', import.meta.url));

export default async function setup(): Promise<void> {
  await esbuild.build({
    entryPoints: {
      'worker-thread': fileURLToPath(new URL('./worker-thread.ts', import.meta.url)),
      'broken-worker-thread': fileURLToPath(new URL('./broken-worker-thread.ts', import.meta.url)),
    },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outdir: TEST_BUILD_DIR,
    outExtension: { '.js': '.mjs' },
    logLevel: 'warning',
  });
  await esbuild.build({
    entryPoints: { 'js-engine': fileURLToPath(new URL('../../../js/js-engine.ts', import.meta.url)) },
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    outdir: TEST_BUILD_DIR,
    logLevel: 'warning',
  });
}
