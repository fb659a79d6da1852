import { FetchHttpClient, type HttpClient } from "@effect/platform";
import { Cause, type Context, Effect, Exit, Layer, ManagedRuntime, Stream } from "effect";

/** Runs a service's Effects as Promises; see `serviceRunner`. */
export interface ServiceRunner<S> {
  /** Runs one operation; the Promise rejects with the operation's error itself. */
  readonly use: <A, E>(operation: (service: S) => Effect.Effect<A, E>) => Promise<A>;
  /** Releases the service's resources (HTTP pools, caches). */
  readonly close: () => Promise<void>;
}

/**
 * The engine of an adapter's Promise facade (e.g. `createBlocketClient`), for DMS code that
 * does not use Effect: the service is built once from its layer, with the platform's `fetch`
 * (`FetchHttpClient`) unless the layer brings an HTTP client, and each call runs one of its
 * Effects.
 */
export const serviceRunner = <I, S, E>(
  tag: Context.Tag<I, S>,
  layer: Layer.Layer<I, E, HttpClient.HttpClient>,
): ServiceRunner<S> => {
  const runtime = ManagedRuntime.make(layer.pipe(Layer.provide(FetchHttpClient.layer)));
  return {
    use: (operation) =>
      runtime
        .runPromiseExit(Effect.flatMap(tag, operation))
        .then((exit) =>
          Exit.isSuccess(exit) ? exit.value : Promise.reject(Cause.squash(exit.cause)),
        ),
    close: () => runtime.dispose(),
  };
};

/**
 * A stream read as an async iterable on `runtime`, for a Promise facade's `for await` (the
 * `follow` of `createAdsync`, `createDealersAdsync` and store-sql's `openDealerStores`): the
 * stream starts when the loop does, and leaving the loop interrupts it.
 */
export const asyncIterableOn = <A, E, R, ER>(
  runtime: ManagedRuntime.ManagedRuntime<R, ER>,
  stream: Stream.Stream<A, E, R>,
): AsyncIterable<A> => ({
  async *[Symbol.asyncIterator]() {
    yield* await runtime.runPromise(Stream.toAsyncIterableEffect(stream));
  },
});
