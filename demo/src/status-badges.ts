// Whether the session's work is safe and what it cost: the save badge (what IndexedDB has
// acknowledged), the undo and redo buttons' state, and the last evaluation's timing.
import { byId } from './dom.js';
import type { Session } from './session.js';

export function renderStatus(session: Session): void {
  const save = byId('save');
  const state = session.saveState;
  save.textContent = state.state === 'saving' ? 'saving…' : state.state === 'saved' ? `saved · rev ${state.revision}` : `not saved: ${state.message}`;
  save.className = `badge ${state.state === 'saved' ? 'ok' : state.state === 'saving' ? 'warn' : 'bad'}`;
  save.dataset.state = state.state;
  save.dataset.revision = state.state === 'saved' ? String(state.revision) : '';
  byId<HTMLButtonElement>('undo').disabled = !session.canUndo;
  byId<HTMLButtonElement>('redo').disabled = !session.canRedo;
  const timing = session.lastChange?.timing;
  byId('timing').textContent = timing ? `last evaluation (${session.lastChange!.label}): ${timing.engineMs ? `${timing.engineMs.toFixed(1)} ms engine, ` : ''}${timing.totalMs.toFixed(1)} ms round trip` : '';
}
