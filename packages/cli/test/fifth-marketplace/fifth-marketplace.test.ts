/**
 * A fifth marketplace, added through the registry alone (#10): its fake, adapter, descriptor
 * and registry line live in this folder, and nothing outside it changed. The shared adapter
 * conformance suite runs against it, built from its config section through the CLI's own
 * `layerFromConfig`, and the CLI publishes to it and reports its status.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { adapterConformance } from "@adsync/conformance";
import type { RunningFakes } from "@adsync/sandbox";
import { NodeHttpClient } from "@effect/platform-node";
import { Either, Layer } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.ts";
import { sandboxConfig, startRegistryFakes } from "../../src/commands/sandbox.ts";
import { layerFromConfig } from "../../src/marketplaces.ts";
import {
  jsonOf,
  type Run,
  removeTemporaryDirectories,
  temporaryDirectory,
} from "../cli-support.ts";
import { FIFTH } from "./adapter.ts";
import type { FifthFake } from "./fake.ts";
import { fifthEntry, withFifth } from "./registry.ts";

const car = (id: string, variant = 0) => ({
  id,
  category: "car" as const,
  title: "Volvo V60 D4",
  description: "A well kept estate car.",
  price: { list: { amount: 199_900 - variant * 1_000, currency: "EUR" } },
  vehicle: { make: "Volvo", model: "V60", modelYear: 2020 },
});

const fifthOf = (running: RunningFakes): FifthFake => {
  const fake = running.fakes.get(FIFTH);
  if (fake === undefined || !("listingCount" in fake)) throw new Error("no fifth fake");
  return fake as FifthFake;
};

adapterConformance({
  marketplace: FIFTH,
  capabilities: fifthEntry.descriptor.capabilities,
  setup: async () => {
    const registry = [fifthEntry];
    const running = await startRegistryFakes(registry);
    const config = sandboxConfig(running, { type: "memory" }, registry);
    const layer = layerFromConfig({ file: undefined, config }, {}, {}, registry);
    if (Either.isLeft(layer)) throw new Error(layer.left);
    const fake = fifthOf(running);
    return {
      fake,
      layer: layer.right.pipe(Layer.provide(NodeHttpClient.layerUndici)),
      sampleAd: car,
      invalidAd: (id) => ({ ...car(id), category: "motorcycle" }),
      listingCount: () => fake.listingCount(),
      createRequest: { method: "POST", path: /^\/listings$/ },
      close: () => running.close(),
    };
  },
});

describe("the CLI with a fifth marketplace in its registry", () => {
  let running: RunningFakes;
  beforeAll(async () => {
    running = await startRegistryFakes([fifthEntry]);
  });
  afterAll(async () => {
    await running.close();
    removeTemporaryDirectories();
  });

  const adsync = async (argv: ReadonlyArray<string>): Promise<Run> => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, {
      out: (text) => out.push(text),
      err: (text) => err.push(text),
      environment: {},
      registry: withFifth,
    });
    return { code, out: out.join("\n"), err: err.join("\n") };
  };

  it("publishes to it with --to and reports its status from the store", async () => {
    const directory = temporaryDirectory();
    const config = join(directory, "adsync.config.json");
    writeFileSync(
      config,
      JSON.stringify(sandboxConfig(running, { type: "sqlite", path: "adsync.db" }, [fifthEntry])),
    );
    const ad = join(directory, "car.json");
    writeFileSync(ad, JSON.stringify(car("fifth-cli-1")));

    const published = await adsync(["publish", ad, "--to", FIFTH, "--json", "--config", config]);
    expect(published.err).toBe("");
    expect(published.code).toBe(0);
    expect(jsonOf(published)).toMatchObject({
      adId: "fifth-cli-1",
      marketplaces: [
        { marketplace: FIFTH, result: "accepted", operation: "create", presence: "live" },
      ],
    });
    expect(fifthOf(running).listingCount()).toBe(1);

    const status = await adsync(["status", "fifth-cli-1", "--json", "--config", config]);
    expect(status.code).toBe(0);
    expect(jsonOf(status)).toMatchObject({
      adId: "fifth-cli-1",
      marketplaces: [
        { marketplace: FIFTH, presence: "live", operationStatus: "succeeded", remoteId: "f1" },
      ],
    });
  });

  it("without the fifth in the registry, --to fifth is an unknown marketplace (exit 2)", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const ad = join(temporaryDirectory(), "car.json");
    writeFileSync(ad, JSON.stringify(car("fifth-cli-2")));
    const code = await main(["publish", ad, "--to", FIFTH], {
      out: (text) => out.push(text),
      err: (text) => err.push(text),
      environment: {},
    });
    expect(code).toBe(2);
    expect(err.join("\n")).toContain(`Unknown marketplace: ${FIFTH}.`);
  });
});
