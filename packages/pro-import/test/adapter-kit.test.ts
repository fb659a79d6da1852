import { AdsyncError, VehicleAd } from "@adsync/core";
import { describe, expect, it } from "@effect/vitest";
import { Effect, Either, Option, Schema } from "effect";
import {
  type LogEntry,
  type LogQuery,
  makeProImportAdapter,
  newestRequestId,
  type Page,
  type ProImportClient,
  type ProImportDialect,
  type ProImportListing,
  proImportRequests,
  type WireAd,
  WirePayload,
} from "../src/index.ts";

const entry = (
  action: string,
  state: string,
  created: string | null,
  requestId: string | null,
): LogEntry => ({ action, state, created, request_id: requestId, external_message: null });

describe("newestRequestId", () => {
  it("is the request of the newest entry", () => {
    expect(
      newestRequestId([
        entry("create", "done", "2026-02-01 10:00:00", "a"),
        entry("update", "processing", "2026-02-01 10:00:05", "b"),
        entry("bump", "done", "2026-02-01 10:00:03", "c"),
      ]),
    ).toBe("b");
  });

  it("on equal timestamps the later entry of the log wins (logs list oldest first)", () => {
    expect(
      newestRequestId([
        entry("create", "done", "2026-02-01 10:00:00", "a"),
        entry("update", "processing", "2026-02-01 10:00:00", "b"),
      ]),
    ).toBe("b");
  });

  it("skips entries without a request id, and answers undefined for none", () => {
    expect(
      newestRequestId([
        entry("create", "done", "2026-02-01 10:00:00", "a"),
        entry("update", "done", "2026-02-01 10:00:09", null),
      ]),
    ).toBe("a");
    expect(newestRequestId([])).toBeUndefined();
  });
});

// --- the shared operation flow, over a recording client -------------------------------------

interface Call {
  readonly method: string;
  readonly sourceId?: string | undefined;
  readonly payload?: WirePayload | undefined;
  readonly query?: LogQuery | undefined;
}

const ad = Schema.decodeUnknownSync(VehicleAd)({
  id: "ad-1",
  category: "car",
  description: "A car.",
  price: { list: { amount: 100, currency: "SEK" } },
  vehicle: { make: "Volvo", model: "XC90", modelYear: 2019 },
});

const answer = (log: ReadonlyArray<LogEntry>, fields: Partial<WireAd> = {}): WireAd => ({
  source_id: "ad-1",
  state: "created",
  visible: true,
  log,
  ...fields,
});

const unused = () => Effect.die("not used in this test");

const recordingClient = (
  calls: Array<Call>,
  answers: Partial<
    Record<keyof ProImportClient, (call: Call) => Effect.Effect<WireAd, AdsyncError>>
  >,
  logPages: ReadonlyArray<Page<LogEntry>> = [],
): ProImportClient => {
  const handle = (method: keyof ProImportClient, call: Call) => {
    calls.push(call);
    const respond = answers[method];
    return respond === undefined ? Effect.die(`unexpected ${method}`) : respond(call);
  };
  return {
    requests: proImportRequests(),
    create: (_version, payload) => handle("create", { method: "create", payload }),
    get: (_version, sourceId) => handle("get", { method: "get", sourceId }),
    replace: (_version, sourceId, payload) =>
      handle("replace", { method: "replace", sourceId, payload }),
    patch: (_version, sourceId, payload) => handle("patch", { method: "patch", sourceId, payload }),
    remove: (_version, sourceId) => handle("remove", { method: "remove", sourceId }),
    bump: (_version, sourceId) => handle("bump", { method: "bump", sourceId }),
    polePosition: unused,
    validate: unused,
    migrate: (sourceId, payload) => handle("migrate", { method: "migrate", sourceId, payload }),
    list: unused,
    logs: (_version, sourceId, query) => {
      const page = logPages[calls.filter((call) => call.method === "logs").length];
      calls.push({ method: "logs", sourceId, query });
      return page === undefined ? Effect.die("no more log pages") : Effect.succeed(page);
    },
    referenceData: unused,
  };
};

