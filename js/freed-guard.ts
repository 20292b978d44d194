/**
 * Raw engine evaluators that answer DISPOSED after `free()`. The wasm-bindgen glue of a freed
 * object passes a null pointer to Rust, which throws a bare "null pointer passed to rust"; the
 * package's exports (`/js-engine`) hand out these wrappers instead (issue 15 #22).
 */
import type { EngineModule, RawEvaluator } from './engine-module.js';
import { EvaluatorError } from './errors.js';

function disposed(): EvaluatorError {
  return new EvaluatorError('DISPOSED', 'the evaluator was freed: free() was called on it earlier');
}

/** A raw evaluator that refuses every call after `free()`; a second `free()` does nothing. */
class FreedGuardEvaluator implements RawEvaluator {
  private inner: RawEvaluator | null;

  constructor(inner: RawEvaluator) {
    this.inner = inner;
  }

  private live(): RawEvaluator {
    if (this.inner === null) throw disposed();
    return this.inner;
  }

  loadDesign(designJson: string): string {
    return this.live().loadDesign(designJson);
  }

  applyEdits(editsJson: string): string {
    return this.live().applyEdits(editsJson);
  }

  replaceDefinitions(definitionsJson: string): string {
    return this.live().replaceDefinitions(definitionsJson);
  }

  design(): string {
    return this.live().design();
  }

  evaluate(): string {
    return this.live().evaluate();
  }

  evaluateDesign(designJson: string): string {
    return this.live().evaluateDesign(designJson);
  }

  explain(relationshipId: string): string {
    return this.live().explain(relationshipId);
  }

  connectableDefinitions(fromId: string, toId: string): string {
    return this.live().connectableDefinitions(fromId, toId);
  }

  snapshot(): Uint8Array {
    return this.live().snapshot();
  }

  exportJson(): string {
    return this.live().exportJson();
  }

  get revision(): number {
    return this.live().revision;
  }

  free(): void {
    const inner = this.inner;
    this.inner = null;
    inner?.free();
  }
}

/** The engine's `Evaluator` class, with every instance (constructed or restored) guarded. */
export function guardFreed(Raw: EngineModule['Evaluator']): EngineModule['Evaluator'] {
  return class Evaluator extends FreedGuardEvaluator {
    constructor(definitionsJson: string, optionsJson?: string | null) {
      super(new Raw(definitionsJson, optionsJson));
    }

    static restore(bytes: Uint8Array): RawEvaluator {
      return new FreedGuardEvaluator(Raw.restore(bytes));
    }

    static importJson(json: string): RawEvaluator {
      return new FreedGuardEvaluator(Raw.importJson(json));
    }
  };
}
