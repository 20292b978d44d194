// Short notices over the canvas (failures, the engine's diagnostics): one at a time, the newest
// replacing the last, each hiding itself after a while.
import { byId } from './dom.js';

let timer: ReturnType<typeof setTimeout> | undefined;

/** Shows `text` for `ms` milliseconds. */
export function toast(text: string, ms = 3500): void {
  const element = byId('toast');
  element.textContent = text;
  element.hidden = false;
  clearTimeout(timer);
  timer = setTimeout(() => (element.hidden = true), ms);
}
