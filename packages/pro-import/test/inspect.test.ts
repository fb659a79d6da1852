import type { InspectedListing } from "@adsync/core";
import { describe, expect, it } from "@effect/vitest";
import { Effect } from "effect";
import fc from "fast-check";
import {
  chunks,
  type ListQuery,
  type LogEntry,
  type LogQuery,
  makeProImportInspect,
  type Page,
  type ProImportClient,
  proImportRequests,
  sightingOfMissing,
  sightingOfSettled,
  type WireAd,
  type WirePayload,
} from "../src/index.ts";

const payload: WirePayload = {
  body: "A well kept family car.",
  price: [{ type: "list", amount: 35_000_000 }],
  image_urls: ["https://cdn.example.com/1.jpg"],
  category_fields: { brand: "volvo", model: "xc90", model_year: 2019 },
};

const listing: InspectedListing<WirePayload> = {
  adId: "car-1",
  ref: { remoteId: "car-1", ids: {}, meta: {} },
  payload,
};

/** The events of an ad's log that decide what it shows. */
type Event = "publish" | "rejected" | "unpublish" | "delete" | "media_ok" | "media_failed";

const entryOf = (event: Event, index: number): LogEntry => {
  const created = `2026-02-01 10:${String(Math.floor(index / 60)).padStart(2, "0")}:${String(index % 60).padStart(2, "0")}`;
  const [action, state] = (
    {
      publish: ["publish", "done"],
      rejected: ["publish", "error"],
      unpublish: ["unpublish", "done"],
      delete: ["delete", "done"],
      media_ok: ["handle_media", "done"],
      media_failed: ["handle_media", "error"],
    } as const
  )[event];
  return { action, state, created, request_id: `r${index}`, external_message: `${event} ${index}` };
};

const adWith = (
  log: ReadonlyArray<LogEntry>,
  fields: { readonly visible?: boolean; readonly state?: string } = {},
): WireAd => ({
  source_id: "car-1",
  state: fields.state ?? "created",
  visible: fields.visible ?? true,
  blocket_ad_id: null,
  ...payload,
  log,
});

const events = fc.array(
  fc.constantFrom<Event>("publish", "rejected", "unpublish", "delete", "media_ok", "media_failed"),
  { maxLength: 30 },
);

/** The last event that decides presence, as the docs' log reads: publish done, its error, or a take-down. */
const lastShowing = (sequence: ReadonlyArray<Event>) =>
  sequence.findLast((event) => event !== "media_ok" && event !== "media_failed");

describe("sightingOfSettled (list item → sighting)", () => {
  it("does not depend on the order the log is listed in (oldest or newest first)", () => {
    fc.assert(
      fc.property(events, fc.boolean(), (sequence, visible) => {
        const log = sequence.map(entryOf);
        expect(
          sightingOfSettled("blocket", listing, adWith([...log].reverse(), { visible })),
        ).toEqual(sightingOfSettled("blocket", listing, adWith(log, { visible })));
      }),
    );
  });

  it("the newest deciding entry gives presence; a delete is final; a rejection carries its message", () => {
    fc.assert(
      fc.property(events, fc.boolean(), (sequence, visible) => {
        const sighting = sightingOfSettled(
          "tradera",
          listing,
          adWith(sequence.map(entryOf), { visible }),
        );
        const last = lastShowing(sequence);
        const deleted =
          sequence.includes("delete") &&
          sequence.lastIndexOf("delete") > sequence.lastIndexOf("publish");
        const expected = deleted
          ? "removed"
          : last === "publish"
            ? visible
              ? "live"
              : "hidden"
            : last === undefined || !sequence.includes("publish")
              ? "absent"
              : "removed";
        expect(sighting.presence).toBe(expected);
        expect(sighting.status).toBe("succeeded");
        const rejectedAt = sequence.lastIndexOf("rejected");
        const rejectionStands = rejectedAt >= 0 && rejectedAt > sequence.lastIndexOf("publish");
        expect(sighting.issues?.map((entry) => entry.message)).toEqual(
          rejectionStands ? [`rejected ${rejectedAt}`] : [],
        );
      }),
    );
  });

  it("warns about images only when the newest media handling failed and the ad is still there", () => {
    fc.assert(
      fc.property(events, (sequence) => {
        const sighting = sightingOfSettled("blocket", listing, adWith(sequence.map(entryOf)));
        const media = sequence.findLast(
          (event) => event === "media_ok" || event === "media_failed",
        );
        const warned = media === "media_failed" && sighting.presence !== "removed";
        expect(sighting.warnings?.map((entry) => entry.path)).toEqual(warned ? ["images"] : []);
      }),
    );
  });

  it("state deleted is removed whatever the log says (Blocket)", () => {
    fc.assert(
      fc.property(events, (sequence) => {
        const sighting = sightingOfSettled(
          "blocket",
          listing,
          adWith(sequence.map(entryOf), { state: "deleted" }),
        );
        expect(sighting.presence).toBe("removed");
      }),
    );
  });

  it("drift: none when the ad holds what was sent; any changed or added content field is drift", () => {
    const published = [entryOf("publish", 0)];
    expect(sightingOfSettled("blocket", listing, adWith(published)).drift).toBe(false);
    fc.assert(
      fc.property(
        fc.constantFrom("body", "price", "image_urls", "category_fields", "title", "video_url"),
        fc.string({ minLength: 1 }),
        (field, value) => {
          const edited: WireAd = { ...adWith(published), [field]: value };
          const sighting = sightingOfSettled("blocket", listing, edited);
          expect(sighting.drift).toBe(true);
        },
      ),
    );
  });

  it("a removed ad is not checked for drift", () => {
    const ad = { ...adWith([entryOf("publish", 0), entryOf("unpublish", 1)]), body: "other" };
    expect(sightingOfSettled("blocket", listing, ad)).toMatchObject({
      presence: "removed",
      drift: false,
    });
  });

  it("a log cut before any deciding entry falls back to the Blocket ad id", () => {
    expect(
      sightingOfSettled("blocket", listing, { ...adWith([]), blocket_ad_id: 12 }).presence,
    ).toBe("live");
    expect(sightingOfSettled("blocket", listing, adWith([])).presence).toBe("absent");
  });
});

