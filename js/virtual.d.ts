/** The wasm as base64 text, provided by the build (scripts/build-js.mjs) for the inline entry. */
declare module 'virtual:relationship-evaluator-wasm-base64' {
  const base64: string;
  export default base64;
}
