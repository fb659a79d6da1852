/**
 * The config's `breakers` section switches core's circuit breakers on in the CLI (#16): with
 * Blocket's sandbox answering 503 to everything, a publish stops sending after the configured
 * failures (the breaker opens and the retries fail fast with reason `CircuitOpen`), where the
 * same publish without breakers sends every retry.
 */
import { join } from "node:path";
import { defaultRetryPolicy } from "@adsync/core";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { sandboxConfig } from "../src/commands/sandbox.ts";
import {
  adsync,
  example,
  jsonOf,
  removeTemporaryDirectories,
  temporaryDirectory,
  writeJson,
} from "./cli-support.ts";
import { useManualSandbox } from "./sandbox-runtime.ts";

const sandboxes = useManualSandbox();
afterAll(removeTemporaryDirectories);
beforeEach(() => {
  const sandbox = sandboxes.current();
  sandbox.blocket.clearFaults();
  sandbox.blocket.clearRequests();
});

/** A config with Blocket only and the given `breakers` section. */
const configWith = (breakers: unknown): string => {
  const all = sandboxConfig(sandboxes.current(), { type: "memory" });
  return writeJson(join(temporaryDirectory(), "adsync.config.json"), {
    store: all.store,
    breakers,
    marketplaces: { blocket: all.marketplaces.blocket },
  });
};

const publishToBlocketDown = async (config: string) => {
  const sandbox = sandboxes.current();
  sandbox.blocket.injectFault({ times: 1_000, fault: { type: "status", status: 503 } });
  const run = await adsync([
    "publish",
    example("01-car.json"),
    "--to",
    "blocket",
    "--json",
    "--config",
    config,
  ]);
  expect(run.code).toBe(1);
  return { run, requests: sandbox.blocket.requests.length };
};

describe("circuit breakers in the CLI", () => {
  it("open after the configured failures: fewer requests than the same publish without them", async () => {
    const withBreakers = await publishToBlocketDown(configWith({ failureThreshold: 2 }));
    sandboxes.current().blocket.clearRequests();
    const without = await publishToBlocketDown(configWith({ enabled: false }));

    // Without breakers every retry goes out (and Blocket's look-up after the failed create);
    // with them the third attempt and everything after it is refused unsent.
    expect(without.requests).toBeGreaterThan(defaultRetryPolicy.maxRetries);
    expect(withBreakers.requests).toBe(2);
    expect(jsonOf(withBreakers.run)).toMatchObject({
      marketplaces: [{ marketplace: "blocket", result: "failed", reason: "CircuitOpen" }],
    });
    expect(jsonOf(without.run)).toMatchObject({
      marketplaces: [{ marketplace: "blocket", result: "failed", reason: "Unavailable" }],
    });
  });

  it("a breakers section that is not valid is a configuration error (exit 2), nothing sent", async () => {
    const run = await adsync([
      "publish",
      example("01-car.json"),
      "--config",
      configWith({ failureThreshold: 0 }),
    ]);
    expect(run.code).toBe(2);
    expect(run.err).toContain("failureThreshold");
    expect(sandboxes.current().blocket.requests).toEqual([]);
  });
});
