import { describe, expect, it } from "@effect/vitest";
import fc from "fast-check";
import { type LogEntry, progressOf, type WireAd } from "../src/index.ts";

const request = "req-ours";
const meta = { apiVersion: "v4" };

const entry = (
  action: string,
  state: "processing" | "done" | "error",
  second: number,
  options: { readonly requestId?: string; readonly message?: string } = {},
): LogEntry => ({
  action,
  state,
  created: `2026-02-01 10:00:${String(second).padStart(2, "0")}`,
  request_id: options.requestId ?? request,
  external_message: options.message ?? null,
});

/** An ad as GET /ad/{source_id} answers it; `log` is every entry, of every request. */
const wireAd = (fields: Partial<WireAd> = {}): WireAd => ({
  source_id: "ad-1",
  state: "created",
  visible: true,
  log: [],
  ...fields,
});

const published = { blocket_ad_id: 1200000001, blocket_store_id: "77", bytbil_ad_id: 30000001 };

/** Reads the status of our request, whose entries are also the whole log unless told. */
const progress = (log: ReadonlyArray<LogEntry>, fields: Partial<WireAd> = {}) =>
  progressOf("blocket", wireAd({ log, ...fields }), log, meta);

describe("progressOf", () => {
  it("a new ad whose create is processing: operation pending, presence pending", () => {
    const result = progress([entry("create", "processing", 1), entry("publish", "processing", 1)]);
    expect(result.status).toBe("pending");
    expect(result.presence).toBe("pending");
    expect(result.issues).toBeUndefined();
    expect(result.ref).toEqual({ remoteId: "ad-1", ids: {}, meta });
  });

  it("no entry of our request yet: still pending", () => {
    const result = progressOf("blocket", wireAd(), [], meta);
    expect(result.status).toBe("pending");
    expect(result.presence).toBe("pending");
  });

  it("create done but publish still processing: pending", () => {
    const result = progress([entry("create", "done", 1), entry("publish", "processing", 2)]);
    expect(result.status).toBe("pending");
    expect(result.presence).toBe("pending");
  });

  it("an update processing on a published ad leaves it live", () => {
    const result = progress([entry("update", "processing", 1)], published);
    expect(result).toMatchObject({ status: "pending", presence: "live" });
  });

  it("every action done on a published ad: succeeded and live, with the ad's ids", () => {
    const result = progress(
      [entry("create", "done", 1), entry("handle_media", "done", 2), entry("publish", "done", 3)],
      published,
    );
    expect(result.status).toBe("succeeded");
    expect(result.presence).toBe("live");
    expect(result.warnings).toEqual([]);
    expect(result.ref).toEqual({
      remoteId: "ad-1",
      ids: { blocket_ad_id: "1200000001", blocket_store_id: "77", bytbil_ad_id: "30000001" },
      meta,
    });
  });

  it("a publish done in the log counts as published even before an ad id is shown", () => {
    const result = progress([entry("create", "done", 1), entry("publish", "done", 2)]);
    expect(result).toMatchObject({ status: "succeeded", presence: "live" });
  });

  it("a handle_media error: succeeded with warnings on images, still live", () => {
    const message = "Failed to download image from URL: https://cdn.example.com/broken.jpg";
    const result = progress(
      [
        entry("create", "done", 1),
        entry("handle_media", "error", 2, { message }),
        entry("publish", "done", 3),
      ],
      published,
    );
    expect(result.status).toBe("succeeded_with_warnings");
    expect(result.presence).toBe("live");
    expect(result.issues).toBeUndefined();
    expect(result.warnings).toEqual([
      {
        path: "images",
        code: "remote_error",
        message,
        marketplace: "blocket",
        marketplacePath: "log.handle_media",
      },
    ]);
  });

  it.each(["create", "publish"])("a %s error fails the request with its message", (action) => {
    const message = `${action} went wrong: category not allowed`;
    const log = [
      entry("create", action === "create" ? "error" : "done", 1, {
        ...(action === "create" ? { message } : {}),
      }),
      ...(action === "publish" ? [entry("publish", "error", 2, { message })] : []),
    ];
    const result = progress(log);
    expect(result.status).toBe("failed");
    expect(result.presence).toBe("absent");
    expect(result.issues).toEqual([
      {
        path: "",
        code: "remote_error",
        message,
        marketplace: "blocket",
        marketplacePath: `log.${action}`,
      },
    ]);
  });

  it("a failed create whose other actions are still processing leaves no pending presence", () => {
    const result = progress([entry("create", "error", 1), entry("publish", "processing", 1)]);
    expect(result.status).toBe("failed");
    expect(result.presence).toBe("absent");
  });

  it("a failed action without a message still gets an issue", () => {
    const result = progress([entry("update", "error", 1)], published);
    expect(result.status).toBe("failed");
    expect(result.presence).toBe("live");
    expect(result.issues).toEqual([
      expect.objectContaining({ code: "remote_error", message: "update failed" }),
    ]);
  });

  it("Tradera: a delete done while the ad still says state 'created' means removed", () => {
    // Tradera keeps `state: "created"` after a delete; only the delete action's log says it.
    const result = progressOf(
      "tradera",
      wireAd({ state: "created", offer_id: 555, log: [entry("delete", "done", 5)] }),
      [entry("delete", "done", 5)],
      meta,
    );
    expect(result).toMatchObject({ status: "succeeded", presence: "removed" });
  });

  it("Blocket: state 'deleted' means removed", () => {
    const result = progress([entry("delete", "done", 1), entry("unpublish", "done", 2)], {
      ...published,
      state: "deleted",
    });
    expect(result).toMatchObject({ status: "succeeded", presence: "removed" });
  });

  it("visible false on a published ad means hidden", () => {
    const result = progress([entry("update", "done", 1), entry("publish", "done", 2)], {
      ...published,
      visible: false,
    });
    expect(result).toMatchObject({ status: "succeeded", presence: "hidden" });
  });

  it("ignores the entries of other requests in the ad's log", () => {
    const ours = [entry("update", "done", 30), entry("publish", "done", 31)];
    const log = [
      entry("create", "error", 1, { requestId: "req-old", message: "old failure" }),
      entry("handle_media", "error", 2, { requestId: "req-old", message: "old image" }),
      entry("update", "processing", 3, { requestId: "req-other" }),
      ...ours,
    ];
    const result = progressOf("blocket", wireAd({ ...published, log }), ours, meta);
    expect(result.status).toBe("succeeded");
    expect(result.presence).toBe("live");
    expect(result.warnings).toEqual([]);
  });

  it("the latest entry of an action wins, whatever order the log lists them in", () => {
    const result = progress(
      [entry("update", "done", 9), entry("update", "processing", 1), entry("publish", "done", 10)],
      published,
    );
    expect(result.status).toBe("succeeded");
  });

  it("keeps the marketplace's words beside the normalized status", () => {
    const result = progress([entry("update", "done", 1)], { ...published, visible: false });
    expect(result.raw).toEqual({
      state: "created",
      visible: false,
      actions: [{ action: "update", state: "done" }],
    });
  });
});

