/**
 * The packages as a user gets them: builds every package to dist, packs every one with pnpm
 * (publishConfig applied, `workspace:*` replaced), installs the tarballs with npm in a plain
 * Node project outside the workspace (no lockfile, registry dependencies from the npm registry
 * only), and there: imports every export with `node`, runs `npx adsync --help` through npm's bin
 * link, runs the README's Promise snippet with plain node against the sandbox on 127.0.0.1, and
 * type-checks a consumer against the packed declarations.
 *
 * Slow (a build, a pack and an npm install: minutes on a loaded 2-core machine), so every step
 * and the hook get budgets in minutes.
 */
import { execFile, spawn } from "node:child_process";
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectedSnippetOutput, layOutSnippet } from "./packaging/readme-snippet.ts";

const run = promisify(execFile);

const root = fileURLToPath(new URL("../../../", import.meta.url));
const helpers = fileURLToPath(new URL("./packaging/", import.meta.url));

/** Every package of the workspace: each one is published. */
const packed = readdirSync(join(root, "packages"), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

type Manifest = Record<string, unknown>;
const readJson = (path: string): Manifest => JSON.parse(readFileSync(path, "utf8"));
const manifestOf = (name: string) => readJson(join(root, "packages", name, "package.json"));
const recordOf = (value: unknown): Record<string, string> =>
  typeof value === "object" && value !== null
    ? Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, String(entry)]))
    : {};

/** `pnpm@x.y.z`, as the root package.json pins it. */
const pnpm = String(readJson(join(root, "package.json")).packageManager);
/** The versions the workspace develops against, installed explicitly in the plain project. */
const workspaceVersions = recordOf(manifestOf("core").devDependencies);

/**
 * One step (a build, an install) on a loaded 2-core machine: the build of the nine packages
 * took 6.5 minutes there with several test suites running beside it.
 */
const stepBudgetMs = 15 * 60_000;
/** build + pack + install, each within its own budget. */
const hookBudgetMs = 3 * stepBudgetMs;
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
      timeout: stepBudgetMs,
      env: {
        ...process.env,
        npm_config_update_notifier: "false",
        npm_config_fund: "false",
        npm_config_audit: "false",
      },
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
  [...text.matchAll(/\b(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"'\s]*)["']/g)].map(
    (match) => match[1] ?? "",
  );

/** Every bare (package) module specifier of a JS or declaration file. */
const bareSpecifiers = (text: string): ReadonlyArray<string> =>
  [...text.matchAll(/\b(?:from|import)\s*\(?\s*["']([^."'\s][^"'\s]*)["']/g)].map(
    (match) => match[1] ?? "",
  );

const filesUnder = (directory: string): ReadonlyArray<string> =>
  readdirSync(directory, { recursive: true, encoding: "utf8" }).map((path) =>
    join(directory, path),
  );

let work = "";
let app = "";
/** The files of each tarball, without the leading `package/`. */
const contents = new Map<string, ReadonlyArray<string>>();
const installed = (name: string) => join(app, "node_modules/@adsync", name);

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "adsync-packaging-"));
  const packDirectory = join(work, "packs");
  app = join(work, "app");
  mkdirSync(packDirectory);

  await step("build", "npx", ["-y", pnpm, "-r", "--filter", "./packages/*", "build"], root);
  await step(
    "pack",
    "npx",
    ["-y", pnpm, "-r", "--filter", "./packages/*", "pack", "--pack-destination", packDirectory],
    root,
  );
  const tarballs = packed.map((name) =>
    join(packDirectory, `adsync-${name}-${String(manifestOf(name).version)}.tgz`),
  );
  for (const [index, name] of packed.entries()) {
    const listing = await step(`list ${name}`, "tar", ["-tzf", tarballs[index] ?? ""], work);
    contents.set(
      name,
      listing
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => line.replace(/^package\//, "")),
    );
  }

  // A plain Node project: no workspace, no lockfile, no tsx; npm as a user would run it.
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
      "--no-package-lock",
      "--prefer-offline",
      // better-sqlite3's install script downloads a prebuilt binary from GitHub (a network
      // this test must not reach) or compiles SQLite for minutes; its binary is taken from
      // the workspace's install below instead. Our packages have no install scripts.
      "--ignore-scripts",
      "--loglevel=error",
      ...tarballs,
      `effect@${workspaceVersions.effect}`,
      `@effect/platform@${workspaceVersions["@effect/platform"]}`,
    ],
    app,
  );
  const sqliteBuild = "node_modules/better-sqlite3/build/Release";
  const workspaceSqlite = join(root, "packages/store-sqlite", sqliteBuild);
  expect(readJson(join(app, "node_modules/better-sqlite3/package.json")).version).toBe(
    readJson(join(root, "packages/store-sqlite/node_modules/better-sqlite3/package.json")).version,
  );
  mkdirSync(join(app, sqliteBuild), { recursive: true });
  copyFileSync(
    join(workspaceSqlite, "better_sqlite3.node"),
    join(app, sqliteBuild, "better_sqlite3.node"),
  );
  copyFileSync(join(helpers, "consumer.ts"), join(app, "consumer.ts"));
  copyFileSync(join(helpers, "import-every-export.mjs"), join(app, "import-every-export.mjs"));
}, hookBudgetMs);

