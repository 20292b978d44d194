// Not served as is: scripts/build-fault-wasm.mjs bundles it into target/fault-wasm/panic-test/worker.js,
// with the package's glue replaced by the glue of the `panic-test` wasm build.
//
// The package's real worker (worker/entry.ts, with its real host and loader) over a wasm whose
// Evaluator also has panicForTesting() and trapForTesting(). The control channel is a
// BroadcastChannel named 'panicking-worker', so the worker protocol carries nothing extra:
//   page → worker { type: 'arm', fault: 'panic' | 'trap' }   answered by { type: 'armed' }
// The next `applyEdits` the host runs then panics in Rust (or traps without a panic, as running
// out of memory does) inside the wasm instance, on the session's own evaluator, mid-request.
import { Evaluator } from '../../../../pkg/web/relationship_evaluator.js';
import '../../../../worker/entry.ts';

let armed = null;
const control = new BroadcastChannel('panicking-worker');
control.onmessage = (event) => {
  if (event.data?.type !== 'arm') return;
  armed = event.data.fault;
  control.postMessage({ type: 'armed' });
};

const applyEdits = Evaluator.prototype.applyEdits;
Evaluator.prototype.applyEdits = function applyEditsWithFault(edits) {
  const fault = armed;
  armed = null;
  if (fault === 'panic') this.panicForTesting();
  if (fault === 'trap') this.trapForTesting();
  return applyEdits.call(this, edits);
};
