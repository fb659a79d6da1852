import { describe, expect, it } from "@effect/vitest";
import fc from "fast-check";
import {
  type Issue,
  initialState,
  issue,
  isTerminal,
  type ListingState,
  type Observation,
  type OperationKind,
  type OperationStatus,
  type Presence,
  reduce,
  reduceAll,
} from "../src/index.ts";

// --- arbitraries ---------------------------------------------------------------------------

const presences: ReadonlyArray<Presence> = [
  "absent",
  "draft",
  "pending",
  "live",
  "hidden",
  "removed",
];
const kinds: ReadonlyArray<OperationKind> = [
  "create",
  "update",
  "hide",
  "show",
  "renew",
  "promote",
  "remove",
];
const statuses: ReadonlyArray<OperationStatus> = [
  "pending",
  "succeeded",
  "succeeded_with_warnings",
  "failed",
];

/** A small pool so that observations of stale, current and future operations mix. */
const operationId = fc.constantFrom("op-a", "op-b", "op-c");
const presence = fc.constantFrom(...presences);
const optionalPresence = fc.option(presence, { nil: undefined });
const anIssue: fc.Arbitrary<Issue> = fc
  .record({
    path: fc.constantFrom("", "title", "images.3", "vehicle.make"),
    code: fc.constantFrom("required", "too_long", "invalid_value", "remote_error" as const),
    message: fc.constantFrom("bad", "too long", "image failed"),
  })
  .map(({ path, code, message }) => issue(path, code, message));
const issues = fc.array(anIssue, { maxLength: 3 });
const optionalIssues = fc.option(issues, { nil: undefined });
const notes = fc.option(
  fc.array(fc.constantFrom("enrichment pending", "bumped"), { maxLength: 2 }),
  {
    nil: undefined,
  },
);
const raw = fc.option(fc.constantFrom("processing", "done", { state: "visible" }), {
  nil: undefined,
});

/** An observation without its time: times are assigned in increasing order afterwards. */
type Timeless = Observation extends infer O ? (O extends unknown ? Omit<O, "at"> : never) : never;

const timelessObservation: fc.Arbitrary<Timeless> = fc.oneof(
  fc.record({
    _tag: fc.constant("Started" as const),
    operationId,
    kind: fc.constantFrom(...kinds),
  }),
  fc.record({
    _tag: fc.constant("Accepted" as const),
    operationId,
    requestId: fc.option(fc.constantFrom("req-1", "req-2"), { nil: undefined }),
    status: fc.constantFrom(...statuses),
    presence: optionalPresence,
    issues: optionalIssues,
    warnings: optionalIssues,
    raw,
  }),
  fc.record({ _tag: fc.constant("Rejected" as const), operationId, issues }),
  fc.record({
    _tag: fc.constant("Progress" as const),
    operationId,
    status: fc.constantFrom(...statuses),
    presence: optionalPresence,
    issues: optionalIssues,
    warnings: optionalIssues,
    notes,
    raw,
  }),
  fc.record({
    _tag: fc.constant("Seen" as const),
    presence,
    issues: optionalIssues,
    warnings: optionalIssues,
    drift: fc.option(fc.boolean(), { nil: undefined }),
    notes,
    raw,
  }),
);

const observations: fc.Arbitrary<ReadonlyArray<Observation>> = fc
  .array(fc.tuple(timelessObservation, fc.integer({ min: 0, max: 5_000 })), { maxLength: 40 })
  .map((steps) => {
    let at = 1_700_000_000_000;
    return steps.map(([observation, gap]) => {
      at += gap;
      const timed: Observation = { ...observation, at };
      return timed;
    });
  });

// --- invariants ----------------------------------------------------------------------------