afterAll(async () => {
  console.log(`packaging timings (ms): ${JSON.stringify(timings)}`);
  if (work !== "") await rm(work, { recursive: true, force: true });
}, stepBudgetMs);

describe("the packed packages", () => {
  it("are every package of the workspace", () => {
    expect(packed).toEqual([
      "allegro",
      "blocket",
      "cli",
      "conformance",
      "console",
      "core",
      "marktplaats",
      "pro-import",
      "sandbox",
      "store-sql",
      "store-sqlite",
      "tradera",
      "worker",
    ]);
  });

  it.each(packed)("@adsync/%s: dist, README and LICENSE in the tarball, no tests", (name) => {
    const files = contents.get(name) ?? [];
    expect(files).toEqual(
      expect.arrayContaining([
        "package.json",
        "README.md",
        "LICENSE",
        "dist/index.js",
        "dist/index.d.ts",
      ]),
    );
    expect(readFileSync(join(installed(name), "LICENSE"), "utf8")).toBe(
      readFileSync(join(root, "LICENSE"), "utf8"),
    );
    expect(files.filter((file) => /(^|\/)(test|tests|__tests__)\//.test(file))).toEqual([]);
    expect(files.filter((file) => /\.(test|spec)\.[cm]?[jt]s$/.test(file))).toEqual([]);
    expect(files.filter((file) => file.endsWith(".tsbuildinfo"))).toEqual([]);
  });

  it.each(packed)("@adsync/%s: the published manifest points at dist, no workspace:", (name) => {
    const manifest = readJson(join(installed(name), "package.json"));
    const exports = manifest.exports as Record<string, unknown>;
    expect(exports["."]).toEqual({ types: "./dist/index.d.ts", default: "./dist/index.js" });
    expect(exports["./package.json"]).toBe("./package.json");
    const targets = Object.values(exports).flatMap((target) =>
      typeof target === "string" ? [target] : Object.values(recordOf(target)),
    );
    const files = contents.get(name) ?? [];
    expect(targets.filter((target) => !files.includes(target.replace(/^\.\//, "")))).toEqual([]);
    expect(manifest.main).toBe("./dist/index.js");
    expect(manifest.types).toBe("./dist/index.d.ts");
    const dependencies = recordOf(manifest.dependencies);
    for (const [dependency, range] of Object.entries(recordOf(manifestOf(name).dependencies))) {
      const expected = range.startsWith("workspace:")
        ? String(manifestOf(dependency.replace("@adsync/", "")).version)
        : range;
      expect(dependencies[dependency], dependency).toBe(expected);
    }
  });

  it.each(packed)("@adsync/%s: publishable metadata, Effect as a peer", (name) => {
    const manifest = readJson(join(installed(name), "package.json"));
    expect(manifest).toMatchObject({
      license: "MIT",
      engines: { node: ">=20.19" },
      repository: { type: "git", directory: `packages/${name}` },
      peerDependencies: { effect: "^3.22.2" },
    });
    expect(manifest.private).toBeUndefined();
    const dependencies = recordOf(manifest.dependencies);
    expect(dependencies.effect).toBeUndefined();
    expect(dependencies["@effect/platform"]).toBeUndefined();
    const usesPlatform = filesUnder(join(installed(name), "dist")).some(
      (file) => file.endsWith(".js") && readFileSync(file, "utf8").includes('"@effect/platform"'),
    );
    if (usesPlatform)
      expect(recordOf(manifest.peerDependencies)["@effect/platform"]).toBe("^0.97.2");
  });

  it("@adsync/core depends on no runtime's platform package", () => {
    const manifest = readJson(join(installed("core"), "package.json"));
    expect(Object.keys(recordOf(manifest.dependencies))).toEqual([]);
    const imports = filesUnder(join(installed("core"), "dist"))
      .filter((file) => file.endsWith(".js"))
      .flatMap((file) => bareSpecifiers(readFileSync(file, "utf8")));
    expect(imports.filter((specifier) => specifier.startsWith("@effect/platform-"))).toEqual([]);
  });

  it.each(packed)("@adsync/%s: relative imports of .js and .d.ts end in .js", (name) => {
    const dist = join(installed(name), "dist");
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
    const manifest = readJson(join(installed(name), "package.json"));
    const declared = new Set(
      ["dependencies", "peerDependencies", "optionalDependencies"].flatMap((field) =>
        Object.keys(recordOf(manifest[field])),
      ),
    );
    // Type-only imports of a dev dependency that no exported declaration reaches.
    const typeOnly = name === "store-sqlite" ? new Set(["better-sqlite3"]) : new Set<string>();
    const undeclared = new Set(
      filesUnder(join(installed(name), "dist"))
        .filter((file) => file.endsWith(".js") || file.endsWith(".d.ts"))
        .flatMap((file) => bareSpecifiers(readFileSync(file, "utf8")))
        .filter((specifier) => !specifier.startsWith("node:"))
        .map((specifier) => specifier.split("/", specifier.startsWith("@") ? 2 : 1).join("/"))
        .filter((dependency) => !declared.has(dependency) && !typeOnly.has(dependency)),
    );
    expect([...undeclared]).toEqual([]);
  });

  it(
    "every export of every package resolves and loads on plain node",
    async () => {
      const stdout = await step(
        "import every export",
        process.execPath,
        ["import-every-export.mjs", ...packed.map((name) => `@adsync/${name}`)],
        app,
      );
      const report = JSON.parse(stdout) as Record<
        string,
        { loaded: ReadonlyArray<string>; resolved: ReadonlyArray<string> }
      >;
      const entriesOf = (name: string) =>
        Object.keys(readJson(join(installed(name), "package.json")).exports as Manifest);
      for (const name of packed) {
        expect(report[`@adsync/${name}`]?.resolved, name).toEqual(entriesOf(name));
        // Only the conformance suite waits for its optional peer, vitest.
        const unloaded = name === "conformance" ? ["."] : [];
        expect(report[`@adsync/${name}`]?.loaded, name).toEqual(
          entriesOf(name).filter((entry) => !unloaded.includes(entry)),
        );
      }
      expect(entriesOf("core")).toContain("./vehicle-ad.schema.json");
    },
    stepBudgetMs,
  );

  it(
    "npx adsync --help runs the cli through npm's bin link",
    async () => {
      const manifest = readJson(join(installed("cli"), "package.json"));
      const bin = recordOf(manifest.bin).adsync ?? "";
      expect(contents.get("cli")).toContain(bin.replace(/^\.\//, ""));
      expect(readFileSync(join(installed("cli"), bin), "utf8")).toMatch(
        /^#!\/usr\/bin\/env node\n/,
      );
      const stdout = await step(
        "npx adsync --help",
        "npx",
        ["--no-install", "adsync", "--help"],
        app,
      );
      expect(stdout).toContain("adsync");
      expect(stdout).toContain("publish");
    },
    stepBudgetMs,
  );

  it(
    "npx adsync sync publishes the sample stock to npx adsync sandbox (separate processes)",
    async () => {
      const examples = join(app, "examples");
      cpSync(join(root, "docs/examples"), examples, { recursive: true });
      const config = join(app, "sandbox.config.json");
      const sandbox = spawn("npx", ["--no-install", "adsync", "sandbox", "--config-out", config], {
        cwd: app,
        detached: true,
        stdio: "ignore",
      });
      try {
        // Wait on the condition (the config it writes once listening), not on a fixed delay.
        const deadline = performance.now() + stepBudgetMs;
        while (!(existsSync(config) && statSync(config).size > 0)) {
          if (performance.now() > deadline || sandbox.exitCode !== null)
            throw new Error("npx adsync sandbox wrote no config");
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        const synced = await run(
          "npx",
          [
            "--no-install",
            "adsync",
            "sync",
            join(examples, "demo-stock.json"),
            "--json",
            "--config",
            config,
          ],
          { cwd: app, timeout: stepBudgetMs },
        ).then(
          ({ stdout }) => ({ code: 0, stdout }),
          (error: { code?: number; stdout?: string }) => ({
            code: error.code ?? -1,
            stdout: error.stdout ?? "",
          }),
        );
        const lines = synced.stdout
          .trim()
          .split("\n")
          .map((line): Record<string, unknown> => JSON.parse(line));
        const listings = lines.filter((line) => line.type === "listing");
        // The sample stock holds one invalid ad by design: exit 1, nothing sent for it; every
        // other listing was created on its marketplace (pending or already live, with its id).
        expect(synced.code).toBe(1);
        expect(listings.length).toBe(11);
        for (const line of listings) {
          if (line.adId === "demo-invalid-passat") expect(line.result).toBe("invalid");
          else {
            expect(line).toMatchObject({ operation: "create" });
            expect(["pending", "succeeded", "succeeded_with_warnings"]).toContain(
              line.operationStatus,
            );
            expect(line.remoteId).toEqual(expect.any(String));
          }
        }
        expect(lines.at(-1)).toMatchObject({ type: "summary", ads: 4 });
      } finally {
        if (sandbox.pid !== undefined) process.kill(-sandbox.pid, "SIGTERM");
      }
    },
    stepBudgetMs,
  );

  it(
    "the README's Promise snippet runs as written on plain node against the sandbox",
    async () => {
      const script = layOutSnippet(root, app);
      const stdout = await step("README snippet", process.execPath, [script], app);
      expect(stdout.trim().split("\n")).toEqual([...expectedSnippetOutput]);
    },
    stepBudgetMs,
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
    stepBudgetMs,
  );
});
