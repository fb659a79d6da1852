import { HttpAnswerCache } from "@adsync/core";
import { type HttpClientRequest, type KeyValueStore, UrlParams } from "@effect/platform";
import { Clock, Duration, Effect, Either, Layer, Option, Schema } from "effect";
/**
 * The GET endpoints that answer reference data: lists that change rarely and are the same for
 * every ad. Everything else (offers, tokens, logs) always goes to the marketplace.
 * - Allegro: "GET /sale/categories?parent.id=" (the tree) and
 *   "GET /sale/categories/{categoryId}/parameters".
 * - Marktplaats / 2dehands: "GET /v1/categories", "/v1/categories/{l1}" and
 *   "/v1/categories/{l1}/{l2}/attributes".
 * - Tradera (Pro Import): the vehicle lists "/vehicle/brands", "/vehicle/car-models", ….
 * - Blocket (Pro Import): "/v3/vehicle/brands", "models", "body_types" and "fuels".
 */
export const referencePaths: ReadonlyArray<RegExp> = [
  /\/sale\/categories$/,
  /\/sale\/categories\/[^/]+\/parameters$/,
  /\/v1\/categories(\/[^/]+){0,1}$/,
  /\/v1\/categories\/[^/]+\/[^/]+\/attributes$/,
  /\/vehicle\/(brands|car-models|car-body-styles|colors|fuels|transmissions|equipments)$/,
  /\/v3\/vehicle\/(brands|models|body_types|fuels)$/,
];

export const isReferenceUrl = (url: URL): boolean =>
  referencePaths.some((pattern) => pattern.test(url.pathname));

/** One cached answer: the body of a 200, its headers and when it stops being used. */
const StoredAnswer = Schema.parseJson(
  Schema.Struct({
    expiresAt: Schema.Number,
    headers: Schema.Record({ key: Schema.String, value: Schema.String }),
    text: Schema.String,
  }),
);

export interface ReferenceCacheOptions {
  /** How long an answer is reused (default 24 hours, the adapters' in-memory default). */
  readonly ttl?: Duration.DurationInput | undefined;
  /** Told of every reference read that had to go to the marketplace. */
  readonly onRead?: ((url: string) => void) | undefined;
}

/** The reference-data URL of a request, or none when the request is not one. */
const referenceUrl = (request: HttpClientRequest.HttpClientRequest): Option.Option<string> => {
  if (request.method !== "GET") return Option.none();
  const url = UrlParams.makeUrl(request.url, request.urlParams, request.hash);
  return Either.isRight(url) && isReferenceUrl(url.right)
    ? Option.some(url.right.toString())
    : Option.none();
};

/**
 * Core's `HttpAnswerCache` on a durable `KeyValueStore`: reference-data answers are reused while
 * younger than the TTL, looked up before the request is authenticated, so a warm `adsync
 * validate` sends nothing, not even a token refresh. Core offers only 200 answers: a failed load
 * is never cached and the next run asks again. The adapters keep their in-memory caches; this
 * one sits below them and needs no change in any adapter. A store that cannot be read or written
 * only costs the request it would have saved.
 */
export const referenceCacheLayer = (
  store: KeyValueStore.KeyValueStore,
  options: ReferenceCacheOptions = {},
): Layer.Layer<HttpAnswerCache> => {
  const lifetime = Duration.toMillis(Duration.decode(options.ttl ?? "24 hours"));
  const answers = store.forSchema(StoredAnswer);
  const keyOf = (marketplace: string, url: string) => `reference:${marketplace}:${url}`;
  return Layer.succeed(HttpAnswerCache, {
    get: (marketplace, request) =>
      Option.match(referenceUrl(request), {
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
      Option.match(referenceUrl(request), {
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
