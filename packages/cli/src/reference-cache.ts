import { HttpClient, HttpClientResponse, type KeyValueStore, UrlParams } from "@effect/platform";
import { Clock, Duration, Effect, Either, Layer, Option, Schema } from "effect";

/**
 * The GET endpoints that answer reference data: lists that change rarely and are the same for
 * every ad. Everything else (offers, tokens, logs) always goes to the marketplace.
 * - Allegro: "GET /sale/categories?parent.id=" (the tree) and
 *   "GET /sale/categories/{categoryId}/parameters".
 * - Marktplaats / 2dehands: "GET /v1/categories", "/v1/categories/{l1}" and
 *   "/v1/categories/{l1}/{l2}/attributes".
 * - Tradera (Pro Import): the vehicle lists "/vehicle/brands", "/vehicle/car-models", ….
 */
export const referencePaths: ReadonlyArray<RegExp> = [
  /\/sale\/categories$/,
  /\/sale\/categories\/[^/]+\/parameters$/,
  /\/v1\/categories(\/[^/]+){0,1}$/,
  /\/v1\/categories\/[^/]+\/[^/]+\/attributes$/,
  /\/vehicle\/(brands|car-models|car-body-styles|colors|fuels|transmissions|equipments)$/,
];

export const isReferenceUrl = (url: URL): boolean =>
  referencePaths.some((pattern) => pattern.test(url.pathname));

/** One cached answer: the body of a 200, its media type and when it stops being used. */
const CachedAnswer = Schema.parseJson(
  Schema.Struct({
    expiresAt: Schema.Number,
    contentType: Schema.String,
    body: Schema.String,
  }),
);

export interface ReferenceCacheOptions {
  /** How long an answer is reused (default 24 hours, the adapters' in-memory default). */
  readonly ttl?: Duration.DurationInput | undefined;
  /** Told of every reference read that had to go to the marketplace. */
  readonly onRead?: ((url: string) => void) | undefined;
}

const answer = (
  request: Parameters<typeof HttpClientResponse.fromWeb>[0],
  cached: {
    readonly contentType: string;
    readonly body: string;
  },
) =>
  HttpClientResponse.fromWeb(
    request,
    new Response(cached.body, { status: 200, headers: { "content-type": cached.contentType } }),
  );

/**
 * An `HttpClient` that answers reference-data GETs from a durable `KeyValueStore` while they
 * are younger than the TTL, so a warm `adsync validate` sends nothing. Only a 200 is kept: a
 * failed load is never cached, the next run asks again. The adapters keep their own in-memory
 * caches; this layer sits below them, on the wire, and needs no change in any adapter. A store
 * that cannot be read or written only costs the request it would have saved.
 */
export const referenceCacheLayer = (
  store: KeyValueStore.KeyValueStore,
  options: ReferenceCacheOptions = {},
): Layer.Layer<HttpClient.HttpClient, never, HttpClient.HttpClient> => {
  const lifetime = Duration.toMillis(Duration.decode(options.ttl ?? "24 hours"));
  const answers = store.forSchema(CachedAnswer);
  return Layer.effect(
    HttpClient.HttpClient,
    Effect.map(HttpClient.HttpClient, (client) =>
      HttpClient.transform(client, (send, request) => {
        const url = UrlParams.makeUrl(request.url, request.urlParams, request.hash);
        if (request.method !== "GET" || Either.isLeft(url) || !isReferenceUrl(url.right))
          return send;
        const key = `reference:${url.right.toString()}`;
        return Effect.gen(function* () {
          const now = yield* Clock.currentTimeMillis;
          const cached = yield* answers.get(key).pipe(Effect.orElseSucceed(Option.none));
          if (Option.isSome(cached) && cached.value.expiresAt > now)
            return answer(request, cached.value);
          options.onRead?.(url.right.toString());
          const response = yield* send;
          if (response.status !== 200) return response;
          const body = yield* response.text;
          const fresh = {
            expiresAt: now + lifetime,
            contentType: response.headers["content-type"] ?? "application/json",
            body,
          };
          yield* answers
            .set(key, fresh)
            .pipe(
              Effect.catchAll((error) => Effect.logWarning(`reference cache: ${error.message}`)),
            );
          return answer(request, fresh);
        });
      }),
    ),
  );
};
