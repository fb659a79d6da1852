import { AdsyncError } from "@adsync/core";
import { Either } from "effect";
import { describe, expect, it } from "vitest";
import { type AdOutcome, bySchedule, inRequestOrder } from "../src/operations/batch-order.ts";

/** The outcomes as an array that counts every element read (index access). */
const counted = <A>(items: ReadonlyArray<A>) => {
  let reads = 0;
  const proxy = new Proxy([...items], {
    get: (target, key, receiver) => {
      if (typeof key === "string" && /^\d+$/.test(key)) reads += 1;
      return Reflect.get(target, key, receiver);
    },
  });
  return { items: proxy as ReadonlyArray<A>, reads: () => reads };
};

const batch = (n: number) => {
  const requests = Array.from({ length: n }, (_, index) => ({ ad: { id: `ad-${index}` } }));
  // Answered in reverse order, as a batch may: a search per request would read ~n²/2.
  const outcomes: Array<AdOutcome<string>> = requests
    .map((request) => ({ adId: request.ad.id, result: Either.right(`offer-${request.ad.id}`) }))
    .reverse();
  return { requests, outcomes };
};

describe("Allegro createMany's answers (#14: no N² on the sync path)", () => {
  it("are put in request order reading each outcome once: linear in the batch", () => {
    for (const n of [10, 100, 1000]) {
      const { requests, outcomes } = batch(n);
      const answers = counted(outcomes);
      const ordered = inRequestOrder(requests, answers.items);
      expect(ordered.map((answer) => Either.getOrUndefined(answer))).toEqual(
        requests.map((request) => `offer-${request.ad.id}`),
      );
      expect(answers.reads()).toBe(n);
    }
  });

  it("answer InvalidResponse for a request the batch did not answer, and the first answer of an id wins", () => {
    const ordered = inRequestOrder(
      [{ ad: { id: "a" } }, { ad: { id: "b" } }],
      [
        { adId: "a", result: Either.right(1) },
        { adId: "a", result: Either.right(2) },
      ],
    );
    expect(Either.getOrUndefined(ordered[0] ?? Either.right(0))).toBe(1);
    const missing = ordered[1];
    expect(
      missing !== undefined && Either.isLeft(missing) && missing.left instanceof AdsyncError
        ? missing.left.reason
        : undefined,
    ).toBe("InvalidResponse");
  });

  it("group ready offers by schedule in order", () => {
    expect([
      ...bySchedule([
        { offerId: "1" },
        { offerId: "2", scheduledFor: "2027-01-01T08:00:00Z" },
        { offerId: "3" },
      ]),
    ]).toEqual([
      ["", ["1", "3"]],
      ["2027-01-01T08:00:00Z", ["2"]],
    ]);
  });
});