// --- property ------------------------------------------------------------------------------

const failingActions = new Set(["create", "update", "publish", "delete", "unpublish", "bump"]);

// Distinct `created` values make "the latest entry of an action" unambiguous; the array order
// is random, so the reducer must not rely on the log's order.
const logArbitrary = fc
  .uniqueArray(
    fc.record({
      action: fc.constantFrom(
        "create",
        "update",
        "bump",
        "handle_media",
        "publish",
        "delete",
        "unpublish",
        "retry",
      ),
      state: fc.constantFrom("processing", "done", "error"),
      second: fc.integer({ min: 0, max: 9999 }),
      message: fc.option(fc.string({ minLength: 1, maxLength: 30 }), { nil: null }),
    }),
    { selector: (generated) => generated.second, maxLength: 12 },
  )
  .map((generated) =>
    generated.map(
      (item): LogEntry => ({
        action: item.action,
        state: item.state,
        created: `2026-02-01 ${String(item.second).padStart(6, "0")}`,
        request_id: request,
        external_message: item.message,
      }),
    ),
  );

const adArbitrary = fc.record({
  state: fc.constantFrom("created", "deleted"),
  visible: fc.constantFrom(true, false, null, undefined),
  blocket_ad_id: fc.constantFrom(null, undefined, 1200000001, "1200000002"),
});

/** The latest entry per action, by `created` (distinct in these logs). */
const latest = (log: ReadonlyArray<LogEntry>): ReadonlyArray<LogEntry> => {
  const byAction = new Map<string, LogEntry>();
  for (const candidate of log) {
    const known = byAction.get(candidate.action);
    if (known === undefined || (known.created ?? "") < (candidate.created ?? ""))
      byAction.set(candidate.action, candidate);
  }
  return [...byAction.values()];
};

describe("progressOf, for any log of our request", () => {
  it("fails only with issues, and is pending exactly while nothing failed and something is processing (or nothing started)", () => {
    fc.assert(
      fc.property(logArbitrary, adArbitrary, (log, fields) => {
        const result = progressOf("blocket", wireAd({ ...fields, log }), log, meta);
        const actions = latest(log);
        const anyFailed = actions.some(
          (candidate) => candidate.state === "error" && failingActions.has(candidate.action),
        );
        const processing =
          actions.length === 0 || actions.some((candidate) => candidate.state === "processing");
        if (result.status === "failed") expect(result.issues?.length ?? 0).toBeGreaterThan(0);
        expect(result.status === "failed").toBe(anyFailed);
        expect(result.status === "pending").toBe(!anyFailed && processing);
      }),
    );
  });

  it("never says presence pending once the request's status is terminal", () => {
    fc.assert(
      fc.property(logArbitrary, adArbitrary, (log, fields) => {
        const result = progressOf("blocket", wireAd({ ...fields, log }), log, meta);
        if (result.status !== "pending") expect(result.presence).not.toBe("pending");
      }),
    );
  });
});
