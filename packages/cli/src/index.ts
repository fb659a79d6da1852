export { adsyncCommand, exitCodesText, main, subcommands } from "./cli.ts";
export { loadConfig } from "./config.ts";
export { ExitCode } from "./context.ts";
export { layerFromConfig } from "./marketplaces.ts";
export { referenceCacheLayer } from "./reference-cache.ts";
export type { Registry, RegistryEntry, SandboxEntry } from "./registry.ts";
export { defaultRegistry } from "./registry.ts";
