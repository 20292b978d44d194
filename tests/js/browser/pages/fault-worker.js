// The package's published worker (dist/worker.js, imported as is) that can be made to fail while
// a batch is pending. The control channel is a BroadcastChannel named 'fault-worker', so the
// worker protocol carries nothing extra:
//   page → worker { type: 'fail-next-batch', message }   answered by { type: 'armed' }
// From the next `applyEdits` request on, the worker posts nothing more (that batch and every call
// after it stay unanswered), and 10 ms later it throws an uncaught Error(message), which the
// page's Worker object receives as an `error` event.
import '/dist/worker.js';

const post = self.postMessage.bind(self);
let silenced = false;
self.postMessage = (message, transfer) => {
  if (!silenced) post(message, transfer);
};

let failNext = null;
const control = new BroadcastChannel('fault-worker');
control.onmessage = (event) => {
  if (event.data?.type !== 'fail-next-batch') return;
  failNext = event.data.message;
  control.postMessage({ type: 'armed' });
};

// Runs after the worker's own listener, which has queued the request in its host.
self.addEventListener('message', (event) => {
  const message = event.data;
  if (failNext === null || message?.type !== 'request' || message.call.op !== 'applyEdits') return;
  const text = failNext;
  failNext = null;
  silenced = true;
  setTimeout(() => {
    throw new Error(text);
  }, 10);
});
