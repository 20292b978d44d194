/** The wasm as an imported module (workerd's wasm modules), provided by the build (scripts/build-js.mjs) for the workerd entry. */
declare module 'virtual:relationship-evaluator-wasm-module' {
  const module: WebAssembly.Module;
  export default module;
}
