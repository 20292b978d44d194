// The design as the canvas draws it: which components are containers (boxes around their
// children), which component is whose parent (the first live hierarchical relationship that does
// not make a cycle), and one arrow per pair of endpoints for every other relationship.
import type { Component, Design, DesignRelationship } from '@meshery/relationship-evaluator';
import { endpoints, isHierarchical, isLive, kindOf, parentsOf } from '../model.js';

/** One arrow; `lane` counts the arrows already between the same two components, to bend it apart. */
export type Edge = { relationship: DesignRelationship; from: string; to: string; lane: number };

export class Scene {
  readonly byId = new Map<string, Component>();
  readonly parentOf = new Map<string, { parent: string; relationship: DesignRelationship }>();
  readonly children = new Map<string, string[]>();
  readonly containers = new Set<string>();
  readonly edges: Edge[] = [];

  /** `containerKinds`: the kinds drawn as boxes and accepted as drop targets, even when empty. */
  constructor(private readonly containerKinds: Set<string>) {}

  /** Replaces what is shown with `design`. */
  show(design: Design): void {
    this.byId.clear();
    for (const component of design.components ?? []) this.byId.set(component.id, component);
    this.parentOf.clear();
    this.children.clear();
    this.containers.clear();
    for (const component of design.components ?? []) if (this.containerKinds.has(kindOf(component))) this.containers.add(component.id);
    for (const [child, parents] of parentsOf(design)) {
      const first = parents.find((p) => this.byId.has(p.parent) && this.byId.has(child) && !this.isAncestor(child, p.parent));
      if (!first) continue;
      this.parentOf.set(child, first);
      this.containers.add(first.parent);
      this.children.set(first.parent, [...(this.children.get(first.parent) ?? []), child]);
    }
    const lanes = new Map<string, number>();
    this.edges.length = 0;
    for (const relationship of design.relationships ?? []) {
      // Live parents are drawn as nesting, not as arrows.
      if (isHierarchical(relationship) && isLive(relationship)) continue;
      const { from, to } = endpoints(relationship);
      for (const a of from) for (const b of to) {
        if (!this.byId.has(a) || !this.byId.has(b) || a === b) continue;
        const key = a < b ? `${a}|${b}` : `${b}|${a}`;
        const lane = lanes.get(key) ?? 0;
        lanes.set(key, lane + 1);
        this.edges.push({ relationship, from: a, to: b, lane });
      }
    }
  }

  /** The components drawn as cards: every one that is not a container. */
  cards(): string[] {
    return [...this.byId.keys()].filter((id) => !this.containers.has(id));
  }

  /** Whether a component is of a container kind: only those take a dropped component as a child. */
  acceptsDrops(id: string): boolean {
    return this.containerKinds.has(kindOf(this.byId.get(id)!));
  }

  parentRelationshipOf(id: string): DesignRelationship | null {
    return this.parentOf.get(id)?.relationship ?? null;
  }

  descendants(id: string): string[] {
    const out: string[] = [];
    const walk = (at: string) => {
      for (const kid of this.children.get(at) ?? []) {
        out.push(kid);
        walk(kid);
      }
    };
    walk(id);
    return out;
  }

  /** How many parents up to a root: outer boxes are painted first. */
  depth(id: string): number {
    let depth = 0;
    for (let at = this.parentOf.get(id)?.parent; at && depth < 64; at = this.parentOf.get(at)?.parent) depth++;
    return depth;
  }

  private isAncestor(candidate: string, of: string): boolean {
    for (let at: string | undefined = of, guard = 0; at && guard < 64; at = this.parentOf.get(at)?.parent, guard++) if (at === candidate) return true;
    return false;
  }
}
