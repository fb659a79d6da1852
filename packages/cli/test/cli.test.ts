/**
 * The `adsync` command as a user runs it: `main(argv, io)` in-process with a capturing Io,
 * against the sandbox on 127.0.0.1, with a config file in a temporary directory. Each test
 * publishes its own ad id, so tests do not depend on each other's sandbox state. `sandbox` runs
 * as a child process, since it serves until a signal.
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  BLOCKET_SANDBOX_TOKEN,
  type Sandbox,
  startSandbox,
  TRADERA_SANDBOX_TOKEN,
} from "@adsync/sandbox";
import { Either, Schema } from "effect";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { sandboxConfig } from "../src/commands/sandbox.ts";
import { loadConfig } from "../src/config.ts";
import {
  adFile,
  adsync,
  calls,
  example,
  jsonOf,
  removeTemporaryDirectories,
  spawnAdsync,
  temporaryDirectory,
  writeConfig,
  writeJson,
  writes,
} from "./cli-support.ts";

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({
    blocket: { processingDelayMs: 20 },
    tradera: { processingDelayMs: 20 },
  });
});

afterAll(async () => {
  await sandbox.close();
  removeTemporaryDirectories();
});

afterEach(() => {
  for (const fake of [sandbox.blocket, sandbox.tradera]) {
    fake.clearFaults();
    fake.clearRequests();
  }
});

/** Requests to Tradera's ad API, leaving out the vehicle reference data the mapping reads. */
const traderaAdCalls = () =>
  calls(sandbox.tradera.requests).filter((call) => call.includes("/pro-import-api/"));
/** Blocket's calls but its body type and fuel lists, read once before the first ad. */
const blocketAdCalls = () =>
  calls(sandbox.blocket.requests).filter((call) => !call.includes("/v3/vehicle/"));