/** Invariants that hold for every state the reducer can reach. */
const checkState = (state: ListingState) => {
  const operation = state.operation;
  if (state.presence === "pending") {
    expect(operation?.status).toBe("pending");
  }
  // What the marketplace said is kept only while it says something.
  if (state.seen !== undefined) {
    expect(state.seen.issues.length + state.seen.warnings.length).toBeGreaterThan(0);
  }
  if (operation === undefined) return;
  expect(operation.presenceBefore).not.toBe("pending");
  if (operation.status === "failed") expect(operation.issues.length).toBeGreaterThan(0);
  else expect(operation.issues).toEqual([]);
  if (operation.status === "succeeded") expect(operation.warnings).toEqual([]);
  if (operation.status === "succeeded_with_warnings") {
    expect(operation.warnings.length).toBeGreaterThan(0);
  }
  expect(operation.settledAt !== undefined).toBe(isTerminal(operation.status));
  if (operation.settledAt !== undefined) {
    expect(operation.settledAt).toBeGreaterThanOrEqual(operation.startedAt);
  }
};

/** Invariants of one step: what `observation` may and may not change. */
const checkStep = (before: ListingState, observation: Observation, after: ListingState) => {
  const current = before.operation;
  if (observation._tag === "Seen") {
    // A plain sighting never touches our operation; it decides the presence only when no
    // operation of ours is pending.
    expect(after.operation).toBe(current);
    const decides = current?.status !== "pending" && observation.presence !== "pending";
    expect(after.presence).toBe(decides ? observation.presence : before.presence);
    // Its issues and warnings replace the last ones when it carries any list; else they stay.
    if (observation.issues === undefined && observation.warnings === undefined) {
      expect(after.seen).toBe(before.seen);
    } else {
      expect(after.seen?.issues ?? []).toEqual(observation.issues ?? []);
      expect(after.seen?.warnings ?? []).toEqual(observation.warnings ?? []);
    }
    return;
  }
  if (observation._tag === "Started") {
    if (current?.id === observation.operationId) {
      expect(after).toBe(before);
    } else {
      expect(after.operation).toMatchObject({
        id: observation.operationId,
        kind: observation.kind,
        status: "pending",
        startedAt: observation.at,
        issues: [],
        warnings: [],
      });
      // A create of a listing that is not there makes it pending; anything else leaves it be.
      const presenceBefore = after.operation?.presenceBefore;
      const creating =
        observation.kind === "create" &&
        (presenceBefore === "absent" || presenceBefore === "removed");
      expect(after.presence).toBe(creating ? "pending" : presenceBefore);
      if (before.presence !== "pending") expect(presenceBefore).toBe(before.presence);
    }
    return;
  }
  // Accepted, Progress, Rejected: only the current, unsettled operation may move.
  if (current === undefined || current.id !== observation.operationId) {
    expect(after).toBe(before);
    return;
  }
  if (isTerminal(current.status)) {
    // Terminal stays terminal: later news of the same request is ignored.
    expect(after).toBe(before);
    return;
  }
  const operation = after.operation;
  expect(operation?.id).toBe(current.id);
  expect(operation?.kind).toBe(current.kind);
  expect(operation?.startedAt).toBe(current.startedAt);
  expect(operation?.presenceBefore).toBe(current.presenceBefore);
  if (operation?.status === "failed") {
    // A failed operation leaves the listing where it was, unless the marketplace said otherwise.
    const observed = observation._tag === "Rejected" ? undefined : observation.presence;
    const expected =
      observed === undefined || observed === "pending" ? current.presenceBefore : observed;
    expect(after.presence).toBe(expected);
    expect(operation.settledAt).toBe(observation.at);
  }
  // Warnings learned earlier in the operation are never dropped.
  for (const warning of current.warnings) expect(operation?.warnings).toContainEqual(warning);
};

