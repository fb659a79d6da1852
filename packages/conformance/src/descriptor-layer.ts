import {
  type Adapters,
  type AdsyncError,
  adaptersLayer,
  type MarketplaceDescriptor,
  type MarketplaceServices,
  memoryStoreLayer,
  type Store,
} from "@adsync/core";
import type { HttpClient } from "@effect/platform";
import { Effect, Layer, Schema } from "effect";

/**
 * A conformance layer built the way an application builds a marketplace: its descriptor's
 * `make` from a config section as a config file holds it (JSON; secrets as plain strings),
 * beside a fresh memory store. The caller provides the HTTP client. A section the descriptor's
 * Schema refuses is a defect of the test, not a case.
 */
export const descriptorLayer = <Config extends Schema.Schema.AnyNoContext>(
  descriptor: MarketplaceDescriptor<Config>,
  section: unknown,
  services: MarketplaceServices = {},
): Layer.Layer<Adapters | Store, AdsyncError, HttpClient.HttpClient> =>
  Layer.mergeAll(
    adaptersLayer(
      Schema.decodeUnknown(descriptor.configSchema)(section).pipe(
        Effect.orDie,
        Effect.flatMap((config) => descriptor.make(config, services)),
      ),
    ),
    memoryStoreLayer,
  );
