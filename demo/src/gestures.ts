// What each gesture does to the design, as one batch of edits so that one undo takes it back:
// moving a card (dropped into a Namespace it is nested there, dragged out it leaves), moving a
// container with its children, adding a palette kind, drawing a connection, deleting the selection.
import type { ConnectableDefinition, DesignRelationship, Edit } from '@meshery/relationship-evaluator';
import type { DesignCanvas, Selection } from './canvas/design-canvas.js';
import type { Point } from './canvas/geometry.js';
import { byId, h } from './dom.js';
import type { EditBatches } from './edits.js';
import { componentsById, endpoints, isHierarchical, kindOf, nameOf, typeOf } from './model.js';
import { type Session, errorText } from './session.js';
import { freshName, newComponent, type KindInfo } from './templates.js';
import { toast } from './toast.js';

/** The parts of the app a gesture reads and changes. */
export interface GestureContext {
  session: Session;
  canvas: DesignCanvas;
  batches: EditBatches;
  /** The palette's kinds. */
  catalog: KindInfo[];
  /** Kinds whose children take their namespace (Namespace): nesting sets it, leaving clears it. */
  containerKinds: Set<string>;
  select(selection: Selection): void;
}

export class Gestures {
  constructor(private readonly app: GestureContext) {}

  /** A card was dropped at `at`; `parent` is the container under it (null: none). */
  move(id: string, at: Point, parent: string | null): void {
    const { canvas, batches, containerKinds } = this.app;
    const byIds = componentsById(this.app.session.design);
    const name = nameOf(byIds.get(id));
    const current = canvas.parentRelationshipOf(id);
    const currentParent = current ? endpoints(current).to[0] ?? null : null;
    const move: Edit = { op: 'moveComponent', id, x: at.x, y: at.y };
    if (parent && parent !== currentParent) {
      // The old parent relationship goes in the same batch: left in place, Meshery's inventory
      // patch would rename the old Namespace after the component's new namespace.
      void batches.act(`nest ${name} into ${nameOf(byIds.get(parent))}`, [...this.dropParents(id), move, { op: 'setNamespace', id, namespace: byIds.get(parent)!.displayName ?? null }]);
    } else if (!parent && currentParent && containerKinds.has(kindOf(byIds.get(currentParent)!))) {
      void batches.act(`take ${name} out of ${nameOf(byIds.get(currentParent))}`, [...this.dropParents(id), move, { op: 'setNamespace', id, namespace: null }]);
    } else {
      void batches.act(`move ${name}`, [move]);
    }
  }

  /** A container was dragged with its children (the container first). */
  moveGroup(moves: { id: string; x: number; y: number }[]): void {
    void this.app.batches.act(`move ${nameOf(componentsById(this.app.session.design).get(moves[0]!.id))} with ${moves.length - 1} children`, moves.map((m): Edit => ({ op: 'moveComponent', ...m })));
  }

  /** Adds a component of a palette kind at `at`, inside `parent` when given, then selects it. */
  add(kind: string, at: Point, parent: string | null): void {
    const { session, canvas, batches, catalog } = this.app;
    const info = catalog.find((k) => k.kind === kind);
    if (!info) return;
    const component = newComponent(info, freshName(session.design, kind), at);
    const edits: Edit[] = [{ op: 'addComponent', component }];
    const parentComponent = parent ? componentsById(session.design).get(parent) : undefined;
    if (parentComponent) edits.push({ op: 'setNamespace', id: component.id, namespace: parentComponent.displayName ?? null });
    void batches.act(`add ${kind} ${component.displayName}${parentComponent ? ` into ${nameOf(parentComponent)}` : ''}`, edits).then((ok) => {
      if (!ok) return;
      canvas.reveal(component.id);
      this.app.select({ kind: 'component', id: component.id });
    });
  }

  /**
   * Declares a relationship from a definition the engine says relates the two, either way round
   * (status pending: the evaluator validates it). With several, a menu at `at` (client
   * coordinates) asks which.
   */
  async connect(fromId: string, toId: string, at: Point): Promise<void> {
    const { session, batches } = this.app;
    const byIds = componentsById(session.design);
    const from = byIds.get(fromId)!, to = byIds.get(toId)!;
    let forward: ConnectableDefinition[], backward: ConnectableDefinition[];
    try {
      [forward, backward] = await Promise.all([session.connectableDefinitions(fromId, toId), session.connectableDefinitions(toId, fromId)]);
    } catch (error) {
      toast(errorText(error));
      return;
    }
    const options = [...forward.map((c) => ({ ...c, fromId, toId })), ...backward.map((c) => ({ ...c, fromId: toId, toId: fromId }))]
      .filter((option) => option.kind !== 'hierarchical'); // parents are made by nesting
    if (options.length === 0) {
      toast(`No registered relationship definition relates ${kindOf(from)} and ${kindOf(to)}.`);
      return;
    }
    const declare = (option: (typeof options)[number]) => {
      const relationship = {
        ...option.definition,
        id: crypto.randomUUID(),
        status: 'pending',
        selectors: [{ allow: { from: [{ ...option.from, id: option.fromId }], to: [{ ...option.to, id: option.toId }] }, deny: { from: [], to: [] } }],
      } as DesignRelationship;
      void batches.act(`connect ${nameOf(byIds.get(option.fromId))} → ${nameOf(byIds.get(option.toId))} (${option.subType})`, [{ op: 'addRelationship', relationship }])
        .then((ok) => ok && this.app.select({ kind: 'relationship', id: relationship.id }));
    };
    if (options.length === 1) {
      declare(options[0]!);
      return;
    }
    const menu = byId('menu');
    menu.replaceChildren(h('p', {}, 'Relate with which definition?'),
      ...options.map((option) => h('button', { onclick: () => { menu.hidden = true; declare(option); } },
        `${typeOf(option)} (${option.from.kind} → ${option.to.kind}): ${nameOf(byIds.get(option.fromId))} → ${nameOf(byIds.get(option.toId))}`)),
      h('button', { onclick: () => (menu.hidden = true) }, 'Cancel'));
    menu.style.left = `${at.x}px`;
    menu.style.top = `${at.y}px`;
    menu.hidden = false;
  }

  /** Deletes the selected component or relationship. */
  remove(selection: NonNullable<Selection>): void {
    const { session, batches } = this.app;
    if (selection.kind === 'component') void batches.act(`delete ${nameOf(componentsById(session.design).get(selection.id))}`, [{ op: 'removeComponent', id: selection.id }]);
    else void batches.act('remove relationship', [{ op: 'removeRelationship', id: selection.id }]);
    this.app.select(null);
  }

  /** Edits removing every parent relationship of `id`, so that it can be nested elsewhere or nowhere. */
  private dropParents(id: string): Edit[] {
    return (this.app.session.design.relationships ?? [])
      .filter((r) => isHierarchical(r) && endpoints(r).from.includes(id))
      .map((r): Edit => ({ op: 'removeRelationship', id: r.id }));
  }
}
