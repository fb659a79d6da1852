// Runs with plain node in the packaging test's plain project: resolves every entry of each
// package's `exports` and loads it (JSON through require, the rest through import), except an
// entry whose optional peer dependency is not installed (the sandbox's `./conformance` needs
// vitest), which is only resolved. Prints {package: {loaded: [...], resolved: [...]}}.
// Usage: node import-every-export.mjs <package>...
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const installed = (name) => {
  try {
    import.meta.resolve(name);
    return true;
  } catch {
    return false;
  }
};
const report = {};
for (const name of process.argv.slice(2)) {
  const manifest = JSON.parse(
    readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url), "utf8"),
  );
  const missingOptionalPeers = Object.keys(manifest.peerDependenciesMeta ?? {}).filter(
    (peer) => manifest.peerDependenciesMeta[peer].optional && !installed(peer),
  );
  report[name] = { loaded: [], resolved: [] };
  for (const entry of Object.keys(manifest.exports)) {
    const specifier = entry === "." ? name : `${name}/${entry.slice(2)}`;
    const file = fileURLToPath(import.meta.resolve(specifier));
    if (!existsSync(file)) throw new Error(`${specifier} resolves to a missing ${file}`);
    report[name].resolved.push(entry);
    try {
      if (entry.endsWith(".json")) require(specifier);
      else await import(specifier);
      report[name].loaded.push(entry);
    } catch (error) {
      const missingPeer = missingOptionalPeers.some(
        (peer) =>
          error?.code === "ERR_MODULE_NOT_FOUND" &&
          error.message.startsWith(`Cannot find package '${peer}'`),
      );
      if (!missingPeer) throw error;
    }
  }
}
process.stdout.write(`${JSON.stringify(report)}\n`);
