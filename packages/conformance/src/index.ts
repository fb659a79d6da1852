/**
 * `@adsync/conformance`: the behaviour every adsync adapter must show against its sandbox fake
 * (`adapterConformance`), and the expectations its contract and mapping tests share. It imports
 * vitest, core and the sandbox's fakes; the fakes know no adapter, and no adapter's source
 * imports this package (only its tests do).
 */
export * from "./adapter-conformance.ts";
export * from "./canonical-paths.ts";
export * from "./contract-harness.ts";
export * from "./descriptor-layer.ts";
export * from "./expectations.ts";
export * from "./virtual-clock.ts";
