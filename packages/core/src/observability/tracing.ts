import { Effect, type Fiber, FiberRef } from "effect";
import { globalValue } from "effect/GlobalValue";
import type { ListingOutcome, PublishResult } from "../publisher/outcome.ts";
import type { PublisherService } from "../publisher/service.ts";
import { recordListingOutcome } from "./metrics.ts";

/**
 * Spans of the publisher, through Effect's own tracer API: core needs no OpenTelemetry package.
 * With no tracer layer supplied (the default) adsync creates no span at all (Effect's default
 * tracer would keep them in memory and drop them); a DMS that provides `@effect/opentelemetry`'s
 * `NodeSdk.layer` (or any other `Tracer`) switches them on and gets them exported. See
 * docs/operations.md.
 *
 * The tree: `adsync.<operation>` (publish, remove, sync, refresh, …) → one
 * `adsync.<operation>.listing` per marketplace → the HTTP client's `http.client <METHOD>` spans.
 */

/** Effect's default tracer: spans made with it go nowhere. */
const defaultTracer = globalValue(Symbol.for("@adsync/core/defaultTracer"), () =>
  Effect.runSync(Effect.tracer),
);

/** Whether spans made in this fiber go anywhere: a tracer other than Effect's default, enabled. */
export const tracingOn = (fiber: Fiber.RuntimeFiber<unknown, unknown>): boolean =>
  fiber.currentTracer !== defaultTracer && fiber.getFiberRef(FiberRef.currentTracerEnabled);

/** `traced(effect)` when spans go somewhere (`tracingOn`), else `effect` with no span made. */
export const whenTracing = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  traced: (effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>,
): Effect.Effect<A, E, R> =>
  Effect.withFiberRuntime((fiber) => (tracingOn(fiber) ? traced(effect) : effect));

/** Span attribute names (an `adsync.` namespace, beside OpenTelemetry's `http.*`). */
export const SpanAttributes = {
  marketplace: "adsync.marketplace",
  adId: "adsync.ad_id",
  operation: "adsync.operation",
  operationId: "adsync.operation_id",
  outcome: "adsync.outcome",
  reason: "adsync.reason",
  attempt: "adsync.attempt",
} as const;

const outcomeAttributes = (outcome: ListingOutcome): Record<string, string> => {
  const attributes: Record<string, string> = { [SpanAttributes.outcome]: outcome.result };
  const operation = outcome.state.operation;
  if (operation !== undefined) attributes[SpanAttributes.operationId] = operation.id;
  if (outcome.operation !== undefined) attributes[SpanAttributes.operation] = outcome.operation;
  if (outcome.reason !== undefined) attributes[SpanAttributes.reason] = outcome.reason;
  return attributes;
};

/**
 * The span of one listing (one ad on one marketplace) within a publisher operation: named
 * `adsync.<operation>.listing`, with marketplace and ad id, and once it ends the outcome, the
 * operation id and the failure reason. The outcome is also counted (`adsync.listing.outcomes`).
 */
export const listingSpan =
  (operation: string, adId: string, marketplace: string) =>
  <E, R>(effect: Effect.Effect<ListingOutcome, E, R>): Effect.Effect<ListingOutcome, E, R> =>
    whenTracing(
      Effect.tap(effect, (outcome) =>
        recordListingOutcome(marketplace, outcome.operation ?? operation, outcome.result),
      ),
      (counted) =>
        counted.pipe(
          Effect.tap((outcome) => Effect.annotateCurrentSpan(outcomeAttributes(outcome))),
          Effect.withSpan(`adsync.${operation}.listing`, {
            kind: "internal",
            attributes: {
              [SpanAttributes.marketplace]: marketplace,
              [SpanAttributes.adId]: adId,
              [SpanAttributes.operation]: operation,
            },
          }),
        ),
    );

const resultSummary = (result: PublishResult): Record<string, string> => ({
  [SpanAttributes.adId]: result.adId,
  [SpanAttributes.outcome]: [...new Set(result.outcomes.map((outcome) => outcome.result))]
    .sort()
    .join(","),
});

const span =
  (name: string, adId?: string) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    whenTracing(effect, (traced) =>
      Effect.withSpan(traced, `adsync.${name}`, {
        kind: "internal",
        attributes: adId === undefined ? {} : { [SpanAttributes.adId]: adId },
      }),
    );

const perAd =
  <Args extends ReadonlyArray<unknown>, E, R>(
    name: string,
    call: (adId: string, ...args: Args) => Effect.Effect<PublishResult, E, R>,
  ) =>
  (adId: string, ...args: Args) =>
    call(adId, ...args).pipe(
      Effect.tap((result) => Effect.annotateCurrentSpan(resultSummary(result))),
      span(name, adId),
    );

/** The publisher with one root span per call: `adsync.publish`, `adsync.remove`, `adsync.sync`, … */
export const tracePublisher = (service: PublisherService): PublisherService => ({
  ...service,
  validate: (ad, options) => span("validate")(service.validate(ad, options)),
  publish: (ad, options) =>
    service.publish(ad, options).pipe(
      Effect.tap((result) => Effect.annotateCurrentSpan(resultSummary(result))),
      span("publish"),
    ),
  sync: (inventory, options) => span("sync")(service.sync(inventory, options)),
  remove: perAd("remove", service.remove),
  renew: perAd("renew", service.renew),
  hide: perAd("hide", service.hide),
  show: perAd("show", service.show),
  refresh: (adId, options) => span("refresh", adId)(service.refresh(adId, options)),
  awaitSettled: (adId, options) => span("await", adId)(service.awaitSettled(adId, options)),
  plan: (inventory, options) => span("plan")(service.plan(inventory, options)),
});
