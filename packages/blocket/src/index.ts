export * from "./adapter.ts";
export * from "./categories.ts";
export * from "./config.ts";
export * from "./descriptor.ts";
export * from "./mapping/from-blocket.ts";
export * from "./mapping/to-blocket.ts";
