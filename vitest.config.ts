import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Unit tests of the TypeScript layer, against the TypeScript sources and the real wasm (pkg/web,
// pkg/wasm2js). Node-test suites (tests/js/node) and browser suites (tests/js/browser, *.e2e.mjs)
// are run by `node --test`, not collected here.
export default defineConfig({
  resolve: {
    alias: {
      // The React hooks import the package by name; in tests that is the test entry (real wasm,
      // read from pkg/web).
      '@meshery/relationship-evaluator': fileURLToPath(new URL('./tests/js/helpers/test-entry.ts', import.meta.url)),
    },
  },
  esbuild: { jsx: 'automatic' },
  test: {
    // The wasm2js engine is 9 MB of generated JavaScript: let Node load it as is.
    server: { deps: { external: [/pkg\/wasm2js\//] } },
    include: ['tests/js/unit/**/*.test.{ts,tsx}'],
    globalSetup: ['tests/js/helpers/global-setup.ts'],
    testTimeout: 30000,
    hookTimeout: 30000,
  },
});