describe("configuration", () => {
  it("without a config file targets nothing and tells how to configure with `adsync sandbox --config-out`", async () => {
    const empty = temporaryDirectory();
    const previous = process.cwd();
    process.chdir(empty);
    try {
      const validated = await adsync(["validate", example("01-car.json")]);
      const published = await adsync(["publish", example("01-car.json")]);

      expect(validated.err).toContain("adsync sandbox --config-out");
      expect(validated.out).toBe("demo-car-xc90: valid for no marketplace");
      expect(validated.code).toBe(0);
      expect(published.err).toContain("adsync sandbox --config-out");
      expect(published.err).toContain("docs/configuration.md");
      // Publishing with nothing to publish to is a configuration error, not a success.
      expect(published.code).toBe(2);
    } finally {
      process.chdir(previous);
    }
    expect(sandbox.blocket.requests).toEqual([]);
    expect(sandbox.tradera.requests).toEqual([]);
  });

  it("`--config` naming a missing file exits 2 and says which file", async () => {
    const missing = join(temporaryDirectory(), "missing.json");

    const run = await adsync(["publish", example("01-car.json"), "--config", missing]);

    expect(run.err).toBe(`Config file not found: ${missing}`);
    expect(run.out).toBe("");
    expect(run.code).toBe(2);
    expect(sandbox.blocket.requests).toEqual([]);
  });

  it("an invalid config exits 2 naming the bad field and its value", async () => {
    const file = writeJson(join(temporaryDirectory(), "adsync.config.json"), {
      store: { type: "memory" },
      marketplaces: {
        blocket: { baseUrl: sandbox.urls.blocket, token: "t", tokenScope: "everyone" },
      },
    });

    const run = await adsync(["validate", example("01-car.json"), "--config", file]);

    expect(run.err).toContain(`${file} is not a valid adsync config`);
    expect(run.err).toContain('["tokenScope"]');
    expect(run.err).toContain('actual "everyone"');
    expect(run.code).toBe(2);
  });

  it("a config that is not JSON exits 2 saying so", async () => {
    const file = join(temporaryDirectory(), "adsync.config.json");
    writeFileSync(file, '{ "store": { "type": "memory" }, }');

    const run = await adsync(["status", "any-ad", "--config", file]);

    expect(run.err).toContain(`${file} is not valid JSON`);
    expect(run.code).toBe(2);
  });

  it("an `env:NAME` token is read from the environment and sent as X-Auth-Token", async () => {
    const config = writeConfig(sandbox, {
      store: "memory",
      blocketToken: "env:ADSYNC_TEST_BLOCKET_TOKEN",
    });
    const { file, id } = adFile("01-car.json", "cli-env-token");

    const run = await adsync(["publish", file, "--to", "blocket", "--json", "--config", config], {
      ADSYNC_TEST_BLOCKET_TOKEN: BLOCKET_SANDBOX_TOKEN,
    });

    expect(run.code).toBe(0);
    expect(writes(sandbox.blocket.requests)).toEqual(["POST /pro-import-api/v4/ad"]);
    expect(sandbox.blocket.requests[0]?.headers["x-auth-token"]).toBe(BLOCKET_SANDBOX_TOKEN);
    expect(sandbox.blocket.ad(id)).toMatchObject({ source_id: id, dealer_code: "DEALER1" });
    expect(`${run.out}${run.err}`).not.toContain(BLOCKET_SANDBOX_TOKEN);
  });

  it("a refused token is reported as unauthorized without ever printing the token", async () => {
    const secret = "dealer-secret-jwt-0123456789";
    const config = writeConfig(sandbox, { store: "memory", blocketToken: "env:BLOCKET_TOKEN" });
    const { file } = adFile("01-car.json", "cli-refused-token");

    const text = await adsync(["publish", file, "--to", "blocket", "--config", config], {
      BLOCKET_TOKEN: secret,
    });
    const json = await adsync(
      ["publish", file, "--to", "blocket", "--wait", "--json", "--config", config],
      { BLOCKET_TOKEN: secret },
    );

    expect(sandbox.blocket.requests[0]?.headers["x-auth-token"]).toBe(secret);
    expect(text.out).toContain("blocket: failed");
    expect(text.out).toContain("unauthorized");
    expect(text.code).toBe(1);
    expect(json.code).toBe(1);
    for (const run of [text, json]) {
      expect(run.out).not.toContain(secret);
      expect(run.err).not.toContain(secret);
    }
  });

  it("an `env:NAME` variable that is not set exits 2 naming it, and nothing is sent", async () => {
    const config = writeConfig(sandbox, { store: "memory", traderaToken: "env:TRADERA_TOKEN" });

    const run = await adsync(["publish", example("01-car.json"), "--config", config], {
      BLOCKET_TOKEN: "unrelated",
    });

    expect(run.err).toBe(
      "marketplaces.tradera.token: The environment variable TRADERA_TOKEN (named in the config as env:TRADERA_TOKEN) is not set.",
    );
    expect(run.code).toBe(2);
    expect(sandbox.blocket.requests).toEqual([]);
    expect(sandbox.tradera.requests).toEqual([]);
  });
});