const dialect = (client: ProImportClient): ProImportDialect => ({
  marketplace: "blocket",
  capabilities: {
    patchUpdates: true,
    hide: true,
    renew: true,
    promote: false,
    schedule: false,
    remoteValidation: false,
    costPreview: false,
    batchPublication: false,
  },
  client,
  payloadSchema: WirePayload,
  prepare: () => Either.right({ payload: {}, warnings: [] }),
  createVersion: "v4",
  versionOf: () => "v4",
  createBody: (created, content) => ({ source_id: created.id, ...content }),
  replaceBody: (_listing, content) => content,
  patchBody: (_listing, changes) => changes,
  isDuplicate: (error) => error.reason === "Conflict",
  isDeleted: (ad) => ad.state === "deleted",
  meta: (_ad, version) => ({ apiVersion: version }),
  revive: (_ad, _listing, content) => client.replace("v4", "ad-1", content),
  logPageSize: 100,
  listPage: { size: 100, settings: { include: "log" } },
  bump: () => ({ version: "v3", options: {} }),
});

const listing = (payload: WirePayload, requestId?: string): ProImportListing => ({
  ref: { remoteId: "ad-1", ids: {}, meta: { apiVersion: "v4" } },
  payload,
  ...(requestId === undefined ? {} : { requestId }),
});

const content = { body: "A car.", price: [{ type: "list", amount: 100, currency: "SEK" }] };

