/**
 * `@adsync/sandbox/conformance`: the adapter conformance suite. A separate entry point
 * because it imports vitest, which the sandbox itself does not need.
 */
export * from "./conformance/adapter-conformance.ts";
export * from "./conformance/expectations.ts";
