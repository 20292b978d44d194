// Which engine runs the evaluator: the preference (from the address, else the one last picked,
// else auto), the footer line saying what the package chose and why, and the picker to change it.
import type { EngineInfo, EnginePreference } from '@meshery/relationship-evaluator';
import { byId, h } from './dom.js';
import { type Session, errorText } from './session.js';
import { toast } from './toast.js';

const ENGINES: EnginePreference[] = ['auto', 'worker', 'main-thread', 'js-worker', 'js'];
/** Where the last picked engine is remembered across reloads. */
const STORAGE_KEY = 'demo-engine';

/** The engine asked for: `?engine=` in the address, else the one last picked, else auto. */
export function enginePreference(): EnginePreference {
  return (new URLSearchParams(location.search).get('engine') ?? localStorage.getItem(STORAGE_KEY) ?? 'auto') as EnginePreference;
}

export class EnginePicker {
  /** Puts the picker in the footer, next to the engine line. */
  constructor(private readonly session: Session, private preference: EnginePreference) {
    const select = h('select', { 'data-testid': 'engine-select', title: 'Which engine runs the evaluator: auto walks the fallback ladder' },
      ...ENGINES.map((e) => h('option', { value: e, selected: e === preference }, e === 'auto' ? 'auto (worker → main thread → JS in a worker → JS)' : e)));
    select.addEventListener('change', async () => {
      this.preference = select.value as EnginePreference;
      localStorage.setItem(STORAGE_KEY, this.preference);
      await session.switchEngine(this.preference).catch((error) => toast(`engine ${this.preference}: ${errorText(error)}`, 8000));
    });
    byId('engine').before(h('label', {}, 'engine ', select));
  }

  /** Says which engine runs now (after the session's `engine` event). */
  render(): void {
    const line = byId('engine');
    line.textContent = engineText(this.session.engine, this.session.engineError, this.preference);
    line.dataset.kind = this.session.engine?.kind ?? '';
  }
}

function engineText(info: EngineInfo | null, error: string | null, preference: EnginePreference): string {
  if (error) return `engine failed: ${error}`;
  if (!info) return `engine (${preference}): starting…`;
  const skipped = info.skipped.map((s) => `${s.kind} skipped: ${s.reason}`).join('; ');
  return `engine: ${info.kind} (${info.code}) — ${info.reason}${skipped ? ` [${skipped}]` : ''} · loaded in ${info.loadMs.toFixed(0)} ms · v${info.version}${info.restarts ? ` · ${info.restarts} restarts` : ''}`;
}