describe("makeProImportAdapter", () => {
  it.effect("observe reads only the entries of the listing's request", () =>
    Effect.gen(function* () {
      const calls: Array<Call> = [];
      const adapter = makeProImportAdapter(
        dialect(
          recordingClient(calls, {
            get: () =>
              Effect.succeed(
                answer(
                  [
                    entry("create", "error", "2026-02-01 10:00:00", "old"),
                    entry("update", "processing", "2026-02-01 10:00:01", "other"),
                    entry("update", "done", "2026-02-01 10:00:02", "ours"),
                    entry("publish", "done", "2026-02-01 10:00:03", "ours"),
                  ],
                  { blocket_ad_id: 1 },
                ),
              ),
          }),
        ),
      );
      const progress = yield* adapter.observe(listing(content, "ours"));
      expect(progress.status).toBe("succeeded");
      expect(progress.presence).toBe("live");
      expect(calls.map((call) => call.method)).toEqual(["get"]);
    }),
  );

  it.effect(
    "observe pages through /log when the ad's last 100 entries hold none of the request's",
    () =>
      Effect.gen(function* () {
        const calls: Array<Call> = [];
        const recent = Array.from({ length: 100 }, (_, index) =>
          entry(
            "bump",
            "done",
            `2026-02-02 10:00:${String(index % 60).padStart(2, "0")}`,
            `b${index}`,
          ),
        );
        const ours = [
          entry("update", "done", "2026-02-01 10:00:00", "ours"),
          entry("handle_media", "error", "2026-02-01 10:00:01", "ours"),
        ];
        const adapter = makeProImportAdapter(
          dialect(
            recordingClient(
              calls,
              { get: () => Effect.succeed(answer(recent, { blocket_ad_id: 1 })) },
              [
                { count: 102, next: "page-2", results: recent.slice(0, 100) },
                { count: 102, next: null, results: ours },
              ],
            ),
          ),
        );
        const progress = yield* adapter.observe(listing(content, "ours"));
        expect(progress.status).toBe("succeeded_with_warnings");
        expect(calls.map((call) => [call.method, call.query?.offset])).toEqual([
          ["get", undefined],
          ["logs", 0],
          ["logs", 100],
        ]);
        expect(calls[1]?.query).toMatchObject({ limit: 100, request_id: "ours" });
      }),
  );

  it.effect("create follows the request its answer started", () =>
    Effect.gen(function* () {
      const calls: Array<Call> = [];
      const adapter = makeProImportAdapter(
        dialect(
          recordingClient(calls, {
            create: () =>
              Effect.succeed(
                answer([
                  entry("create", "processing", "2026-02-01 10:00:00", "r1"),
                  entry("publish", "processing", "2026-02-01 10:00:00", "r1"),
                ]),
              ),
          }),
        ),
      );
      const submitted = yield* adapter.create(ad, { payload: content, warnings: [] });
      expect(submitted.requestId).toBe("r1");
      expect(submitted.progress).toMatchObject({ status: "pending", presence: "pending" });
      expect(calls).toEqual([{ method: "create", payload: { source_id: "ad-1", ...content } }]);
    }),
  );

  it.effect(
    "a duplicate source_id on create adopts the existing ad instead of creating twice",
    () =>
      Effect.gen(function* () {
        const calls: Array<Call> = [];
        const adapter = makeProImportAdapter(
          dialect(
            recordingClient(calls, {
              create: () =>
                Effect.fail(
                  new AdsyncError({ reason: "Conflict", status: 409, message: "already exists" }),
                ),
              get: () =>
                Effect.succeed(
                  // The marketplace holds exactly our content: nothing is left to send.
                  answer([entry("create", "done", "2026-02-01 10:00:00", "first")], {
                    blocket_ad_id: 7,
                    ...content,
                  }),
                ),
            }),
          ),
        );
        const submitted = yield* adapter.create(ad, { payload: content, warnings: [] });
        expect(calls.map((call) => call.method)).toEqual(["create", "get"]);
        expect(submitted.requestId).toBe("first");
        expect(submitted.ref.ids).toEqual({ blocket_ad_id: "7" });
      }),
  );

  it.effect("a duplicate of a deleted ad revives it with a full PUT", () =>
    Effect.gen(function* () {
      const calls: Array<Call> = [];
      const adapter = makeProImportAdapter(
        dialect(
          recordingClient(calls, {
            create: () =>
              Effect.fail(new AdsyncError({ reason: "Conflict", status: 409, message: "exists" })),
            get: () => Effect.succeed(answer([], { state: "deleted" })),
            replace: () =>
              Effect.succeed(answer([entry("update", "processing", "2026-02-01 10:00:00", "r2")])),
          }),
        ),
      );
      const submitted = yield* adapter.create(ad, { payload: content, warnings: [] });
      expect(calls.map((call) => call.method)).toEqual(["create", "get", "replace"]);
      expect(calls[2]?.payload).toEqual(content);
      expect(submitted.requestId).toBe("r2");
    }),
  );

  it.effect(
    "a duplicate of a deleted ad the dialect cannot revive fails with a conflict on id",
    () =>
      Effect.gen(function* () {
        const calls: Array<Call> = [];
        const client = recordingClient(calls, {
          create: () =>
            Effect.fail(new AdsyncError({ reason: "Conflict", status: 409, message: "exists" })),
          get: () => Effect.succeed(answer([], { state: "deleted" })),
        });
        const adapter = makeProImportAdapter({ ...dialect(client), revive: () => undefined });
        const error = yield* Effect.flip(adapter.create(ad, { payload: content, warnings: [] }));
        expect(error.reason).toBe("Conflict");
        expect(error.isRetryable).toBe(false);
        expect(error.issues).toEqual([expect.objectContaining({ path: "id", code: "conflict" })]);
        expect(calls.map((call) => call.method)).toEqual(["create", "get"]);
      }),
  );

  it.effect(
    "a retried delete that is refused because the first one landed follows that delete",
    () =>
      Effect.gen(function* () {
        const calls: Array<Call> = [];
        const adapter = makeProImportAdapter(
          dialect(
            recordingClient(calls, {
              remove: () =>
                Effect.fail(
                  new AdsyncError({
                    reason: "Rejected",
                    status: 400,
                    message: "This ad is already deleted.",
                  }),
                ),
              get: () =>
                Effect.succeed(
                  answer(
                    [
                      entry("create", "done", "2026-02-01 10:00:00", "c"),
                      entry("delete", "done", "2026-02-01 10:05:00", "d"),
                      entry("unpublish", "processing", "2026-02-01 10:05:00", "d"),
                    ],
                    { blocket_ad_id: 1 },
                  ),
                ),
            }),
          ),
        );
        const submitted = yield* adapter.remove(listing(content));
        expect(calls.map((call) => call.method)).toEqual(["remove", "get"]);
        expect(submitted.requestId).toBe("d");
        expect(submitted.progress).toMatchObject({ status: "pending", presence: "removed" });
      }),
  );

  it.effect("a refused delete with no delete in the log stays a failure", () =>
    Effect.gen(function* () {
      const calls: Array<Call> = [];
      const refusal = new AdsyncError({ reason: "Rejected", status: 400, message: "no" });
      const adapter = makeProImportAdapter(
        dialect(
          recordingClient(calls, {
            remove: () => Effect.fail(refusal),
            get: () =>
              Effect.succeed(answer([entry("create", "done", "2026-02-01 10:00:00", "c")])),
          }),
        ),
      );
      const error = yield* Effect.flip(adapter.remove(listing(content)));
      expect(error).toBe(refusal);
    }),
  );

  it.effect("update sends a PATCH of only the changes, or a PUT when a field was removed", () =>
    Effect.gen(function* () {
      const calls: Array<Call> = [];
      const ok = () =>
        Effect.succeed(answer([entry("update", "processing", "2026-02-01 10:00:00", "u")]));
      const adapter = makeProImportAdapter(
        dialect(recordingClient(calls, { patch: ok, replace: ok })),
      );
      const cheaper = { ...content, price: [{ type: "list", amount: 90, currency: "SEK" }] };
      yield* adapter.update(listing(content), ad, { payload: cheaper, warnings: [] });
      const { price: _dropped, ...withoutPrice } = content;
      yield* adapter.update(listing(content), ad, { payload: withoutPrice, warnings: [] });
      expect(calls).toEqual([
        { method: "patch", sourceId: "ad-1", payload: { price: cheaper.price } },
        { method: "replace", sourceId: "ad-1", payload: withoutPrice },
      ]);
    }),
  );

  it.effect("hide and show patch only the visibility", () =>
    Effect.gen(function* () {
      const calls: Array<Call> = [];
      const ok = () =>
        Effect.succeed(answer([entry("update", "processing", "2026-02-01 10:00:00", "v")]));
      const adapter = makeProImportAdapter(dialect(recordingClient(calls, { patch: ok })));
      yield* adapter.hide(listing(content));
      yield* adapter.show(listing(content));
      expect(calls.map((call) => call.payload)).toEqual([{ visible: false }, { visible: true }]);
    }),
  );
});

