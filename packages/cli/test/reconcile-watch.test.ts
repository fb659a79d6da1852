/**
 * Keeping listings true from the command line, every command its own process on one SQLite
 * store: `adsync watch` streams what `adsync reconcile` (another process) records when the
 * marketplace changed a listing outside adsync; `adsync refresh --all` reads pending operations
 * in bulk.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Sandbox, startSandbox } from "@adsync/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxConfig } from "../src/commands/sandbox.ts";
import {
  adsync,
  example,
  jsonOf,
  removeTemporaryDirectories,
  runAdsyncProcess,
  spawnAdsync,
  temporaryDirectory,
  writeJson,
} from "./cli-support.ts";

let sandbox: Sandbox;
let config: string;
let directory: string;

beforeAll(async () => {
  // The manual clock: nothing changes on the marketplace unless the test changes it.
  sandbox = await startSandbox({ clock: "manual" });
  directory = temporaryDirectory();
  const all = sandboxConfig(sandbox, { type: "sqlite", path: "state/adsync.db" });
  config = writeJson(join(directory, "adsync.config.json"), {
    ...all,
    marketplaces: { marktplaats: all.marketplaces.marktplaats },
  });
});

afterAll(async () => {
  await sandbox.close();
  removeTemporaryDirectories();
});

const adFileWith = (id: string) =>
  writeJson(
    join(directory, `${id}.json`),
    JSON.parse(
      readFileSync(example("01-car.json"), "utf8").replace(
        '"id": "demo-car-xc90"',
        `"id": "${id}"`,
      ),
    ),
  );

interface EventLine {
  readonly cursor: number;
  readonly adId: string;
  readonly marketplace: string;
  readonly observation: string;
  readonly presence: string;
}

describe("adsync reconcile, watch and refresh --all as separate processes", () => {
  it("watch shows a listing deactivated on Marktplaats go from live to hidden within one reconcile pass", async () => {
    const published = await runAdsyncProcess([
      "publish",
      adFileWith("watched-car"),
      "--to",
      "marktplaats",
      "--wait",
      "--json",
      "--config",
      config,
    ]);
    expect(published.code, published.err).toBe(0);
    const [listing] = (jsonOf(published) as { marketplaces: Array<{ remoteId: string }> })
      .marketplaces;
    expect(listing?.remoteId).toBeTruthy();

    // From the start of the log: the publish's own events come first, each with its cursor.
    const watching = await spawnAdsync(["watch", "--json", "--after", "0", "--config", config]);
    try {
      expect(JSON.parse(watching.firstLine)).toMatchObject({
        cursor: 1,
        adId: "watched-car",
        observation: "Started",
      });

      // The seller pauses the ad on the site: adsync still says live until it looks.
      sandbox.marktplaats.setStatus(listing?.remoteId ?? "", "deactivated");
      const reconciled = await runAdsyncProcess([
        "reconcile",
        "--to",
        "marktplaats",
        "--config",
        config,
      ]);
      expect(reconciled.code, reconciled.err).toBe(0);
      expect(reconciled.out).toBe("marktplaats: 1 read, 1 changed, 1 call");

      const hidden: EventLine = JSON.parse(
        await watching.waitForLine((line) => {
          const event: EventLine = JSON.parse(line);
          return event.observation === "Seen" && event.presence === "hidden";
        }, 120_000),
      );
      expect(hidden).toMatchObject({ adId: "watched-car", marketplace: "marktplaats" });
      // Cursors run on without a gap or a repeat.
      const cursors = watching.lines().map((line) => (JSON.parse(line) as EventLine).cursor);
      expect(cursors).toEqual(cursors.map((_, index) => index + 1));

      // A second pass finds nothing new: nothing is logged, the report says so.
      const again = await runAdsyncProcess(["reconcile", "--json", "--config", config]);
      expect(again.code, again.err).toBe(0);
      expect(jsonOf(again)).toEqual({
        marketplaces: { marktplaats: { read: 1, changed: 0, calls: 1, failed: 0, pending: 0 } },
      });
    } finally {
      expect(await watching.stop("SIGTERM", 60_000)).toBe(0);
    }

    const status = await runAdsyncProcess(["status", "watched-car", "--json", "--config", config]);
    expect(jsonOf(status)).toMatchObject({
      marketplaces: [{ marketplace: "marktplaats", presence: "hidden" }],
    });
  }, 900_000);

  it("reconcile --every keeps passing, one report per line, until SIGTERM; a bad duration is a usage error", async () => {
    const every = await spawnAdsync(["reconcile", "--every", "1s", "--json", "--config", config]);
    try {
      // The second pass, a second after the first.
      await every.waitForLine(() => every.lines().length >= 2, 120_000);
      const reports = every.lines().map((line) => JSON.parse(line));
      expect(reports[0]).toEqual({
        marketplaces: { marktplaats: { read: 1, changed: 0, calls: 1, failed: 0, pending: 0 } },
      });
      expect(reports[1]).toEqual(reports[0]);
    } finally {
      expect(await every.stop("SIGTERM", 60_000)).toBe(0);
    }
    const bad = await adsync(["reconcile", "--every", "soon", "--config", config]);
    expect(bad.code).toBe(2);
  }, 600_000);

  it("refresh --all reads every pending operation in one bulk round; refresh wants an ad id or --all", async () => {
    const all = await runAdsyncProcess(["refresh", "--all", "--json", "--config", config]);
    expect(all.code, all.err).toBe(0);
    // Marktplaats answers synchronously: nothing is pending, nothing is read.
    expect(jsonOf(all)).toEqual({
      marketplaces: { marktplaats: { read: 0, changed: 0, calls: 0, failed: 0, pending: 0 } },
    });
    const neither = await runAdsyncProcess(["refresh", "--config", config]);
    expect(neither.code).toBe(2);
    expect(neither.err).toContain("either an <adId> or --all");
  }, 600_000);
});
