import type { HttpClientRequest } from "@effect/platform";
import { Context, type Effect, type Option } from "effect";

/** An answer as `makeMarketplaceHttp` reads it off the wire: status, headers, body text. */
export interface CachedAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
}

/**
 * An optional durable cache of answers (reference data: category trees, vehicle lists), looked
 * up before the request is authenticated, so a warm cache costs no token refresh either. The
 * cache decides which requests it keeps; `makeMarketplaceHttp` offers it only 200 answers, so a
 * failed load is never kept. Absent, every request goes to the marketplace.
 */
export class HttpAnswerCache extends Context.Tag("@adsync/core/HttpAnswerCache")<
  HttpAnswerCache,
  {
    readonly get: (
      marketplace: string,
      request: HttpClientRequest.HttpClientRequest,
    ) => Effect.Effect<Option.Option<CachedAnswer>>;
    readonly set: (
      marketplace: string,
      request: HttpClientRequest.HttpClientRequest,
      answer: CachedAnswer,
    ) => Effect.Effect<void>;
  }
>() {}
