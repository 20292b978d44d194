/** A worker script that fails while starting (an uncaught error at top level). */
throw new Error('this worker script is broken on purpose');
