import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Sandbox, startSandbox } from "@adsync/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxConfig } from "../src/commands/sandbox.ts";
import {
  adFile,
  adsync,
  example,
  removeTemporaryDirectories,
  temporaryDirectory,
  writeJson,
} from "./cli-support.ts";

let sandbox: Sandbox;
let config: string;

beforeAll(async () => {
  sandbox = await startSandbox({
    blocket: { processingDelayMs: 20 },
    tradera: { processingDelayMs: 20 },
    allegro: { taskDelayMs: 20 },
  });
  config = writeJson(
    join(temporaryDirectory(), "adsync.config.json"),
    sandboxConfig(sandbox, { type: "sqlite", path: "state/adsync.db" }),
  );
});

afterAll(async () => {
  await sandbox.close();
  removeTemporaryDirectories();
});

const jsonLines = (text: string): Array<Record<string, unknown>> =>
  text.split("\n").map((line) => JSON.parse(line));

describe("sync", () => {
  it("publishes the sample stock: one JSON line per ad·marketplace, then a summary; exit 1 for the invalid ad", async () => {
    const run = await adsync(["sync", example("demo-stock.json"), "--config", config]);

    const lines = jsonLines(run.out);
    const listings = lines.filter((line) => line.type === "listing");
    // Entries without their own `to` go first (one sync to every configured marketplace), then
    // each target set in the order it first appears.
    expect(listings.map((line) => `${line.adId} ${line.marketplace}`)).toEqual([
      "demo-car-xc90 blocket",
      "demo-car-xc90 tradera",
      "demo-car-xc90 marktplaats",
      "demo-car-xc90 allegro",
      "demo-invalid-passat blocket",
      "demo-invalid-passat tradera",
      "demo-invalid-passat marktplaats",
      "demo-invalid-passat allegro",
      "demo-moped-aerox blocket",
      "demo-golf-broken-image blocket",
      "demo-golf-broken-image tradera",
    ]);
    for (const line of listings.filter((each) => each.adId === "demo-invalid-passat")) {
      expect(line.result).toBe("invalid");
      expect(line.issues).not.toEqual([]);
    }
    // Counts of every target set's sync added up: the invalid ad once per marketplace.
    expect(lines.at(-1)).toMatchObject({
      type: "summary",
      ads: 4,
      removed: [],
      outcomes: { blocket: { invalid: 1 }, allegro: { invalid: 1 } },
    });
    expect(run.code).toBe(1);
  });

  it("--wait settles what the sync left pending before printing the listings", async () => {
    const { file } = adFile("01-car.json", "cli-sync-wait");
    const stock = writeJson(join(temporaryDirectory(), "stock.json"), [
      JSON.parse(readFileSync(file, "utf8")),
    ]);
    const run = await adsync(["sync", stock, "--to", "blocket", "--wait", "--config", config]);

    expect(run.code, run.err).toBe(0);
    const [listing] = jsonLines(run.out).filter((line) => line.type === "listing");
    // Blocket processes asynchronously: without --wait the create is still pending here. The
    // sample car warns on Blocket (fields it has no place for, #12), so it settles with warnings.
    expect(listing).toMatchObject({ presence: "live", operationStatus: "succeeded_with_warnings" });
  });

  it("reads one ad per line from .ndjson and exits 0 when every ad went through", async () => {
    const { file, id } = adFile("01-car.json", "cli-sync-ndjson");
    const stock = join(temporaryDirectory(), "stock.ndjson");
    // One compact JSON document per line, with a blank line the reader skips.
    writeFileSync(stock, `${JSON.stringify(JSON.parse(readFileSync(file, "utf8")))}\n\n`);
    const run = await adsync(["sync", stock, "--to", "blocket", "--config", config]);

    expect(
      jsonLines(run.out).map((line) => [line.type, line.adId ?? null, line.marketplace ?? null]),
    ).toEqual([
      ["listing", id, "blocket"],
      ["summary", null, null],
    ]);
    expect(run.code).toBe(0);
  });

  it("--remove-missing refuses a stock whose entries name their own targets (exit 2)", async () => {
    const run = await adsync([
      "sync",
      example("demo-stock.json"),
      "--remove-missing",
      "--config",
      config,
    ]);

    expect(run.err).toContain("--remove-missing needs one target set");
    expect(run.code).toBe(2);
  });
});

describe("an operation a marketplace does not offer", () => {
  it("renew on Marktplaats says 'not supported on marktplaats' and exits 0", async () => {
    const { file, id } = adFile("01-car.json", "cli-renew-marktplaats");
    const published = await adsync(["publish", file, "--to", "marktplaats", "--config", config]);
    expect(published.code, published.err).toBe(0);

    const run = await adsync(["renew", id, "--to", "marktplaats", "--wait", "--config", config]);

    expect(run.err).toContain(`${id}: not supported on marktplaats`);
    expect(run.code).toBe(0);
  });
});
