/**
 * The packages as a user gets them: builds core, pro-import, blocket and sandbox to dist,
 * packs them with pnpm (publishConfig applied, `workspace:*` replaced), installs the tarballs
 * with npm in a plain Node project outside the workspace, and there publishes an ad to the
 * sandbox through the Promise facade with `node` (no tsx, no vitest transform) and type-checks a
 * consumer against the packed declarations.
 *
 * Slow (a build, a pack and an npm install: about a minute), so it has its own timeouts.
 */
import { execFile } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);

const root = fileURLToPath(new URL("../../../", import.meta.url));
const helpers = fileURLToPath(new URL("./packaging/", import.meta.url));
const exampleAd = join(root, "docs/examples/01-car.json");

/** Packed and installed; pro-import because blocket depends on it. */
const packed = ["core", "pro-import", "blocket", "sandbox"] as const;
type Packed = (typeof packed)[number];

const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, "utf8"));
const manifestOf = (name: Packed) => readJson(join(root, "packages", name, "package.json"));

/** `pnpm@x.y.z`, as the root package.json pins it. */
const pnpm = String(readJson(join(root, "package.json")).packageManager);
/** The versions the workspace uses, installed explicitly in the plain project. */
const coreDependencies = manifestOf("core").dependencies as Record<string, string>;

const timeoutMs = 240_000;
const timings: Record<string, number> = {};

const step = async (
  name: string,
  command: string,
  args: ReadonlyArray<string>,
  cwd: string,
): Promise<string> => {
  const started = performance.now();
  try {
    const { stdout } = await run(command, [...args], {
      cwd,
      maxBuffer: 64 * 1024 * 1024,
      timeout: timeoutMs,
      env: { ...process.env, npm_config_update_notifier: "false" },
    });
    return stdout;
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `${name} failed: ${failure.message}\n--- stdout\n${failure.stdout ?? ""}\n--- stderr\n${failure.stderr ?? ""}`,
    );
  } finally {
    timings[name] = Math.round(performance.now() - started);
  }
};

/** Every relative module specifier of a JS or declaration file. */
const relativeSpecifiers = (text: string): ReadonlyArray<string> =>
  [...text.matchAll(/\b(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']*)["']/g)].map(
    (match) => match[1] ?? "",
  );

/** Every bare (package) module specifier of a JS or declaration file. */
const bareSpecifiers = (text: string): ReadonlyArray<string> =>
  [...text.matchAll(/\b(?:from|import)\s*\(?\s*["']([^."'][^"']*)["']/g)].map(
    (match) => match[1] ?? "",
  );

/**
 * Imports of the dist that its package.json does not declare yet, known and reported: the
 * sandbox's `./conformance` entry imports @adsync/core and vitest, which sandbox's package.json
 * must list (dependency; optional peer dependency) before it is published. Nothing may be added.
 */
const knownUndeclared: Record<Packed, ReadonlySet<string>> = {
  core: new Set(),
  "pro-import": new Set(),
  blocket: new Set(),
  sandbox: new Set(["@adsync/core", "vitest"]),
};

const filesUnder = (directory: string): ReadonlyArray<string> =>
  readdirSync(directory, { recursive: true, encoding: "utf8" }).map((path) =>
    join(directory, path),
  );

let work = "";
let packDirectory = "";
let app = "";
const tarballs = new Map<Packed, string>();
/** The files of each tarball, without the leading `package/`. */
const contents = new Map<Packed, ReadonlyArray<string>>();

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "adsync-packaging-"));
  packDirectory = join(work, "packs");
  app = join(work, "app");
  mkdirSync(packDirectory);

  const filters = packed.flatMap((name) => ["--filter", `@adsync/${name}`]);
  await step("build", "npx", ["-y", pnpm, "-r", ...filters, "build"], root);
  await step(
    "pack",
    "npx",
    ["-y", pnpm, "-r", ...filters, "pack", "--pack-destination", packDirectory],
    root,
  );
  for (const name of packed) {
    const version = String(manifestOf(name).version);
    const tarball = join(packDirectory, `adsync-${name}-${version}.tgz`);
    tarballs.set(name, tarball);
    const listing = await step(`list ${name}`, "tar", ["-tzf", tarball], work);
    contents.set(
      name,
      listing
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => line.replace(/^package\//, "")),
    );
  }

  // A plain Node project: no workspace, no tsx; npm as a user would run it.
  mkdirSync(app);
  writeFileSync(
    join(app, "package.json"),
    `${JSON.stringify({ name: "adsync-packaging-check", private: true, type: "module" }, null, 2)}\n`,
  );
  await step(
    "install",
    "npm",
    [
      "install",
      "--no-audit",
      "--no-fund",
      "--prefer-offline",
      "--ignore-scripts",
      "--save-exact",
      "--loglevel=error",
      ...tarballs.values(),
      `effect@${coreDependencies.effect}`,
      `@effect/platform-node@${coreDependencies["@effect/platform-node"]}`,
    ],
    app,
  );
  copyFileSync(join(helpers, "publish-to-sandbox.mjs"), join(app, "publish-to-sandbox.mjs"));
  copyFileSync(join(helpers, "consumer.ts"), join(app, "consumer.ts"));
}, timeoutMs);

afterAll(() => {
  console.log(`packaging timings (ms): ${JSON.stringify(timings)}`);
  if (work !== "") rmSync(work, { recursive: true, force: true });
});