describe("validate", () => {
  it("a valid car exits 0, valid for every configured marketplace, and the ad is sent nowhere", async () => {
    const config = writeConfig(sandbox, { store: "memory" });

    const run = await adsync(["validate", example("01-car.json"), "--json", "--config", config]);

    expect(jsonOf(run)).toEqual({
      adId: "demo-car-xc90",
      valid: true,
      issues: { blocket: [], tradera: [] },
      // A store in memory starts cold: Tradera's vehicle lists were read, and it says so.
      referenceDataRead: expect.arrayContaining([`${sandbox.urls.tradera}/vehicle/brands`]),
    });
    expect(run.err).toContain("read reference data from the marketplaces");
    expect(run.code).toBe(0);
    expect(blocketAdCalls()).toEqual([]);
    expect(traderaAdCalls()).toEqual([]);
  });

  it("the invalid example exits 1 with issues on canonical paths for each marketplace, sending nothing", async () => {
    const config = writeConfig(sandbox, { store: "memory" });

    const run = await adsync([
      "validate",
      example("04-invalid.json"),
      "--json",
      "--config",
      config,
    ]);

    const onPath = (marketplace: string, path: string) =>
      expect.objectContaining({ marketplace, path });
    expect(jsonOf(run)).toMatchObject({
      adId: "demo-invalid-passat",
      valid: false,
      issues: {
        blocket: expect.arrayContaining([
          onPath("blocket", "vehicle.bodyType"),
          onPath("blocket", "price.list.currency"),
        ]),
        tradera: expect.arrayContaining([
          onPath("tradera", "vehicle.bodyType"),
          onPath("tradera", "price.list.currency"),
        ]),
      },
    });
    expect(run.code).toBe(1);
    expect(blocketAdCalls()).toEqual([]);
    expect(traderaAdCalls()).toEqual([]);
  });

  it("prints each issue as `path: code — message` without --json", async () => {
    const config = writeConfig(sandbox, { store: "memory" });

    const run = await adsync(["validate", example("04-invalid.json"), "--config", config]);

    expect(run.out).toContain("blocket: 3 issue(s)");
    expect(run.out).toContain(
      "  ✗ price.list.currency: invalid_value — Prices must be in SEK, not EUR.",
    );
    expect(run.out).toContain("  ✗ vehicle.bodyType: required — A body type is required.");
    expect(run.code).toBe(1);
  });

  // Validation sends the ad nowhere; the adapters load their vehicle reference lists once
  // (Tradera GET /vehicle/*, Blocket GET /v3/vehicle/*) to check the listed values.
  it("sends the ad nowhere: only the reference lists are read", async () => {
    const config = writeConfig(sandbox, { store: "memory" });

    const run = await adsync(["validate", example("01-car.json"), "--config", config]);

    expect(run.code).toBe(0);
    expect(
      calls(sandbox.blocket.requests).every((call) =>
        call.startsWith("GET /pro-import-api/v3/vehicle/"),
      ),
    ).toBe(true);
    expect(blocketAdCalls()).toEqual([]);
    expect(calls(sandbox.tradera.requests).every((call) => call.startsWith("GET /vehicle/"))).toBe(
      true,
    );
  });

  it("`--to` naming a marketplace that is not configured exits 2 and lists the configured ones", async () => {
    const config = writeConfig(sandbox, { store: "memory" });

    const run = await adsync([
      "validate",
      example("01-car.json"),
      "--to",
      "blocket,allegro",
      "--config",
      config,
    ]);

    expect(run.err).toBe("Not configured: allegro. Configured: blocket, tradera.");
    expect(run.code).toBe(2);
    expect(sandbox.tradera.requests).toEqual([]);
  });
});

describe("publish to every marketplace", () => {
  it("one call reports Blocket, Tradera, Marktplaats and Allegro live, with their ids", async () => {
    const directory = temporaryDirectory();
    const config = writeJson(
      join(directory, "adsync.config.json"),
      sandboxConfig(sandbox, { type: "memory" }),
    );
    const { file, id } = adFile("01-car.json", "cli-all-four");

    const run = await adsync([
      "publish",
      file,
      "--to",
      "blocket,tradera,marktplaats,allegro",
      "--wait",
      "--json",
      "--config",
      config,
    ]);

    expect(run.code).toBe(0);
    const report = Schema.decodeUnknownSync(
      Schema.Struct({
        adId: Schema.String,
        marketplaces: Schema.Array(
          Schema.Struct({
            marketplace: Schema.String,
            presence: Schema.String,
            operationStatus: Schema.NullOr(Schema.String),
            remoteId: Schema.NullOr(Schema.String),
          }),
        ),
      }),
    )(jsonOf(run));
    expect(report.adId).toBe(id);
    expect(report.marketplaces.map((entry) => entry.marketplace).sort()).toEqual([
      "allegro",
      "blocket",
      "marktplaats",
      "tradera",
    ]);
    for (const entry of report.marketplaces) {
      expect(entry).toMatchObject({
        presence: "live",
        operationStatus: expect.stringMatching(/^succeeded/),
      });
      expect(entry.remoteId).toBeTruthy();
    }
    // One create request per marketplace for the listing itself.
    expect(sandbox.blocket.requests.filter((request) => request.method === "POST")).toHaveLength(1);
    expect(sandbox.tradera.requests.filter((request) => request.method === "POST")).toHaveLength(1);
    expect(
      sandbox.marktplaats.requests.filter(
        (request) => request.method === "POST" && request.path === "/v1/advertisements",
      ),
    ).toHaveLength(1);
    expect(
      sandbox.allegro.requests.filter(
        (request) => request.method === "POST" && request.path === "/sale/product-offers",
      ),
    ).toHaveLength(1);
  });
});

