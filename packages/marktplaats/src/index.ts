// The public API: the adapter, its configuration and the two sites' descriptors. Everything
// else (client, wire schemas, JSON Patch, mapping steps) is internal to the package.
export * from "./adapter.ts";
export * from "./config.ts";
export * from "./descriptor.ts";