describe("the packed packages", () => {
  it.each(packed)("@adsync/%s: the tarball has dist/index.js and .d.ts, no tests", (name) => {
    const files = contents.get(name) ?? [];
    expect(files).toContain("package.json");
    expect(files).toContain("dist/index.js");
    expect(files).toContain("dist/index.d.ts");
    expect(files.filter((file) => /(^|\/)(test|tests|__tests__)\//.test(file))).toEqual([]);
    expect(files.filter((file) => /\.(test|spec)\.[cm]?[jt]s$/.test(file))).toEqual([]);
    expect(files.filter((file) => file.endsWith(".tsbuildinfo"))).toEqual([]);
  });

  it.each(packed)("@adsync/%s: the published manifest points at dist, no workspace:", (name) => {
    const manifest = readJson(join(app, "node_modules/@adsync", name, "package.json"));
    const exports = manifest.exports as Record<string, unknown>;
    expect(exports["."]).toEqual({ types: "./dist/index.d.ts", default: "./dist/index.js" });
    expect(exports["./package.json"]).toBe("./package.json");
    const targets = Object.values(exports).flatMap((target) =>
      typeof target === "string" ? [target] : Object.values(target as Record<string, string>),
    );
    const files = contents.get(name) ?? [];
    expect(targets.filter((target) => !files.includes(target.replace(/^\.\//, "")))).toEqual([]);
    expect(manifest.main).toBe("./dist/index.js");
    expect(manifest.types).toBe("./dist/index.d.ts");
    const dependencies = manifest.dependencies as Record<string, string>;
    const workspace = manifestOf(name).dependencies as Record<string, string>;
    for (const [dependency, range] of Object.entries(workspace)) {
      const expected = range.startsWith("workspace:")
        ? String(manifestOf(dependency.replace("@adsync/", "") as Packed).version)
        : range;
      expect(dependencies[dependency], dependency).toBe(expected);
    }
  });

  it.each(packed)("@adsync/%s: relative imports of .js and .d.ts end in .js", (name) => {
    const dist = join(app, "node_modules/@adsync", name, "dist");
    const wrong = filesUnder(dist)
      .filter((file) => file.endsWith(".js") || file.endsWith(".d.ts"))
      .flatMap((file) =>
        relativeSpecifiers(readFileSync(file, "utf8"))
          .filter((specifier) => !specifier.endsWith(".js"))
          .map((specifier) => `${file.slice(dist.length + 1)}: ${specifier}`),
      );
    expect(wrong).toEqual([]);
  });

  it.each(packed)("@adsync/%s: every package its dist imports is a declared dependency", (name) => {
    const manifest = readJson(join(app, "node_modules/@adsync", name, "package.json"));
    const declared = new Set(
      ["dependencies", "peerDependencies", "optionalDependencies"].flatMap((field) =>
        Object.keys((manifest[field] as Record<string, string> | undefined) ?? {}),
      ),
    );
    const dist = join(app, "node_modules/@adsync", name, "dist");
    const undeclared = new Set(
      filesUnder(dist)
        .filter((file) => file.endsWith(".js") || file.endsWith(".d.ts"))
        .flatMap((file) => bareSpecifiers(readFileSync(file, "utf8")))
        .filter((specifier) => !specifier.startsWith("node:"))
        .map((specifier) => specifier.split("/", specifier.startsWith("@") ? 2 : 1).join("/"))
        .filter(
          (dependency) => !declared.has(dependency) && !knownUndeclared[name].has(dependency),
        ),
    );
    expect([...undeclared]).toEqual([]);
  });

  it(
    "publish an ad to the sandbox through the Promise facade, on plain node",
    async () => {
      const stdout = await step(
        "node script",
        process.execPath,
        ["publish-to-sandbox.mjs", exampleAd],
        app,
      );
      const report = JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as {
        adId: string;
        outcomes: ReadonlyArray<{ marketplace: string; result: string; issues: unknown[] }>;
        settled: ReadonlyArray<{
          marketplace: string;
          presence: string;
          operation?: string;
          ids: Record<string, string>;
        }>;
        requests: ReadonlyArray<string>;
      };
      const ad = readJson(exampleAd);
      expect(report.adId).toBe(ad.id);
      expect(report.outcomes).toEqual([{ marketplace: "blocket", result: "accepted", issues: [] }]);
      expect(report.settled).toHaveLength(1);
      expect(report.settled[0]).toMatchObject({
        marketplace: "blocket",
        presence: "live",
        operation: "succeeded",
      });
      expect(report.settled[0]?.ids.blocket_ad_id).toMatch(/^\d+$/);
      expect(
        report.requests.filter((request) => request === "POST /pro-import-api/v4/ad"),
      ).toHaveLength(1);
    },
    timeoutMs,
  );

  it(
    "the declarations type-check a consumer (NodeNext, strict)",
    async () => {
      writeFileSync(
        join(app, "tsconfig.json"),
        `${JSON.stringify(
          {
            compilerOptions: {
              target: "ES2022",
              module: "NodeNext",
              moduleResolution: "NodeNext",
              strict: true,
              exactOptionalPropertyTypes: true,
              skipLibCheck: true,
              noEmit: true,
              types: [],
            },
            files: ["consumer.ts"],
          },
          null,
          2,
        )}\n`,
      );
      const tsc = join(root, "node_modules/typescript/bin/tsc");
      await step("tsc consumer", process.execPath, [tsc, "-p", "tsconfig.json"], app);
    },
    timeoutMs,
  );
});
