// Runs the vitest unit suites (tests/js/unit) and reports each of their tests as a node:test
// test, so that their results appear in `node --test` output and its summary (which CI reads).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startVitest } from 'vitest/node';

const root = fileURLToPath(new URL('../../../', import.meta.url));

const vitest = await startVitest('test', [], { root, run: true, watch: false, reporters: [{}] });
const files = vitest.state.getFiles();
const unhandled = vitest.state.getUnhandledErrors();
await vitest.close();

/** Every test of a file, with its suite path. */
function leaves(tasks, prefix = []) {
  return tasks.flatMap((task) => (task.type === 'suite' ? leaves(task.tasks, [...prefix, task.name]) : [{ task, name: [...prefix, task.name].join(' > ') }]));
}

const describeError = (errors = []) => errors.map((e) => `${e.name ?? 'Error'}: ${e.message}\n${e.stack ?? ''}`).join('\n\n');

test('vitest found the unit suites and ran without unhandled errors', () => {
  assert.ok(files.length >= 6, `only ${files.length} vitest files ran`);
  assert.deepEqual(unhandled.map((e) => e.message ?? String(e)), []);
});

for (const file of files) {
  const name = file.name.replace(/^tests\/js\/unit\//, '');
  test(`vitest ${name}`, async (t) => {
    if (file.result?.state === 'fail' && file.result.errors?.length) assert.fail(describeError(file.result.errors));
    const tests = leaves(file.tasks);
    assert.ok(tests.length > 0, 'no tests in the file');
    for (const { task, name: testName } of tests) {
      await t.test(testName, () => {
        assert.equal(task.result?.state, 'pass', describeError(task.result?.errors) || `state: ${task.result?.state ?? task.mode}`);
      });
    }
  });
}
