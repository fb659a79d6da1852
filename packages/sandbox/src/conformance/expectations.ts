import type { AdsyncClient, Issue, ListingOutcome, ListingStatus, Prepared } from "@adsync/core";
import { type Duration, Either } from "effect";
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
 * The canonical fields an issue may name (`vehicle.make`, `images.3`, …), plus the
 * marketplace's own options under `marketplaces.<id>`.
 */
export const canonicalPathPattern = (marketplace: string): RegExp =>
  new RegExp(
    `^(id|category|title|description|video|url|price(\\.(list|reduced|monthly)(\\.(amount|currency))?|\\.callForPrice)?|images(\\.\\d+)?|location(\\.(postalCode|city|street|country|coordinates(\\.(latitude|longitude))?|regionCodes(\\.lkf)?))?|contact(\\.(name|phone|email))?|vehicle(\\.(make|model|variant|modelYear|bodyType|colour|registrationNumber|vin|mileage(\\.(value|unit))?|fuels(\\.\\d+)?|transmission|power(\\.(value|unit))?|engineSizeCc|doors|seats|kerbWeightKg|grossWeightKg|lengthMm|widthMm|beds|condition|equipment(\\.\\d+)?))?|terms(\\.(warranty|returnPolicy|serviceHistory|homeDelivery|productDeclarationUrl))?|marketplaces\\.${marketplace}(\\.[A-Za-z]+)?)$`,
  );

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
  const pattern = canonicalPathPattern(marketplace);
  for (const entry of findings) {
    expect(entry.path).toMatch(pattern);
    expect(entry.marketplace).toBe(marketplace);
    expect(entry.message.length).toBeGreaterThan(0);
  }
};
