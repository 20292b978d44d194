// Evaluates a string as code on purpose, as a module's own top-level code (in its own task, not
// inside a DevTools evaluation, which Chromium exempts from the policy). Imported by
// security.e2e.mjs in the page and in the package's worker to prove the CSP is in force there and
// that its violations are seen.
let outcome;
try {
  outcome = String(new Function('return 1 + 1')());
} catch (error) {
  outcome = error.name;
}
export default outcome;
