export * from "./adapter.ts";
export * from "./config.ts";
export * from "./descriptor.ts";
export * from "./mapping/to-tradera.ts";
export * from "./reference-data.ts";
export * from "./relisting.ts";