describe("publish", () => {
  it("publishes to both marketplaces with --wait: both live, ids reported, one POST each", async () => {
    const config = writeConfig(sandbox);
    const { file, id } = adFile("01-car.json", "cli-publish-both");

    const run = await adsync([
      "publish",
      file,
      "--to",
      "blocket,tradera",
      "--wait",
      "--json",
      "--config",
      config,
    ]);

    expect(jsonOf(run)).toMatchObject({
      adId: id,
      marketplaces: [
        {
          marketplace: "blocket",
          result: "accepted",
          presence: "live",
          operation: "create",
          operationStatus: expect.stringMatching(/^succeeded/),
          remoteId: id,
          ids: { blocket_ad_id: expect.stringMatching(/^\d+$/) },
          issues: [],
        },
        {
          marketplace: "tradera",
          result: "accepted",
          presence: "live",
          operation: "create",
          operationStatus: expect.stringMatching(/^succeeded/),
          remoteId: id,
          ids: { blocket_ad_id: expect.stringMatching(/^\d+$/) },
          issues: [],
        },
      ],
    });
    expect(run.code).toBe(0);
    expect(writes(sandbox.blocket.requests)).toEqual(["POST /pro-import-api/v4/ad"]);
    expect(writes(sandbox.tradera.requests)).toEqual(["POST /pro-import-api/v3/ad"]);
    expect(
      sandbox.blocket.requests.find((request) => request.method === "POST")?.body,
    ).toMatchObject({ source_id: id, dealer_code: "DEALER1", category_fields: { brand: "volvo" } });
    expect(
      sandbox.tradera.requests.find((request) => request.method === "POST")?.body,
    ).toMatchObject({ source_id: id, dealer_code: "DEALER1" });
    expect(sandbox.blocket.ad(id)).toMatchObject({ state: "created" });
  });

  it("publishing the same ad again reports both unchanged and writes nothing", async () => {
    const config = writeConfig(sandbox);
    const { file, id } = adFile("01-car.json", "cli-publish-twice");
    const args = [
      "publish",
      file,
      "--to",
      "blocket,tradera",
      "--wait",
      "--json",
      "--config",
      config,
    ];
    const first = await adsync(args);
    expect(first.code).toBe(0);
    const adsBefore = { blocket: sandbox.blocket.adCount(), tradera: sandbox.tradera.adCount() };
    sandbox.blocket.clearRequests();
    sandbox.tradera.clearRequests();

    const again = await adsync(args);

    expect(jsonOf(again)).toMatchObject({
      adId: id,
      marketplaces: [
        { marketplace: "blocket", result: "unchanged", presence: "live" },
        { marketplace: "tradera", result: "unchanged", presence: "live" },
      ],
    });
    expect(again.code).toBe(0);
    expect(writes(sandbox.blocket.requests)).toEqual([]);
    expect(writes(sandbox.tradera.requests)).toEqual([]);
    expect({ blocket: sandbox.blocket.adCount(), tradera: sandbox.tradera.adCount() }).toEqual(
      adsBefore,
    );
  });

  it("Tradera refusing the dealer code: Blocket live, Tradera failed with the issue, exit 1", async () => {
    const config = writeConfig(sandbox);
    const { file, id } = adFile("01-car.json", "cli-tradera-forbidden");
    const refusal =
      "You do not have access to dealer code 'DEALER1'. Allowed dealer codes: DEALER2.";
    sandbox.tradera.injectFault({
      method: "POST",
      path: "/pro-import-api/v3/ad",
      fault: { type: "status", status: 403, body: { dealer_code: [refusal] } },
    });

    const run = await adsync(["publish", file, "--wait", "--json", "--config", config]);

    expect(jsonOf(run)).toMatchObject({
      adId: id,
      marketplaces: [
        { marketplace: "blocket", result: "accepted", presence: "live" },
        {
          marketplace: "tradera",
          result: "failed",
          presence: "absent",
          operationStatus: "failed",
          issues: [
            {
              path: "marketplaces.tradera.dealerCode",
              code: "forbidden",
              message: refusal,
              marketplace: "tradera",
            },
          ],
        },
      ],
    });
    expect(run.code).toBe(1);
    // A 403 is not retried.
    expect(writes(sandbox.tradera.requests)).toEqual(["POST /pro-import-api/v3/ad"]);
    expect(writes(sandbox.blocket.requests)).toEqual(["POST /pro-import-api/v4/ad"]);
  });

  it("a field error from Tradera is shown on its canonical path in the text output, exit 1", async () => {
    const config = writeConfig(sandbox, { store: "memory" });
    const { file } = adFile("01-car.json", "cli-tradera-rejected");
    sandbox.tradera.injectFault({
      method: "POST",
      path: "/pro-import-api/v3/ad",
      fault: {
        type: "status",
        status: 400,
        body: { "category_fields.brand": ["This field is required."] },
      },
    });

    const run = await adsync(["publish", file, "--config", config]);

    expect(run.out).toContain("blocket: accepted");
    expect(run.out).toContain("tradera: failed — absent, create failed");
    expect(run.out).toContain("    ✗ vehicle.make: required — This field is required.");
    expect(run.code).toBe(1);
    expect(writes(sandbox.tradera.requests)).toEqual(["POST /pro-import-api/v3/ad"]);
  });
});

