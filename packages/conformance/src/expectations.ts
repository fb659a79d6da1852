import type { AdsyncClient, Issue, ListingOutcome, ListingStatus, Prepared } from "@adsync/core";
import { type Duration, Either } from "effect";
import { expect } from "vitest";
import { isCanonicalPath } from "./canonical-paths.ts";

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

/**
 * Waits until no operation of the ad is pending, polling fast (the fakes process in ms). The
 * budget is for a loaded machine: waiting longer never makes a passing test fail.
 */
export const awaitSettled = (
  adsync: AdsyncClient,
  adId: string,
  timeout: Duration.DurationInput = "20 seconds",
): Promise<ReadonlyArray<ListingStatus>> =>
  adsync.awaitSettled(adId, { interval: "25 millis", timeout });

/**
 * What every adapter's mapping must answer for any valid ad: a payload, or at least one
 * issue; and every issue and warning names a canonical path, its marketplace and a message.
 */
export const expectMappingFindings = (
  result: Either.Either<Prepared, ReadonlyArray<Issue>>,
  marketplace: string,
): void => {
  if (Either.isLeft(result)) expect(result.left.length).toBeGreaterThan(0);
  const findings = Either.isLeft(result) ? result.left : result.right.warnings;
  for (const entry of findings) {
    expect({ path: entry.path, canonical: isCanonicalPath(entry.path, marketplace) }).toEqual({
      path: entry.path,
      canonical: true,
    });
    expect(entry.marketplace).toBe(marketplace);
    expect(entry.message.length).toBeGreaterThan(0);
  }
};
