import { type HttpClientRequest, type KeyValueStore, UrlParams } from "@effect/platform";
import { Clock, Duration, Effect, Either, Layer, Option, Schema } from "effect";
import type { MarketplaceDescriptor } from "../adapter/descriptor.ts";
import { HttpAnswerCache } from "./answer-cache.ts";

/**
 * The reference paths of each marketplace offered (their descriptors' `referencePaths`), keyed
 * by marketplace id, as `ReferenceCacheOptions.paths` takes them.
 */
export const referencePathsOf = (
  descriptors: ReadonlyArray<Pick<MarketplaceDescriptor, "id" | "referencePaths">>,
): Readonly<Record<string, ReadonlyArray<RegExp>>> =>
  Object.fromEntries(descriptors.map((each) => [each.id, each.referencePaths ?? []]));

/** One cached answer: the body of a 200, its headers and when it stops being used. */
const StoredAnswer = Schema.parseJson(
  Schema.Struct({
    expiresAt: Schema.Number,
    headers: Schema.Record({ key: Schema.String, value: Schema.String }),
    text: Schema.String,
  }),
);

export interface ReferenceCacheOptions {
  /**
   * Per marketplace id, the GET paths whose answers are kept (`referencePathsOf(descriptors)`,
   * each adapter's `referencePaths`). Every other request always goes to the marketplace.
   */
  readonly paths: Readonly<Record<string, ReadonlyArray<RegExp>>>;
  /** How long an answer is reused (default 24 hours, the adapters' in-memory default). */
  readonly ttl?: Duration.DurationInput | undefined;
  /** Told of every reference read that had to go to the marketplace. */
  readonly onRead?: ((url: string) => void) | undefined;
}

/** The reference-data URL of a request to `marketplace`, or none when the request is not one. */
const referenceUrlOf =
  (paths: ReferenceCacheOptions["paths"]) =>
  (marketplace: string, request: HttpClientRequest.HttpClientRequest): Option.Option<string> => {
    if (request.method !== "GET") return Option.none();
    const patterns = paths[marketplace] ?? [];
    if (patterns.length === 0) return Option.none();
    const url = UrlParams.makeUrl(request.url, request.urlParams, request.hash);
    return Either.isRight(url) && patterns.some((pattern) => pattern.test(url.right.pathname))
      ? Option.some(url.right.toString())
      : Option.none();
  };

/**
 * Core's `HttpAnswerCache` on a durable `KeyValueStore`: reference-data answers are reused while
 * younger than the TTL, looked up before the request is authenticated, so a warm `adsync
 * validate` sends nothing, not even a token refresh. Core offers only 200 answers: a failed load
 * is never cached and the next run asks again. The adapters keep their in-memory caches; this
 * one sits below them and needs no change in any adapter. A store that cannot be read or written
 * only costs the request it would have saved. An answer is the marketplace's, not an account's
 * (what `referencePaths` promise), so one kept answer serves every dealer on the store.
 */
export const referenceCacheLayer = (
  store: KeyValueStore.KeyValueStore,
  options: ReferenceCacheOptions,
): Layer.Layer<HttpAnswerCache> => {
  const referenceUrl = referenceUrlOf(options.paths);
  const lifetime = Duration.toMillis(Duration.decode(options.ttl ?? "24 hours"));
  const answers = store.forSchema(StoredAnswer);
  const keyOf = (marketplace: string, url: string) => `reference:${marketplace}:${url}`;
  return Layer.succeed(HttpAnswerCache, {
    get: (marketplace, request) =>
      Option.match(referenceUrl(marketplace, request), {
        onNone: () => Effect.succeedNone,
        onSome: (url) =>
          Effect.gen(function* () {
            const now = yield* Clock.currentTimeMillis;
            const cached = yield* answers
              .get(keyOf(marketplace, url))
              .pipe(Effect.orElseSucceed(Option.none));
            if (Option.isSome(cached) && cached.value.expiresAt > now)
              return Option.some({
                status: 200,
                headers: cached.value.headers,
                text: cached.value.text,
              });
            options.onRead?.(url);
            return Option.none();
          }),
      }),
    set: (marketplace, request, answer) =>
      Option.match(referenceUrl(marketplace, request), {
        onNone: () => Effect.void,
        onSome: (url) =>
          Effect.gen(function* () {
            const now = yield* Clock.currentTimeMillis;
            const contentType = answer.headers["content-type"];
            yield* answers
              .set(keyOf(marketplace, url), {
                expiresAt: now + lifetime,
                headers: contentType === undefined ? {} : { "content-type": contentType },
                text: answer.text,
              })
              .pipe(
                Effect.catchAll((error) => Effect.logWarning(`reference cache: ${error.message}`)),
              );
          }),
      }),
  });
};