describe("status", () => {
  it("after a publish, tells each marketplace's presence from the store without a request", async () => {
    const config = writeConfig(sandbox);
    const { file, id } = adFile("01-car.json", "cli-status");
    expect((await adsync(["publish", file, "--wait", "--config", config])).code).toBe(0);
    sandbox.blocket.clearRequests();
    sandbox.tradera.clearRequests();

    const json = await adsync(["status", id, "--json", "--config", config]);
    const text = await adsync(["status", id, "--config", config]);

    expect(jsonOf(json)).toMatchObject({
      adId: id,
      marketplaces: [
        { marketplace: "blocket", presence: "live", operation: "create" },
        { marketplace: "tradera", presence: "live", operation: "create" },
      ],
    });
    expect(json.code).toBe(0);
    expect(text.out).toMatch(new RegExp(`^${id}\\s+blocket\\s+live\\s+create succeeded`, "m"));
    expect(text.out).toMatch(new RegExp(`^${id}\\s+tradera\\s+live\\s+create succeeded`, "m"));
    expect(sandbox.blocket.requests).toEqual([]);
    expect(sandbox.tradera.requests).toEqual([]);
  });

  it("an ad the store does not know exits 3 saying so, with or without --json", async () => {
    const config = writeConfig(sandbox);

    const json = await adsync(["status", "cli-never-published", "--json", "--config", config]);
    const text = await adsync(["status", "cli-never-published", "--config", config]);

    for (const run of [json, text]) {
      expect(run.out).toBe("");
      expect(run.err).toBe(
        `cli-never-published: unknown ad — the store of ${config} has no listing of it.`,
      );
      expect(run.code).toBe(3);
    }
  });
});

