// Moved to core (the worker uses it too); kept here for code importing it from the CLI.
export { referenceCacheLayer } from "@adsync/core";
export { adsyncCommand, exitCodesText, main, subcommands } from "./cli.ts";
export { loadConfig } from "./config.ts";
export { ExitCode } from "./context.ts";
export { layerFromConfig } from "./marketplaces.ts";
export type { Registry, RegistryEntry, SandboxEntry } from "./registry.ts";
export { defaultRegistry } from "./registry.ts";
