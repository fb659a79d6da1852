/**
 * The CLI as a user runs it: every command its own process, against the sandbox with all four
 * marketplaces configured and one SQLite store. Access tokens are made to expire at once, so
 * every process that talks to Allegro or Marktplaats refreshes with the refresh token the
 * previous process stored: a rotated token kept only in memory would fail the second run.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Sandbox, startSandbox } from "@adsync/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxConfig } from "../src/commands/sandbox.ts";
import {
  example,
  jsonOf,
  removeTemporaryDirectories,
  runAdsyncProcess,
  temporaryDirectory,
  writeJson,
} from "./cli-support.ts";

let sandbox: Sandbox;
let config: string;
let directory: string;

const fakes = () => [sandbox.blocket, sandbox.tradera, sandbox.marktplaats, sandbox.allegro];
const tokenRefreshes = () => ({
  allegro: sandbox.allegro.requests.filter((request) => request.path === "/auth/oauth/token")
    .length,
  marktplaats: sandbox.marktplaats.requests.filter((request) =>
    request.path.endsWith("/oauth/token"),
  ).length,
});

beforeAll(async () => {
  sandbox = await startSandbox({
    blocket: { processingDelayMs: 20 },
    tradera: { processingDelayMs: 20 },
    allegro: { taskDelayMs: 20, accessTokenTtlSeconds: 1 },
    marktplaats: { accessTokenLifetimeSeconds: 1 },
  });
  directory = temporaryDirectory();
  config = writeJson(
    join(directory, "adsync.config.json"),
    sandboxConfig(sandbox, { type: "sqlite", path: "state/adsync.db" }),
  );
});

afterAll(async () => {
  await sandbox.close();
  removeTemporaryDirectories();
});

const car = readFileSync(example("01-car.json"), "utf8");
/** The sample car under `id`, every price (its own and each marketplace's) lowered by `cut`. */
const adWith = (id: string, cut: number) =>
  writeJson(
    join(directory, `${id}-${cut}.json`),
    JSON.parse(
      car
        .replace('"id": "demo-car-xc90"', `"id": "${id}"`)
        .replace(/"amount": (\d+)/g, (_, amount: string) => `"amount": ${Number(amount) - cut}`),
    ),
  );

const marketplacesOf = (output: unknown) => {
  if (typeof output !== "object" || output === null || !("marketplaces" in output)) return [];
  return Array.isArray(output.marketplaces) ? output.marketplaces : [];
};

describe("publish → validate → publish (new price) → status → remove, each its own process", () => {
  it("succeeds twice on one store with all four marketplaces, tokens refreshed from the store every time", async () => {
    for (const round of [1, 2]) {
      const id = `cli-process-${round}`;
      const first = await runAdsyncProcess([
        "publish",
        adWith(id, 0),
        "--wait",
        "--json",
        "--config",
        config,
      ]);
      expect(first.code, first.err).toBe(0);
      expect(
        marketplacesOf(jsonOf(first)).map((entry: { marketplace: string; presence: string }) => [
          entry.marketplace,
          entry.presence,
        ]),
      ).toEqual([
        ["blocket", "live"],
        ["tradera", "live"],
        ["marktplaats", "live"],
        ["allegro", "live"],
      ]);
      // --wait --json: progress as JSON lines on stderr, one document on stdout.
      expect(first.err.split("\n").map((line) => JSON.parse(line).event)).toContain("progress");

      const before = fakes().map((fake) => fake.requests.length);
      const validated = await runAdsyncProcess([
        "validate",
        adWith(id, 0),
        "--json",
        "--config",
        config,
      ]);
      expect(validated.code, validated.err).toBe(0);
      expect(jsonOf(validated)).toMatchObject({ valid: true, referenceDataRead: [] });
      // The reference data is cached in the store and no token is needed: nothing was sent.
      expect(
        fakes().flatMap((fake, index) =>
          fake.requests
            .slice(before[index])
            .map((request) => `${fake.name} ${request.method} ${request.path}`),
        ),
      ).toEqual([]);

      const repriced = await runAdsyncProcess([
        "publish",
        adWith(id, 100_000),
        "--wait",
        "--json",
        "--config",
        config,
      ]);
      expect(repriced.code, repriced.err).toBe(0);
      expect(
        marketplacesOf(jsonOf(repriced)).map((entry: { result: string }) => entry.result),
      ).toEqual(["accepted", "accepted", "accepted", "accepted"]);

      const status = await runAdsyncProcess(["status", id, "--json", "--config", config]);
      expect(status.code, status.err).toBe(0);
      expect(marketplacesOf(jsonOf(status))).toHaveLength(4);

      const removed = await runAdsyncProcess([
        "remove",
        id,
        "--wait",
        "--json",
        "--config",
        config,
      ]);
      expect(removed.code, removed.err).toBe(0);
      expect(
        marketplacesOf(jsonOf(removed)).map((entry: { presence: string }) => entry.presence),
      ).toEqual(["removed", "removed", "removed", "removed"]);
    }
    // Tokens live 1 s: each of the 6 processes that sent anything (publish, publish and remove,
    // twice) refreshed at least once, each with the refresh token the one before had stored.
    const refreshes = tokenRefreshes();
    expect(refreshes.allegro).toBeGreaterThanOrEqual(6);
    expect(refreshes.marktplaats).toBeGreaterThanOrEqual(6);
  }, 1_800_000);

  it("an ad id the store does not know exits 3 with a message, also with --wait", async () => {
    const run = await runAdsyncProcess([
      "remove",
      "cli-never-published",
      "--wait",
      "--json",
      "--config",
      config,
    ]);
    expect(run.code).toBe(3);
    expect(run.err).toContain("cli-never-published: unknown ad");
  }, 300_000);
});
