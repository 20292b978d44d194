// The offline suite's page: the package and its offline entry as published (dist/, resolved by
// the import map as an app's bundler would), the corpus, and small helpers the tests call through
// page.evaluate. Evaluators stay open on `window.open` between calls of one page load.
import * as pkg from '@meshery/relationship-evaluator';
import * as offline from '@meshery/relationship-evaluator/offline';

window.pkg = pkg;
window.offline = offline;
window.definitions = await (await fetch('/corpus/definitions.json')).json();
window.designs = { valid: await (await fetch('/corpus/valid_design.json')).json() };
window.opened = {};

/** What a test compares: revision, cursor, journal length and the design as JSON text. */
window.stateOf = async (evaluator) => ({
  revision: evaluator.revision,
  cursor: evaluator.cursor,
  journal: evaluator.history.length,
  design: JSON.stringify(await evaluator.design()),
});

/** A typed error as plain data. */
window.errorOf = (error) => (error ? { name: error.name, code: error.code, path: error.path, key: error.key ?? null, message: error.message, isEvaluatorError: error instanceof pkg.EvaluatorError } : null);

/** Opens (or restores) design `name` and keeps it in `window.opened`. */
window.openDesign = async (name, options = {}) => {
  const evaluator = await offline.openOfflineEvaluator(name, window.definitions, options);
  window.opened[name] = evaluator;
  return { ...(await window.stateOf(evaluator)), corruption: window.errorOf(evaluator.corruption) };
};

/** Rewrites one stored record in the package's database, as damage on disk would. */
window.tamper = (key, change) => new Promise((resolve, reject) => {
  const request = indexedDB.open('meshery-relationship-evaluator', 1);
  request.onerror = () => reject(request.error);
  request.onsuccess = () => {
    const db = request.result;
    const tx = db.transaction('records', 'readwrite');
    const store = tx.objectStore('records');
    const get = store.get(key);
    get.onsuccess = () => store.put(change(get.result), key);
    tx.oncomplete = () => { db.close(); resolve(); };
    tx.onerror = () => reject(tx.error);
  };
});

document.getElementById('status').textContent = 'ready';
window.harnessReady = true;
