/**
 * Blocket's settings and remote validation through `adsync` (#12): the V4 price unit read from
 * the config file, and `validate --remote` sending the ad as a create would, saving nothing.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { BLOCKET_SANDBOX_TOKEN, type Sandbox, startSandbox } from "@adsync/sandbox";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  adFile,
  adsync,
  jsonOf,
  removeTemporaryDirectories,
  temporaryDirectory,
  writeJson,
} from "./cli-support.ts";

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ blocket: { clock: "manual" } });
});

afterAll(async () => {
  await sandbox.close();
  removeTemporaryDirectories();
});

afterEach(() => {
  sandbox.blocket.clearFaults();
  sandbox.blocket.clearRequests();
});

const blocketConfig = (
  extra: Record<string, unknown> = {},
  store: Record<string, unknown> = { type: "memory" },
): string =>
  writeJson(join(temporaryDirectory(), "adsync.config.json"), {
    store,
    marketplaces: {
      blocket: {
        baseUrl: sandbox.urls.blocket,
        token: BLOCKET_SANDBOX_TOKEN,
        tokenScope: "dealer_group",
        dealerCode: "DEALER1",
        ...extra,
      },
    },
  });

/** Blocket's requests on ads (the vehicle lists read before the first ad left out). */
const adRequests = () =>
  sandbox.blocket.requests.filter((request) => !request.path.includes("/v3/vehicle/"));

describe("Blocket's price unit from the config file", () => {
  it("default: V4 amounts in öre, as the V4 guide says", async () => {
    const { file } = adFile("01-car.json", "cli-price-minor");
    const run = await adsync(["publish", file, "--json", "--config", blocketConfig()]);
    expect(run.code).toBe(0);
    expect(adRequests()[0]?.body).toMatchObject({
      price: [{ type: "list", amount: 34_990_000, currency: "SEK" }],
    });
  });

  it('priceUnit { "v4": "major" } sends whole kronor', async () => {
    const { file } = adFile("01-car.json", "cli-price-major");
    const config = blocketConfig({ priceUnit: { v4: "major" } });
    const run = await adsync(["publish", file, "--json", "--config", config]);
    expect(run.code).toBe(0);
    expect(adRequests()[0]?.body).toMatchObject({
      price: [{ type: "list", amount: 349_900, currency: "SEK" }],
    });
  });
});

describe("validate --remote", () => {
  it("sends the ad to POST /v3/ad/validate as a create would, saves nothing, and exits 0", async () => {
    const { file, id } = adFile("01-car.json", "cli-validate-remote");
    const run = await adsync(["validate", file, "--remote", "--json", "--config", blocketConfig()]);
    expect(jsonOf(run)).toMatchObject({
      adId: id,
      valid: true,
      issues: { blocket: [] },
      remote: { blocket: "validated" },
    });
    expect(run.code).toBe(0);
    expect(adRequests().map(({ method, path }) => `${method} ${path}`)).toEqual([
      "POST /pro-import-api/v3/ad/validate",
    ]);
    expect(adRequests()[0]?.body).toMatchObject({ source_id: id, category_id: 1020 });
    expect(sandbox.blocket.ad(id)).toBeUndefined();
  });

  it("Blocket's refusal exits 1 with the issue on its canonical path", async () => {
    const { file } = adFile("01-car.json", "cli-validate-refused");
    const ad = JSON.parse(readFileSync(file, "utf8")) as Record<string, Record<string, unknown>>;
    writeJson(file, { ...ad, vehicle: { ...ad.vehicle, modelYear: 2090 } });
    const run = await adsync(["validate", file, "--remote", "--config", blocketConfig()]);
    expect(run.out).toContain("blocket: 1 issue(s) (remote validation: validated)");
    expect(run.out).toContain("vehicle.modelYear");
    expect(run.code).toBe(1);
  });

  it("without --remote nothing is sent but the reference lists", async () => {
    const { file } = adFile("01-car.json", "cli-validate-local");
    const run = await adsync(["validate", file, "--config", blocketConfig()]);
    expect(run.code).toBe(0);
    expect(adRequests()).toEqual([]);
  });
});

describe("promote", () => {
  it("promote --product pole_position sends GET /v3/ad/{id}/pole_position once; an unknown product sends nothing", async () => {
    const config = blocketConfig({}, { type: "sqlite", path: "state/adsync.db" });
    const { file, id } = adFile("01-car.json", "cli-promote");
    expect((await adsync(["publish", file, "--config", config])).code).toBe(0);
    sandbox.blocket.processing.flush();
    expect((await adsync(["refresh", id, "--config", config])).code).toBe(0);
    sandbox.blocket.clearRequests();

    const unknown = await adsync(["promote", id, "--product", "top_ad", "--config", config]);
    expect(unknown.code).toBe(0);
    expect(unknown.err).toContain("not supported on blocket");
    expect(adRequests()).toEqual([]);

    const run = await adsync([
      "promote",
      id,
      "--product",
      "pole_position",
      "--json",
      "--config",
      config,
    ]);
    expect(run.code).toBe(0);
    expect(jsonOf(run)).toMatchObject({
      adId: id,
      marketplaces: [{ marketplace: "blocket", result: "accepted", operation: "promote" }],
    });
    expect(adRequests().map(({ method, path }) => `${method} ${path}`)).toEqual([
      `GET /pro-import-api/v3/ad/${id}/pole_position`,
    ]);
  });
});
