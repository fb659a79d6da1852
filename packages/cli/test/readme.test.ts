/**
 * The README's Promise-API snippet runs as written: extracted from README.md, laid out in a
 * temporary folder beside a copy of the sample ad, and run by node with tsx (the workspace
 * packages are TypeScript sources) against the sandbox on 127.0.0.1. The packaging test runs
 * the same block with plain node against the packed tarballs.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, symlinkSync } from "node:fs";
import { rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { expectedSnippetOutput, layOutSnippet, readmeSnippet } from "./packaging/readme-snippet.ts";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../../", import.meta.url));
const packageDirectory = fileURLToPath(new URL("../", import.meta.url));
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
/** A child process on a loaded 2-core machine: minutes, not seconds. */
const budgetMs = 180_000;

const work = mkdtempSync(join(tmpdir(), "adsync-readme-"));
afterAll(() => rm(work, { recursive: true, force: true }), budgetMs);

describe("the README's Promise-API snippet", () => {
  it("is JavaScript that marks the sample ad as unchecked and targets the sandbox", () => {
    const snippet = readmeSnippet(root);
    expect(snippet).toContain('from "@adsync/core"');
    expect(snippet).toContain("startSandbox()");
    expect(snippet).toContain("baseUrl: sandbox.urls.blocket");
    expect(snippet).not.toMatch(/:\s*(string|number|VehicleAdInput)\b|\bas\s+\w/);
  });

  it(
    "publishes the sample ad to the sandbox, sees it live, removes it and closes",
    async () => {
      const script = layOutSnippet(root, work);
      // The workspace's @adsync packages (and effect) resolve from the cli package, which
      // depends on all of them; the database and the ad stay in the temporary folder.
      symlinkSync(join(packageDirectory, "node_modules"), join(work, "node_modules"), "dir");
      const { stdout } = await run(process.execPath, ["--import", tsxLoader, script], {
        cwd: work,
        timeout: budgetMs,
      });
      expect(stdout.trim().split("\n")).toEqual([...expectedSnippetOutput]);
    },
    budgetMs + 10_000,
  );
});
