import { type LifecycleEvent, Publisher } from "@adsync/core";
import { HttpServerResponse } from "@effect/platform";
import { Deferred, Effect, Stream } from "effect";
import type { LiveEvent } from "./wire.ts";

const encoder = new TextEncoder();

/** An event of the publisher's feed as the page needs it: which listing to redraw. */
export const liveEventOf = (event: LifecycleEvent): LiveEvent => ({
  adId: event.adId,
  marketplace: event.marketplace,
  presence: event.state.presence,
  operation: event.state.operation?.status,
});

/** One server-sent event frame (`data:` lines end with a blank line, per the SSE format). */
export const frame = (event: LiveEvent): string => `data: ${JSON.stringify(event)}\n\n`;

/**
 * `GET /api/events`: every lifecycle event from the publisher's `watch` feed, as server-sent
 * events, until the page goes away or the console stops (`closing`: an open feed would
 * otherwise keep the server from closing). The first chunk (a `retry` hint for the browser's
 * reconnection) is written at once, so the browser sees the stream open.
 */
export const liveEvents = (closing: Deferred.Deferred<void>) =>
  Effect.map(Publisher, (publisher) =>
    HttpServerResponse.stream(
      Stream.concat(
        Stream.make("retry: 2000\n\n"),
        publisher.watch().pipe(Stream.map((event) => frame(liveEventOf(event)))),
      ).pipe(
        Stream.interruptWhen(Deferred.await(closing)),
        Stream.map((text) => encoder.encode(text)),
      ),
      {
        contentType: "text/event-stream",
        headers: { "cache-control": "no-store", "x-accel-buffering": "no" },
      },
    ),
  );
