import type { AdsyncClient, ListingOutcome, ListingStatus } from "@adsync/core";
import type { Duration } from "effect";
import { expect } from "vitest";

/** The one element of a list the test expects exactly one of. */
export const onlyOne = <A>(items: ReadonlyArray<A>, what = "item"): A => {
  expect(items).toHaveLength(1);
  const [item] = items;
  if (item === undefined) throw new Error(`no ${what}`);
  return item;
};

export const onlyOutcome = (outcomes: ReadonlyArray<ListingOutcome>): ListingOutcome =>
  onlyOne(outcomes, "outcome");

export const onlyStatus = (statuses: ReadonlyArray<ListingStatus>): ListingStatus =>
  onlyOne(statuses, "status");

/** Waits until no operation of the ad is pending, polling fast (the fakes process in ms). */
export const awaitSettled = (
  adsync: AdsyncClient,
  adId: string,
  timeout: Duration.DurationInput = "5 seconds",
): Promise<ReadonlyArray<ListingStatus>> =>
  adsync.awaitSettled(adId, { interval: "25 millis", timeout });