describe("sightingOfMissing", () => {
  it("a settled listing or a pending remove is removed; another pending operation failed", () => {
    expect(sightingOfMissing("tradera", listing)).toMatchObject({
      status: "succeeded",
      presence: "removed",
    });
    expect(sightingOfMissing("tradera", { ...listing, pending: "remove" })).toMatchObject({
      status: "succeeded",
      presence: "removed",
    });
    expect(sightingOfMissing("tradera", { ...listing, pending: "create" })).toMatchObject({
      status: "failed",
      presence: "absent",
    });
    expect(sightingOfMissing("tradera", { ...listing, pending: "update" })).toMatchObject({
      status: "failed",
      presence: "removed",
    });
  });
});

describe("chunks", () => {
  it("splits into ⌈n / size⌉ runs of at most size, in order", () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(), { maxLength: 300 }),
        fc.integer({ min: 1, max: 120 }),
        (items, size) => {
          const runs = chunks(items, size);
          expect(runs).toHaveLength(Math.ceil(items.length / size));
          expect(runs.every((run) => run.length <= size && run.length > 0)).toBe(true);
          expect(runs.flat()).toEqual(items);
        },
      ),
    );
  });

  it("keeps each run's ids within the URL budget, splitting only where the budget demands", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: 1, maxLength: 100 }), { maxLength: 300 }),
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 50, max: 2_000 }),
        (ids, size, budget) => {
          const runs = chunks(ids, size, (id) => id.length, budget);
          expect(runs.flat()).toEqual(ids);
          for (const [index, run] of runs.entries()) {
            const used = run.reduce((sum, id) => sum + id.length + 1, 0);
            expect(run.length <= size && (used <= budget || run.length === 1)).toBe(true);
            const next = runs[index + 1]?.[0];
            // A run ends early only when the next id would not fit.
            if (next !== undefined && run.length < size) {
              expect(used + next.length + 1).toBeGreaterThan(budget);
            }
          }
        },
      ),
    );
  });
});

describe("makeProImportInspect", () => {
  const unused = () => Effect.die("not used by inspect");
  const page = <A>(results: ReadonlyArray<A>): Page<A> => ({ count: results.length, results });

  /** A client answering one list page and the given log, recording list and log queries. */
  const client = (
    ads: ReadonlyArray<WireAd>,
    log: ReadonlyArray<LogEntry>,
    calls: Array<readonly [string, ListQuery | LogQuery | undefined]>,
  ): ProImportClient => ({
    requests: proImportRequests(),
    create: unused,
    get: unused,
    replace: unused,
    patch: unused,
    remove: unused,
    bump: unused,
    polePosition: unused,
    validate: unused,
    migrate: unused,
    referenceData: unused,
    list: (_version, query) => {
      calls.push(["list", query]);
      return Effect.succeed(page(ads));
    },
    logs: (_version, _sourceId, query) => {
      calls.push(["logs", query]);
      return Effect.succeed(page(log));
    },
  });

  it.effect(
    "reads a pending request's log through /log when the list's last 100 entries lack it",
    () =>
      Effect.gen(function* () {
        const calls: Array<readonly [string, ListQuery | LogQuery | undefined]> = [];
        const older = { ...entryOf("publish", 0), request_id: "ours" };
        const newer = Array.from({ length: 100 }, (_, index) => entryOf("media_ok", index + 1));
        const { inspect } = makeProImportInspect({
          marketplace: "blocket",
          client: client([adWith(newer)], [older], calls),
          versionOf: () => "v4",
          logPageSize: 100,
          listPage: { size: 100, settings: { include: "log" } },
        });
        const inspection = yield* inspect({
          listings: [{ ...listing, requestId: "ours", pending: "create" }],
          mode: "full",
        });
        expect(inspection.sightings.get("car-1")).toMatchObject({ status: "succeeded" });
        expect(calls).toEqual([
          ["list", { source_id__in: "car-1", include: "log", limit: 100, offset: 0 }],
          ["logs", { ordering: "-created", request_id: "ours", limit: 100, offset: 0 }],
        ]);
      }),
  );

  it.effect("splits a page of long ids so the URL stays within the budget", () =>
    Effect.gen(function* () {
      const calls: Array<readonly [string, ListQuery | LogQuery | undefined]> = [];
      const { inspect } = makeProImportInspect({
        marketplace: "tradera",
        client: client([], [], calls),
        versionOf: () => "v3",
        logPageSize: 50,
        listPage: { size: 100 },
      });
      const long = (index: number): InspectedListing<WirePayload> => {
        const id = `${String(index).padStart(3, "0")}${"x".repeat(97)}`;
        return { ...listing, adId: id, ref: { ...listing.ref, remoteId: id } };
      };
      const inspection = yield* inspect({
        listings: Array.from({ length: 100 }, (_, index) => long(index)),
        mode: "full",
      });
      // 59 ids of 100 characters and their commas fit in 6,000 characters.
      expect(calls.map(([, query]) => String(query?.source_id__in).split(",").length)).toEqual([
        59, 41,
      ]);
      expect(inspection.sightings.size).toBe(100);
    }),
  );
});
