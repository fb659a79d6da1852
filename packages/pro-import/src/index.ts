export * from "./adapter-kit.ts";
export * from "./client.ts";
export * from "./diff.ts";
export * from "./errors.ts";
export * from "./mapping.ts";
export * from "./paths.ts";
export * from "./status.ts";
export * from "./wire.ts";