describe("lifecycle reducer — properties", () => {
  it("keeps every invariant after every step of any observation sequence", () => {
    fc.assert(
      fc.property(observations, (sequence) => {
        let state = initialState;
        checkState(state);
        for (const observation of sequence) {
          const next = reduce(state, observation);
          checkState(next);
          checkStep(state, observation, next);
          state = next;
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it("never changes a terminal operation while it stays the current one", () => {
    fc.assert(
      fc.property(observations, (sequence) => {
        let state = initialState;
        let settled: ListingState["operation"];
        for (const observation of sequence) {
          state = reduce(state, observation);
          const operation = state.operation;
          if (operation === undefined) continue;
          if (settled !== undefined && settled.id === operation.id) {
            expect(operation).toBe(settled);
          } else {
            settled = isTerminal(operation.status) ? operation : undefined;
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it("ignores every observation of an operation that is not the current one", () => {
    const stale = fc.record({
      state: observations.map((sequence) => reduceAll(initialState, sequence)),
      observation: timelessObservation.filter(
        (observation) => observation._tag !== "Started" && observation._tag !== "Seen",
      ),
      at: fc.integer({ min: 1_800_000_000_000, max: 1_900_000_000_000 }),
    });
    fc.assert(
      fc.property(stale, ({ state, observation, at }) => {
        const timed: Observation = { ...observation, at };
        fc.pre(timed.operationId !== state.operation?.id);
        expect(reduce(state, timed)).toBe(state);
      }),
      { numRuns: 500 },
    );
  });

  it("reduceAll is the left fold of reduce", () => {
    fc.assert(
      fc.property(observations, (sequence) => {
        const folded = sequence.reduce(reduce, initialState);
        expect(reduceAll(initialState, sequence)).toEqual(folded);
      }),
      { numRuns: 200 },
    );
  });

  it("is pure: the same sequence always yields the same state and the input is not mutated", () => {
    fc.assert(
      fc.property(observations, (sequence) => {
        const snapshot = structuredClone(sequence);
        const first = reduceAll(initialState, sequence);
        const second = reduceAll(initialState, sequence);
        expect(second).toEqual(first);
        expect(sequence).toEqual(snapshot);
        expect(initialState).toEqual({ presence: "absent", notes: [] });
      }),
      { numRuns: 200 },
    );
  });
});

// --- the DESIGN.md table, as examples -------------------------------------------------------

const t0 = 1_700_000_000_000;
const started = (operationId: string, kind: OperationKind, at = t0): Observation => ({
  _tag: "Started",
  operationId,
  kind,
  at,
});
const imageFailed = issue("images.3", "invalid_value", "image could not be downloaded", {
  marketplace: "blocket",
});
const titleTooLong = issue("title", "too_long", "title is too long", { marketplace: "blocket" });

/** A listing that a create made live. */
const liveListing = reduceAll(initialState, [
  started("op-create", "create"),
  { _tag: "Accepted", operationId: "op-create", status: "succeeded", presence: "live", at: t0 + 1 },
]);

describe("lifecycle reducer — the lifecycle table", () => {
  it("a create that started makes an absent listing pending", () => {
    const state = reduce(initialState, started("op-1", "create"));
    expect(state.presence).toBe("pending");
    expect(state.operation).toEqual({
      id: "op-1",
      kind: "create",
      status: "pending",
      startedAt: t0,
      issues: [],
      warnings: [],
      presenceBefore: "absent",
    });
  });

  it("Pro Import: processing, then every action done and visible → live, succeeded", () => {
    const accepted = reduceAll(initialState, [
      started("op-1", "create"),
      {
        _tag: "Accepted",
        operationId: "op-1",
        requestId: "req-1",
        status: "pending",
        raw: "processing",
        at: t0 + 1,
      },
    ]);
    expect(accepted.presence).toBe("pending");
    expect(accepted.operation?.status).toBe("pending");
    expect(accepted.operation?.requestId).toBe("req-1");
    const done = reduce(accepted, {
      _tag: "Progress",
      operationId: "op-1",
      status: "succeeded",
      presence: "live",
      raw: "done",
      at: t0 + 2,
    });
    expect(done.presence).toBe("live");
    expect(done.operation).toMatchObject({
      status: "succeeded",
      requestId: "req-1",
      settledAt: t0 + 2,
      warnings: [],
    });
    expect(done.raw).toBe("done");
  });

  it("Pro Import: handle_media error with the ad still published → live, succeeded with warnings", () => {
    const state = reduceAll(initialState, [
      started("op-1", "create"),
      { _tag: "Accepted", operationId: "op-1", requestId: "req-1", status: "pending", at: t0 + 1 },
      {
        _tag: "Progress",
        operationId: "op-1",
        status: "succeeded",
        presence: "live",
        warnings: [imageFailed],
        at: t0 + 2,
      },
    ]);
    expect(state.presence).toBe("live");
    expect(state.operation?.status).toBe("succeeded_with_warnings");
    expect(state.operation?.warnings).toEqual([imageFailed]);
  });

  it("Pro Import: visible false after a hide → hidden, succeeded", () => {
    const state = reduceAll(liveListing, [
      started("op-hide", "hide", t0 + 10),
      { _tag: "Progress", operationId: "op-hide", status: "succeeded", at: t0 + 11 },
    ]);
    expect(state.presence).toBe("hidden");
    expect(state.operation?.status).toBe("succeeded");
  });

  it("a failed update of a live listing leaves it live", () => {
    const pending = reduce(liveListing, started("op-update", "update", t0 + 10));
    expect(pending.presence).toBe("live");
    expect(pending.operation?.presenceBefore).toBe("live");
    const failed = reduce(pending, {
      _tag: "Rejected",
      operationId: "op-update",
      issues: [titleTooLong],
      at: t0 + 11,
    });
    expect(failed.presence).toBe("live");
    expect(failed.operation).toMatchObject({
      kind: "update",
      status: "failed",
      issues: [titleTooLong],
      settledAt: t0 + 11,
    });
  });

  it("a failed update stays live even when the marketplace reported it processing meanwhile", () => {
    const state = reduceAll(liveListing, [
      started("op-update", "update", t0 + 10),
      {
        _tag: "Accepted",
        operationId: "op-update",
        status: "pending",
        presence: "pending",
        at: t0 + 11,
      },
      {
        _tag: "Progress",
        operationId: "op-update",
        status: "failed",
        issues: [titleTooLong],
        at: t0 + 12,
      },
    ]);
    expect(state.presence).toBe("live");
    expect(state.operation?.status).toBe("failed");
  });

  it("a failed create leaves the listing absent", () => {
    const state = reduceAll(initialState, [
      started("op-1", "create"),
      { _tag: "Rejected", operationId: "op-1", issues: [titleTooLong], at: t0 + 1 },
    ]);
    expect(state.presence).toBe("absent");
    expect(state.operation?.issues).toEqual([titleTooLong]);
  });

  it("a failure reported without issues still carries one issue", () => {
    const state = reduceAll(initialState, [
      started("op-1", "create"),
      { _tag: "Rejected", operationId: "op-1", issues: [], at: t0 + 1 },
    ]);
    expect(state.operation?.status).toBe("failed");
    expect(state.operation?.issues).toHaveLength(1);
  });

  it("a remove that succeeded → removed", () => {
    const state = reduceAll(liveListing, [
      started("op-remove", "remove", t0 + 10),
      { _tag: "Accepted", operationId: "op-remove", status: "pending", at: t0 + 11 },
      { _tag: "Progress", operationId: "op-remove", status: "succeeded", at: t0 + 12 },
    ]);
    expect(state.presence).toBe("removed");
    expect(state.operation).toMatchObject({ kind: "remove", status: "succeeded" });
  });

  it("a create after a removal starts pending again", () => {
    const removed = reduceAll(liveListing, [
      started("op-remove", "remove", t0 + 10),
      { _tag: "Accepted", operationId: "op-remove", status: "succeeded", at: t0 + 11 },
    ]);
    const recreated = reduce(removed, started("op-create-2", "create", t0 + 20));
    expect(recreated.presence).toBe("pending");
    expect(recreated.operation?.presenceBefore).toBe("removed");
  });

  it("Marktplaats: a synchronous 201 with status online → live, succeeded, notes kept", () => {
    const state = reduceAll(initialState, [
      started("op-1", "create"),
      { _tag: "Accepted", operationId: "op-1", status: "succeeded", presence: "live", at: t0 + 1 },
      {
        _tag: "Seen",
        presence: "live",
        notes: ["licence-plate enrichment pending"],
        at: t0 + 2,
      },
    ]);
    expect(state.presence).toBe("live");
    expect(state.operation?.status).toBe("succeeded");
    expect(state.notes).toEqual(["licence-plate enrichment pending"]);
  });

  it("Blocket: rejected after acceptance and an image that failed, seen → kept until cleared", () => {
    const rejected = issue("", "invalid_value", "Annonsen avvisades", { marketplace: "blocket" });
    const image = issue("images.0", "remote_error", "Image not downloaded", {
      marketplace: "blocket",
    });
    const state = reduce(liveListing, {
      _tag: "Seen",
      presence: "removed",
      issues: [rejected],
      warnings: [image],
      at: t0 + 5,
    });
    expect(state.presence).toBe("removed");
    expect(state.seen).toEqual({ issues: [rejected], warnings: [image] });
    expect(state.operation).toBe(liveListing.operation);
    // A sighting that says nothing of issues keeps them; one with empty lists clears them.
    expect(reduce(state, { _tag: "Seen", presence: "removed", at: t0 + 6 }).seen).toEqual(
      state.seen,
    );
    const cleared = reduce(state, {
      _tag: "Seen",
      presence: "live",
      issues: [],
      warnings: [],
      at: t0 + 7,
    });
    expect(cleared.seen).toBeUndefined();
  });

  it("Marktplaats: status deactivated seen → hidden", () => {
    const state = reduce(liveListing, { _tag: "Seen", presence: "hidden", at: t0 + 5 });
    expect(state.presence).toBe("hidden");
    expect(state.operation).toBe(liveListing.operation);
  });

  it("Allegro: a draft with validation errors → draft, failed with issues", () => {
    const state = reduceAll(initialState, [
      started("op-1", "create"),
      {
        _tag: "Accepted",
        operationId: "op-1",
        status: "failed",
        presence: "draft",
        issues: [titleTooLong],
        at: t0 + 1,
      },
    ]);
    expect(state.presence).toBe("draft");
    expect(state.operation).toMatchObject({ status: "failed", issues: [titleTooLong] });
  });

  it("Allegro: publication task NEW, then SUCCESS → pending, then live", () => {
    const pending = reduceAll(initialState, [
      started("op-1", "create"),
      {
        _tag: "Accepted",
        operationId: "op-1",
        requestId: "command-uuid",
        status: "pending",
        presence: "pending",
        raw: "NEW",
        at: t0 + 1,
      },
    ]);
    expect(pending.presence).toBe("pending");
    const live = reduce(pending, {
      _tag: "Progress",
      operationId: "op-1",
      status: "succeeded",
      raw: "SUCCESS",
      at: t0 + 2,
    });
    expect(live.presence).toBe("live");
    expect(live.raw).toBe("SUCCESS");
  });

  it("keeps warnings learned at Accepted and at Progress, once each", () => {
    const mappingWarning = issue("images.20", "too_many", "only 20 images are sent");
    const state = reduceAll(initialState, [
      started("op-1", "create"),
      {
        _tag: "Accepted",
        operationId: "op-1",
        status: "pending",
        warnings: [mappingWarning],
        at: t0 + 1,
      },
      {
        _tag: "Progress",
        operationId: "op-1",
        status: "succeeded",
        presence: "live",
        warnings: [imageFailed, mappingWarning],
        at: t0 + 2,
      },
    ]);
    expect(state.operation?.status).toBe("succeeded_with_warnings");
    expect(state.operation?.warnings).toEqual([mappingWarning, imageFailed]);
  });

  it("ignores news of a superseded operation and of a settled one", () => {
    const superseded = reduceAll(initialState, [
      started("op-1", "create"),
      { _tag: "Accepted", operationId: "op-1", requestId: "req-1", status: "pending", at: t0 + 1 },
      started("op-2", "update", t0 + 2),
    ]);
    const afterStale = reduce(superseded, {
      _tag: "Progress",
      operationId: "op-1",
      status: "succeeded",
      presence: "live",
      at: t0 + 3,
    });
    expect(afterStale).toBe(superseded);

    const settled = reduce(liveListing, {
      _tag: "Progress",
      operationId: "op-create",
      status: "failed",
      presence: "absent",
      issues: [titleTooLong],
      at: t0 + 5,
    });
    expect(settled).toBe(liveListing);
  });

  it("a new operation superseding a pending create starts from where the create started", () => {
    const state = reduceAll(initialState, [
      started("op-1", "create"),
      started("op-2", "create", t0 + 1),
    ]);
    expect(state.presence).toBe("pending");
    expect(state.operation?.presenceBefore).toBe("absent");
  });

  it("a sighting while our operation is pending does not decide the presence", () => {
    const state = reduceAll(initialState, [
      started("op-1", "create"),
      { _tag: "Seen", presence: "live", at: t0 + 1 },
    ]);
    expect(state.presence).toBe("pending");
  });
});
