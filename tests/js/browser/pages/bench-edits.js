// The browser benchmark's edit mix — move, add, rename, relabel, delete, connect, in turn — built
// from a design's own components, and the same edits applied to a plain design object: a full
// evaluation of that object is what the evaluator's incremental answer must equal.

const KINDS = ['moveComponent', 'addComponent', 'renameComponent', 'setLabels', 'removeComponent', 'addRelationship'];

const kindOf = (component) => component.component?.kind;
const clone = (value) => structuredClone(value);

/** A valid, deterministic id for the n-th thing the benchmark adds. */
const addedId = (prefix, n) => `${prefix}-0000-4000-8000-${String(n).padStart(12, '0')}`;

/**
 * `count` single-edit batches over `design`, spread across it (components taken at a stride), each
 * component edited at most once so no edit touches what an earlier one deleted. Namespaces are
 * left alone: deleting one is a bulk change, not an edit in a frame.
 */
export function mixedEdits(design, count) {
  const candidates = design.components.filter((c) => kindOf(c) !== 'Namespace');
  const workloads = candidates.filter((c) => ['Deployment', 'Pod'].includes(kindOf(c)));
  const services = candidates.filter((c) => kindOf(c) === 'Service');
  const used = new Set();
  const picker = (pool) => {
    const stride = Math.max(1, Math.floor(pool.length / Math.max(1, Math.ceil(count / KINDS.length))));
    let at = 0;
    return () => {
      for (let tries = 0; tries < pool.length; tries++) {
        const component = pool[(at + tries) % pool.length];
        if (!used.has(component.id)) {
          used.add(component.id);
          at += tries + stride;
          return component;
        }
      }
      throw new Error('the design has too few components for this many edits');
    };
  };
  const anyComponent = picker(candidates);
  const workload = picker(workloads.length ? workloads : candidates);
  const service = picker(services.length ? services : candidates);
  const edits = [];
  for (let i = 0; i < count; i++) {
    switch (KINDS[i % KINDS.length]) {
      case 'moveComponent':
        edits.push({ op: 'moveComponent', id: anyComponent().id, x: 10 * i, y: 5 * i });
        break;
      case 'addComponent': {
        // A copy of a workload under a new name, keeping its labels: its Service now selects two.
        const copy = clone(workload());
        copy.id = addedId('b0000000', i);
        copy.displayName = `${copy.displayName}-copy-${i}`;
        if (copy.configuration?.metadata) copy.configuration.metadata.name = copy.displayName;
        edits.push({ op: 'addComponent', component: copy });
        break;
      }
      case 'renameComponent':
        edits.push({ op: 'renameComponent', id: anyComponent().id, displayName: `renamed-${i}` });
        break;
      case 'setLabels':
        edits.push({ op: 'setLabels', id: workload().id, labels: { app: `relabelled-${i}` } });
        break;
      case 'removeComponent':
        edits.push({ op: 'removeComponent', id: (i % 12 === 4 ? service() : anyComponent()).id });
        break;
      case 'addRelationship': {
        // Connect a Service to a workload by hand, as a user drawing an edge does.
        const from = service();
        const to = workload();
        edits.push({
          op: 'addRelationship',
          relationship: {
            id: addedId('c0000000', i), kind: 'edge', type: 'non-binding', subType: 'network', status: 'pending',
            selectors: [{ allow: { from: [{ id: from.id, kind: kindOf(from) }], to: [{ id: to.id, kind: kindOf(to) }] } }],
          },
        });
        break;
      }
    }
  }
  return edits;
}

/** Sets `value` at `path` under `object`, creating (or replacing non-object) parents, as the engine does. */
function setField(object, path, value) {
  let at = object;
  for (const key of path.slice(0, -1)) {
    if (typeof at[key] !== 'object' || at[key] === null || Array.isArray(at[key])) at[key] = {};
    at = at[key];
  }
  at[path[path.length - 1]] = value;
}

/** Whether a relationship names the component in one of its selectors' endpoints. */
const names = (relationship, id) =>
  (relationship.selectors ?? []).some((selector) => [...(selector.allow?.from ?? []), ...(selector.allow?.to ?? [])].some((item) => item?.id === id));

/**
 * `design` with `edit` applied and nothing evaluated (the edit kinds `mixedEdits` makes). With
 * `rematchOnEdit` (the package's default), an edit of what relationships are matched on (here
 * `setLabels`) first drops the relationships naming the component, as the evaluator does.
 */
export function applyEdit(design, edit, { rematchOnEdit = true } = {}) {
  const next = clone(design);
  if (rematchOnEdit && edit.op === 'setLabels') next.relationships = (next.relationships ?? []).filter((r) => !names(r, edit.id));
  const component = () => {
    const found = next.components.find((c) => c.id === edit.id);
    if (!found) throw new Error(`no component ${edit.id}`);
    return found;
  };
  switch (edit.op) {
    case 'moveComponent':
      setField(component(), ['styles', 'position'], { x: edit.x, y: edit.y });
      break;
    case 'renameComponent':
      setField(component(), ['displayName'], edit.displayName);
      break;
    case 'setLabels':
      setField(component(), ['configuration', 'metadata', 'labels'], edit.labels);
      break;
    case 'addComponent':
      next.components.push(clone(edit.component));
      break;
    case 'removeComponent':
      next.components.splice(next.components.indexOf(component()), 1);
      break;
    case 'addRelationship':
      next.relationships = [...(next.relationships ?? []), clone(edit.relationship)];
      break;
    default:
      throw new Error(`applyEdit does not know ${edit.op}`);
  }
  return next;
}
