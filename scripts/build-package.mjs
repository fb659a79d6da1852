// Builds one package to dist/ (ESM + .d.ts): run from the package's directory.
// TypeScript 5.9 rewrites relative `.ts` imports to `.js` in emitted JavaScript
// (rewriteRelativeImportExtensions) but not in declaration files
// (microsoft/TypeScript#61037), so the .d.ts files are rewritten here.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

rmSync("dist", { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { stdio: "inherit" });

const relativeTsImport = /(\b(?:from|import)\s*\(?\s*["']\.\.?\/[^"']*?)(?<!\.d)\.ts(["'])/g;
for (const file of readdirSync("dist", { recursive: true, encoding: "utf8" })) {
  if (!file.endsWith(".d.ts")) continue;
  const path = join("dist", file);
  const source = readFileSync(path, "utf8");
  const rewritten = source.replace(relativeTsImport, (_, head, quote) => `${head}.js${quote}`);
  if (rewritten !== source) writeFileSync(path, rewritten);
}