describe("remove and renew", () => {
  it("remove --wait deletes the ad on both marketplaces with one DELETE each", async () => {
    const config = writeConfig(sandbox);
    const { file, id } = adFile("01-car.json", "cli-remove");
    expect((await adsync(["publish", file, "--wait", "--config", config])).code).toBe(0);
    sandbox.blocket.clearRequests();
    sandbox.tradera.clearRequests();

    const run = await adsync(["remove", id, "--wait", "--json", "--config", config]);

    expect(jsonOf(run)).toMatchObject({
      adId: id,
      marketplaces: [
        {
          marketplace: "blocket",
          result: "accepted",
          presence: "removed",
          operation: "remove",
          operationStatus: "succeeded",
        },
        {
          marketplace: "tradera",
          result: "accepted",
          presence: "removed",
          operation: "remove",
          operationStatus: "succeeded",
        },
      ],
    });
    expect(run.code).toBe(0);
    expect(writes(sandbox.blocket.requests)).toEqual([`DELETE /pro-import-api/v4/ad/${id}`]);
    expect(writes(sandbox.tradera.requests)).toEqual([`DELETE /pro-import-api/v3/ad/${id}`]);
    expect(sandbox.blocket.ad(id)).toMatchObject({ state: "deleted" });
    // Tradera keeps the state "created"; the log tells the deletion.
    expect(sandbox.tradera.ad(id)).toMatchObject({
      log: expect.arrayContaining([expect.objectContaining({ action: "delete", state: "done" })]),
    });
  });

  it("remove (with or without --wait) of an ad the store does not know exits 3 and sends nothing", async () => {
    const config = writeConfig(sandbox);

    const run = await adsync(["remove", "cli-never-published", "--config", config]);
    const waiting = await adsync(["remove", "cli-never-published", "--wait", "--config", config]);

    for (const each of [run, waiting]) {
      expect(each.err).toContain("cli-never-published: unknown ad");
      expect(each.code).toBe(3);
    }
    expect(writes(sandbox.blocket.requests)).toEqual([]);
    expect(writes(sandbox.tradera.requests)).toEqual([]);
  });

  it("renew --to blocket bumps the ad with GET …/v3/ad/{id}/bump on Blocket only", async () => {
    const config = writeConfig(sandbox);
    const { file, id } = adFile("01-car.json", "cli-renew");
    expect((await adsync(["publish", file, "--wait", "--config", config])).code).toBe(0);
    sandbox.blocket.clearRequests();
    sandbox.tradera.clearRequests();

    const run = await adsync(["renew", id, "--to", "blocket", "--config", config]);

    expect(run.out).toMatch(/^blocket: accepted — live, renew /);
    expect(run.code).toBe(0);
    expect(calls(sandbox.blocket.requests)).toEqual([`GET /pro-import-api/v3/ad/${id}/bump`]);
    expect(traderaAdCalls()).toEqual([]);
  });
});

