// Applying one batch of edits, as every gesture and panel does: the engine's diagnostics and any
// failure are shown as notices, with the component ids in them shown as names.
import type { Delta, Edit } from '@meshery/relationship-evaluator';
import { componentsById, kindOf, nameOf } from './model.js';
import { type Session, errorText } from './session.js';
import { toast } from './toast.js';

export class EditBatches {
  /** `resync`: shows the session's design again after a failed batch (the canvas may show a move the engine refused). */
  constructor(private readonly session: Session, private readonly resync: () => void) {}

  /** Applies a batch labelled for the history; a failure is shown, then thrown. */
  async run(label: string, edits: Edit[]): Promise<Delta> {
    try {
      const delta = await this.session.apply(label, edits);
      // Conflicting patches (none applied) and the like: the engine's own explanation.
      for (const diagnostic of delta.diagnostics ?? []) toast(`${label}: ${this.readable(diagnostic.message)}`, 8000);
      return delta;
    } catch (error) {
      toast(`${label}: ${errorText(error)}`, 6000);
      this.session.design = await this.session.exportDesign();
      this.resync();
      throw error;
    }
  }

  /** A gesture's batch: failures are shown by `run` and end there; true when it was applied. */
  act(label: string, edits: Edit[]): Promise<boolean> {
    return this.run(label, edits).then(() => true, () => false);
  }

  /** The engine's message with each component id it names shown as the component's name and kind. */
  readable(message: string): string {
    const byIds = componentsById(this.session.design);
    return message.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, (id) => {
      const component = byIds.get(id);
      return component ? `${nameOf(component)} (${kindOf(component)})` : id;
    });
  }
}
