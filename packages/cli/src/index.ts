export { main, usage } from "./bin.ts";
export { loadConfig, resolveSecret } from "./config.ts";
export { layerFromConfig } from "./marketplaces.ts";