describe("sandbox", () => {
  it("serves on 127.0.0.1, writes a config that points at it, and exits 0 on SIGTERM", async () => {
    const directory = temporaryDirectory();
    const configOut = join(directory, "c.json");
    const running = await spawnAdsync(["sandbox", "--config-out", configOut]);
    try {
      const urls: unknown = JSON.parse(running.firstLine);
      expect(urls).toEqual({
        blocket: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/pro-import-api$/),
        tradera: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
        marktplaats: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
        marktplaatsToken: expect.stringMatching(
          /^http:\/\/127\.0\.0\.1:\d+\/accounts\/oauth\/token$/,
        ),
        allegro: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
        config: configOut,
      });
      const loaded = loadConfig(configOut);
      expect(Either.isRight(loaded)).toBe(true);
      expect(Either.getOrUndefined(loaded)?.config).toEqual({
        store: { type: "sqlite", path: ".adsync/sandbox.db" },
        breakers: { enabled: true },
        marketplaces: {
          blocket: expect.objectContaining({
            baseUrl: (urls as { blocket: string }).blocket,
            token: BLOCKET_SANDBOX_TOKEN,
          }),
          tradera: expect.objectContaining({
            baseUrl: (urls as { tradera: string }).tradera,
            token: TRADERA_SANDBOX_TOKEN,
          }),
          marktplaats: expect.objectContaining({ clientId: expect.any(String) }),
          allegro: expect.objectContaining({ clientId: expect.any(String) }),
        },
      });

      // The written config works as it is.
      const { file, id } = adFile("01-car.json", "cli-sandbox-config");
      const published = await adsync(["publish", file, "--json", "--config", configOut]);
      expect(jsonOf(published)).toMatchObject({
        adId: id,
        marketplaces: [
          { marketplace: "blocket", result: "accepted" },
          { marketplace: "tradera", result: "accepted" },
          { marketplace: "marktplaats", result: "accepted" },
          { marketplace: "allegro", result: "accepted" },
        ],
      });
      expect(existsSync(join(directory, ".adsync/sandbox.db"))).toBe(true);
    } finally {
      expect(await running.stop("SIGTERM", 120_000)).toBe(0);
    }
  });

  // commands/sandbox.ts hands --processing-delay-ms to every fake marketplace.
  it("--processing-delay-ms slows the processing of every fake marketplace", async () => {
    const directory = temporaryDirectory();
    const configOut = join(directory, "c.json");
    const running = await spawnAdsync([
      "sandbox",
      "--config-out",
      configOut,
      "--processing-delay-ms",
      // Far longer than the test can take on a loaded machine: "not done yet" is never a race.
      "600000",
    ]);
    try {
      const urls = Object.fromEntries(
        Object.entries(JSON.parse(running.firstLine)).map(([key, value]) => [key, String(value)]),
      );
      const { file, id } = adFile("01-car.json", "cli-sandbox-delay");
      const published = await adsync(["publish", file, "--config", configOut]);
      expect(published.code).toBe(0);
      // Longer than the default processing (150 ms), so a flag that was ignored shows as "done";
      // with the flag nothing is done for 10 minutes, so a slow machine cannot fail the test.
      await new Promise((resolve) => setTimeout(resolve, 700));

      const get = async (url: string, token: string): Promise<unknown> =>
        (await fetch(url, { headers: { "X-Auth-Token": token } })).json();
      // Every action of the request is logged "processing" at once; none is done yet.
      const stillProcessing = {
        log: expect.arrayContaining([
          expect.objectContaining({ action: "create", state: "processing" }),
        ]),
      };
      expect({
        blocket: await get(`${urls.blocket}/v4/ad/${id}`, BLOCKET_SANDBOX_TOKEN),
        tradera: await get(`${urls.tradera}/pro-import-api/v3/ad/${id}`, TRADERA_SANDBOX_TOKEN),
      }).toMatchObject({ blocket: stillProcessing, tradera: stillProcessing });
    } finally {
      expect(await running.stop("SIGTERM", 120_000)).toBe(0);
    }
  });
});

