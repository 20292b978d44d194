/**
 * Runs a function in a later task of the event loop, so that messages already queued (cancels of
 * superseded requests, in particular) are handled before the next request starts.
 */
export type Schedule = (task: () => void) => void;

/** The cheapest way this runtime has to yield one task (no 4 ms clamping of nested timers). */
export function taskScheduler(): Schedule {
  // Node, Bun and Deno have setImmediate (a MessagePort there would keep the process alive).
  const immediate = (globalThis as { setImmediate?: (task: () => void) => unknown }).setImmediate;
  if (typeof immediate === 'function') return (task) => void immediate(task);
  if (typeof MessageChannel === 'function') {
    const channel = new MessageChannel();
    const tasks: (() => void)[] = [];
    channel.port1.onmessage = () => tasks.shift()?.();
    return (task) => {
      tasks.push(task);
      channel.port2.postMessage(null);
    };
  }
  return (task) => setTimeout(task, 0);
}
