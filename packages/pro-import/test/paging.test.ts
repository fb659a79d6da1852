import { describe, expect, it } from "@effect/vitest";
import { Effect } from "effect";
import fc from "fast-check";
import { everyPage, type Page } from "../src/index.ts";

/** A limit/offset endpoint over `total` items that caps `limit` at `cap`, as DRF does. */
const endpoint =
  (total: number, cap: number, offsets: Array<number>) =>
  (page: { readonly limit: number; readonly offset: number }): Effect.Effect<Page<number>> => {
    offsets.push(page.offset);
    const limit = Math.min(page.limit, cap);
    const results = Array.from(
      { length: Math.max(0, Math.min(limit, total - page.offset)) },
      (_, index) => page.offset + index,
    );
    const next = page.offset + limit < total ? `?offset=${page.offset + limit}` : null;
    return Effect.succeed({ count: total, next, results });
  };

describe("everyPage", () => {
  it("reads every item once, in ⌈total / page⌉ requests, even when the API caps the page lower", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 1, max: 120 }),
        (total, pageSize, cap) => {
          const offsets: Array<number> = [];
          const items = Effect.runSync(everyPage(pageSize, endpoint(total, cap, offsets)));
          expect(items).toEqual(Array.from({ length: total }, (_, index) => index));
          const served = Math.min(pageSize, cap);
          expect(offsets).toHaveLength(Math.max(1, Math.ceil(total / served)));
        },
      ),
    );
  });
});
