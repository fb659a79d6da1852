import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { Effect } from "effect";
import { ConsoleError } from "./console-options.ts";

/** The page: its HTML, style sheet and script, all served by the console itself (no CDN). */
export interface Assets {
  readonly html: string;
  readonly css: string;
  readonly script: string;
}

/** The package's root, from src/ (running the sources) and from dist/ alike. */
const packageRoot = new URL("../", import.meta.url);
const runningFromSources = import.meta.url.endsWith(".ts");

/**
 * The page's script, bundled by esbuild from web/app.ts. `pnpm build` writes it to
 * dist/web/app.js; running from the sources (tests, `pnpm adsync`), it is bundled here at
 * start, so a fresh clone needs no build step and nothing generated is committed. The published
 * package carries dist/web/app.js, so esbuild is only an optional peer there.
 */
export const bundleScript = async (): Promise<string> => {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    entryPoints: [fileURLToPath(new URL("web/app.ts", packageRoot))],
    bundle: true,
    format: "iife",
    target: "es2022",
    write: false,
    logLevel: "silent",
    legalComments: "none",
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error("esbuild produced no output for web/app.ts");
  return output.text;
};

const read = (path: string) => readFile(new URL(path, packageRoot), "utf8");

export const loadAssets: Effect.Effect<Assets, ConsoleError> = Effect.tryPromise({
  try: async () => ({
    html: await read("web/index.html"),
    css: await read("web/style.css"),
    script: runningFromSources ? await bundleScript() : await read("dist/web/app.js"),
  }),
  catch: (cause) =>
    new ConsoleError({
      reason: "Assets",
      message: `The console's page could not be ${runningFromSources ? "bundled" : "read"}: ${String(cause)}`,
    }),
});
