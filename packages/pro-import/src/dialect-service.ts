import {
  anyPayloadAdapter,
  type MarketplaceAdapter,
  type ServiceRunner,
  serviceRunner,
} from "@adsync/core";
import type { HttpClient } from "@effect/platform";
import { type Context, Effect, Layer, type Scope } from "effect";

/**
 * What a dialect package builds around its service (`makeBlocket`, `makeTradera`): the adapter
 * alone, for `adaptersLayer(...)` and its descriptor (its payload type kept inside the
 * package); the service as a layer; and the runner of its Promise facade.
 */
export const dialectService = <I, S, C, P>(
  tag: Context.Tag<I, S>,
  make: (
    config: C,
  ) => Effect.Effect<
    S & { readonly adapter: MarketplaceAdapter<P, P> },
    never,
    HttpClient.HttpClient | Scope.Scope
  >,
) => {
  const layer = (config: C): Layer.Layer<I, never, HttpClient.HttpClient> =>
    Layer.scoped(tag, make(config));
  return {
    makeAdapter: (config: C) =>
      Effect.map(make(config), (service) => anyPayloadAdapter(service.adapter)),
    layer,
    runner: (config: C): ServiceRunner<S> => serviceRunner(tag, layer(config)),
  };
};
