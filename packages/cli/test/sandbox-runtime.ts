/**
 * The four sandbox fakes on a manual clock for one test file, and a publisher over them built
 * from the CLI's own sandbox config (memory store), with extra layers for the adapters' HTTP
 * (circuit breakers) beside the undici client.
 */
import { publisherLayer } from "@adsync/core";
import { type Sandbox, startSandbox } from "@adsync/sandbox";
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient";
import { Either, Layer } from "effect";
import { afterAll, beforeAll } from "vitest";
import { sandboxConfig } from "../src/commands/sandbox.ts";
import { layerFromConfig } from "../src/marketplaces.ts";

/** Starts the sandbox before the file's tests and closes it after; read it inside tests. */
export const useManualSandbox = (): { readonly current: () => Sandbox } => {
  let sandbox: Sandbox | undefined;
  beforeAll(async () => {
    sandbox = await startSandbox({ clock: "manual" });
  }, 60_000);
  afterAll(async () => {
    await sandbox?.close();
  });
  return {
    current: () => {
      if (sandbox === undefined) throw new Error("the sandbox has not started");
      return sandbox;
    },
  };
};

/** Publisher + adapters + memory store over the sandbox; `http` (e.g. `Layer.empty`) is given to the adapters. */
export const sandboxPublisherLayer = <ROut>(sandbox: Sandbox, http: Layer.Layer<ROut>) => {
  const layer = layerFromConfig(
    { file: undefined, config: sandboxConfig(sandbox, { type: "memory" }) },
    {},
  );
  if (Either.isLeft(layer)) throw new Error(layer.left);
  const adapters = layer.right.pipe(
    Layer.provideMerge(Layer.merge(NodeHttpClient.layerUndici, http)),
  );
  return publisherLayer.pipe(Layer.provideMerge(adapters));
};