describe("demo", () => {
  it("publishes the sample stock and ends with a table of every listing", async () => {
    const run = await adsync(["demo"]);

    const table = run.out.slice(run.out.indexOf("\nlistings:\n"));
    const lines = table.split("\n");
    const body = lines.slice(lines.findIndex((line) => /^-+ {2}-+/.test(line)) + 1);
    const rows = body
      .slice(
        0,
        body.findIndex((line) => !/^\S+ {2,}\S/.test(line)),
      )
      .map((line) => line.split(/ {2,}/).slice(0, 4));
    const byKey = (left: ReadonlyArray<string>, right: ReadonlyArray<string>) =>
      left.join(" ").localeCompare(right.join(" "));
    expect([...rows].sort(byKey)).toEqual(
      [
        // Blocket has no field for the car's city, country, doors, seats or engine size: warned.
        ["demo-car-xc90", "blocket", "live", "create succeeded with warnings"],
        ["demo-car-xc90", "tradera", "live", "create succeeded with warnings"],
        // Marktplaats warns about what it cannot show (email, street/country/coordinates, the
        // URL without its paid feature, …): #12, nothing dropped in silence.
        ["demo-car-xc90", "marktplaats", "live", "create succeeded with warnings"],
        // Fields Allegro has no place for are warnings now, not silent drops (#12).
        ["demo-car-xc90", "allegro", "live", "create succeeded with warnings"],
        ["demo-moped-aerox", "blocket", "live", "create succeeded"],
        ["demo-golf-broken-image", "blocket", "live", "create succeeded with warnings"],
        ["demo-golf-broken-image", "tradera", "live", "create succeeded with warnings"],
        ["demo-invalid-passat", "blocket", "absent", "invalid: nothing sent"],
        ["demo-invalid-passat", "tradera", "absent", "invalid: nothing sent"],
        ["demo-invalid-passat", "marktplaats", "absent", "invalid: nothing sent"],
        ["demo-invalid-passat", "allegro", "absent", "invalid: nothing sent"],
      ].sort(byKey),
    );
    expect(table).toContain("demo-invalid-passat on blocket (invalid, zero requests):");
    expect(table).toContain("    ✗ vehicle.bodyType: required — A body type is required.");
    expect(table).toContain(
      "    ✗ price.list.currency: invalid_value — Prices must be in SEK, not EUR.",
    );
    expect(table).toContain(
      "    ! images: remote_error — Failed to download image from URL: https://images.example.com/golf/broken-link.jpg",
    );
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
  });
});

describe("usage", () => {
  it("no command prints the usage to stderr and exits 2", async () => {
    const run = await adsync([]);

    expect(run.out).toBe("");
    expect(run.err).toContain("COMMANDS");
    expect(run.err).toContain("exit codes: 0 ok");
    expect(run.code).toBe(2);
  });

  it("--help lists every command and the exit codes; each command has its own --help", async () => {
    const run = await adsync(["--help"]);
    const onCommand = await adsync(["publish", "--help"]);

    for (const command of ["demo", "sandbox", "validate", "publish", "sync", "status"])
      expect(run.out).toContain(`- ${command}`);
    expect(run.out).toContain(
      "exit codes: 0 ok (an operation a marketplace does not support is not a failure), 1 an ad or an operation failed, 2 usage or configuration error, 3 unknown ad id",
    );
    // Plain text when the output is not a terminal.
    expect(run.out).not.toContain("\u001b[");
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    expect(onCommand.out).toContain("--wait");
    expect(onCommand.out).toContain("blocket, tradera, marktplaats, 2dehands, allegro");
    expect(onCommand.out).not.toContain("--remove-missing");
    expect(onCommand.code).toBe(0);
  });

  it("--completions bash prints a completion script naming the commands", async () => {
    const run = await adsync(["--completions", "bash"]);

    expect(run.out).toContain("_adsync_bash_completions");
    expect(run.out).toContain("sync");
    expect(run.code).toBe(0);
  });

  it("an unknown command exits 2 naming the commands there are", async () => {
    const run = await adsync(["frobnicate"]);

    expect(run.err).toContain("Invalid subcommand for adsync - use one of 'demo', 'sandbox'");
    expect(run.code).toBe(2);
  });

  it("an unknown option, a missing argument or a marketplace not in --to's choice exits 2", async () => {
    const option = await adsync(["status", "some-ad", "--bogus"]);
    const argument = await adsync(["publish"]);
    const target = await adsync(["publish", example("01-car.json"), "--to", "ebay"]);

    expect(option.err).toContain("--bogus");
    expect(option.code).toBe(2);
    expect(argument.err).toContain("Missing argument <ad.json>");
    expect(argument.code).toBe(2);
    expect(target.err).toContain("blocket, tradera, marktplaats, 2dehands, allegro");
    expect(target.code).toBe(2);
  });
});
