import { Chunk, Duration, Effect, Option, Schedule, Stream } from "effect";
import type { AdsyncError } from "../errors.ts";
import { defaultFeedLimit, EventFeed, type EventFeedService, type LoggedEvent } from "./store.ts";

/*
 * The log across every dealer, followed: what a DMS reads to learn the outcome of every
 * dealer's operations, whichever process (an embedded publisher, any worker) wrote them. The
 * feed is read page by page from a cursor; an empty page waits `interval` (a `Schedule`) and
 * reads again, as the writers are other processes and nothing wakes this one.
 */

export interface FollowFeedOptions {
  /**
   * The cursor to resume from: the `seq` of the last event already handled (0: from the
   * start). Absent: from now on (events recorded after the follow starts).
   */
  readonly after?: number | undefined;
  /** How long an empty read waits before the next; default 1 second. */
  readonly interval?: Duration.DurationInput | undefined;
  /** The most events one read answers; default 1000. */
  readonly limit?: number | undefined;
}

/** `followFeed` over a given feed. */
export const followFeedOf = (
  feed: EventFeedService,
  options: FollowFeedOptions = {},
): Stream.Stream<LoggedEvent, AdsyncError> => {
  const limit = options.limit ?? defaultFeedLimit;
  const interval = Duration.decode(options.interval ?? "1 second");
  // Answers the page read last (so the repeat's result is the first page with events).
  const idle = Schedule.identity<ReadonlyArray<LoggedEvent>>().pipe(
    Schedule.addDelay(() => interval),
  );
  const nextPage = (cursor: number) =>
    feed.feed({ after: cursor, limit }).pipe(
      Effect.repeat({ schedule: idle, until: (page) => page.length > 0 }),
      Effect.map(
        (page) =>
          [Chunk.fromIterable(page), Option.some(page[page.length - 1]?.seq ?? cursor)] as const,
      ),
    );
  return Stream.unwrap(
    Effect.map(
      options.after === undefined ? feed.lastSeq : Effect.succeed(options.after),
      (start) => Stream.paginateChunkEffect(start, nextPage),
    ),
  );
};

/**
 * Every dealer's events from a cursor, in `seq` order, each naming its dealer, for as long as
 * the stream is read (resume after a restart from the last `seq` handled).
 */
export const followFeed = (
  options?: FollowFeedOptions,
): Stream.Stream<LoggedEvent, AdsyncError, EventFeed> =>
  Stream.unwrap(Effect.map(EventFeed, (feed) => followFeedOf(feed, options)));