// --- the dialect's rules come from its hooks, never from the kit -------------------------------

describe("dialect hooks", () => {
  const notPublished = new AdsyncError({
    reason: "Rejected",
    status: 400,
    message: "refused",
    issues: [
      {
        path: "",
        code: "invalid_value",
        message: "Cannot update ad that has not been published yet.",
      },
    ],
  });
  const refusingUpdates = (calls: Array<Call>) =>
    recordingClient(calls, {
      patch: () => Effect.fail(notPublished),
      get: () =>
        Effect.succeed(answer([entry("create", "processing", "2026-02-01 10:00:00", "c")])),
    });
  const cheaper = { ...content, price: [{ type: "list", amount: 90, currency: "SEK" }] };

  it.effect(
    "an update refused while the create is processing is followed only where the dialect says so",
    () =>
      Effect.gen(function* () {
        const calls: Array<Call> = [];
        const following = makeProImportAdapter({
          ...dialect(refusingUpdates(calls)),
          createStillProcessing: (error) =>
            error.issues.some((entry) => /not been published yet/.test(entry.message)),
        });
        const followed = yield* following.update(listing(content), ad, {
          payload: cheaper,
          warnings: [],
        });
        expect(calls.map((call) => call.method)).toEqual(["patch", "get"]);
        expect(followed).toMatchObject({
          requestId: "c",
          payload: content,
          progress: { status: "pending" },
        });

        const plain = makeProImportAdapter(dialect(refusingUpdates([])));
        const refused = yield* Effect.flip(
          plain.update(listing(content), ad, { payload: cheaper, warnings: [] }),
        );
        expect(refused).toBe(notPublished);
      }),
  );

  it.effect(
    "what counts as deleted is the dialect's rule, for find and for a create's duplicate",
    () =>
      Effect.gen(function* () {
        // A done delete while the state still says "created" (Tradera's way of showing it).
        const deletedByLog = answer([entry("delete", "done", "2026-02-01 10:00:00", "d")]);
        const client = recordingClient([], { get: () => Effect.succeed(deletedByLog) });
        const byState = makeProImportAdapter(dialect(client));
        const byLog = makeProImportAdapter({
          ...dialect(client),
          isDeleted: (wire) =>
            wire.log.some((item) => item.action === "delete" && item.state === "done"),
        });
        const find = (adapter: typeof byState) => adapter.find?.("ad-1") ?? Effect.die("no find");
        expect(Option.isSome(yield* find(byState))).toBe(true);
        expect(Option.isNone(yield* find(byLog))).toBe(true);
      }),
  );

  it.effect("a special update's answer carries the meta the dialect gives it", () =>
    Effect.gen(function* () {
      const migrated = answer([entry("update", "processing", "2026-02-01 10:00:00", "m")]);
      const adapter = makeProImportAdapter({
        ...dialect(recordingClient([], {})),
        specialUpdate: () =>
          Effect.succeed({ ad: migrated, meta: { apiVersion: "v9", migrated: "yes" } }),
      });
      const submitted = yield* adapter.update(listing(content), ad, {
        payload: cheaper,
        warnings: [],
      });
      expect(submitted.ref.meta).toEqual({ apiVersion: "v9", migrated: "yes" });
    }),
  );
});
