import { Effect, Option, Schema } from "effect";
import {
  AdsyncError,
  defineMarketplace,
  HttpTenant,
  headerAuth,
  makeMarketplaceHttp,
  reasonOfStatus,
  Secret,
} from "../../src/index.ts";
import { fakeAdapter } from "../fake-adapter.ts";

/**
 * A marketplace whose adapter's `warmUp` is one GET with the dealer's token (its section's
 * `token`), limited to the section's `perMinute` (the dealer's own limit): for tests of
 * `DealerAdapters` and what builds on it (the worker's limiters).
 */

export const Section = Schema.Struct({
  token: Secret,
  /** The dealer's own limit, requests a minute. */
  perMinute: Schema.optional(Schema.Number),
});

export interface Log {
  readonly built: Array<string | undefined>;
  readonly closed: Array<string | undefined>;
}

/** `path`: what `warmUp` GETs; `referencePaths`: the descriptor's (none by default). */
export const pingMarketplace = (
  log: Log,
  path = "/ping",
  referencePaths: ReadonlyArray<RegExp> = [],
) =>
  defineMarketplace({
    id: "testmarket",
    label: "Testmarket",
    capabilities: fakeAdapter("testmarket").adapter.capabilities,
    configSchema: Section,
    referencePaths,
    make: (section) =>
      Effect.gen(function* () {
        const dealer = Option.getOrUndefined(yield* Effect.serviceOption(HttpTenant))?.dealer;
        log.built.push(dealer);
        yield* Effect.addFinalizer(() => Effect.sync(() => log.closed.push(dealer)));
        const http = yield* makeMarketplaceHttp({
          marketplace: "testmarket",
          baseUrl: "http://127.0.0.1:9",
          authenticate: headerAuth("X-Auth-Token", section.token),
          rateLimit:
            section.perMinute === undefined
              ? undefined
              : { limit: section.perMinute, interval: "1 minute" },
        });
        const ping = Effect.flatMap(http.request({ method: "GET", path }), (answer) =>
          answer.status === 200
            ? Effect.void
            : Effect.fail(
                new AdsyncError({
                  reason: reasonOfStatus(answer.status),
                  marketplace: "testmarket",
                  operation: "ping",
                  status: answer.status,
                  message: `ping: ${answer.status}`,
                }),
              ),
        );
        return { ...fakeAdapter("testmarket").adapter, warmUp: ping };
      }),
  });
