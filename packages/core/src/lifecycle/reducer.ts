import { type Issue, issue } from "../model/issue.ts";
import {
  isTerminal,
  type ListingState,
  type Observation,
  type Operation,
  type OperationKind,
  type OperationStatus,
  type Presence,
} from "./state.ts";

/**
 * The lifecycle reducer: (state, observation) → state. Pure and total.
 *
 * Invariants it keeps whatever it is fed (property-tested in test/lifecycle.test.ts):
 * - presence is `pending` only while the operation is pending;
 * - a failed operation has at least one issue; a succeeded one has no warnings and a
 *   `succeeded_with_warnings` one has at least one;
 * - `settledAt` is set exactly when the operation is terminal, and a terminal operation
 *   never changes again: later observations of the same request are ignored;
 * - observations of an operation that is not the current one (stale) change nothing.
 */
export const reduce = (state: ListingState, observation: Observation): ListingState => {
  switch (observation._tag) {
    case "Started":
      return start(state, observation.operationId, observation.kind, observation.at);
    case "Accepted":
    case "Progress":
      return onCurrent(state, observation.operationId, (operation) => {
        const requestId =
          observation._tag === "Accepted" ? observation.requestId : operation.requestId;
        const advanced = advance(
          { ...operation, ...(requestId === undefined ? {} : { requestId }) },
          observation.status,
          observation.issues ?? [],
          observation.warnings ?? [],
          observation.at,
        );
        return {
          presence: presenceAfter(state.presence, advanced, observation.presence),
          operation: advanced,
          raw: observation.raw === undefined ? state.raw : observation.raw,
          notes: observation.notes ? [...observation.notes] : state.notes,
        };
      });
    case "Rejected":
      return onCurrent(state, observation.operationId, (operation) => {
        const failed = advance(operation, "failed", observation.issues, [], observation.at);
        return {
          ...state,
          presence: presenceAfter(state.presence, failed, undefined),
          operation: failed,
        };
      });
    case "Seen": {
      const pendingOperation = state.operation?.status === "pending";
      // While an operation of ours is pending, its own observations decide the presence;
      // a "pending" presence without a pending operation would be an impossible state.
      const presence =
        pendingOperation || observation.presence === "pending"
          ? state.presence
          : observation.presence;
      const { seen: _, ...rest } = state;
      const seen = seenAfter(state.seen, observation.issues, observation.warnings);
      return {
        ...rest,
        presence,
        raw: observation.raw === undefined ? state.raw : observation.raw,
        notes: observation.notes ? [...observation.notes] : state.notes,
        ...(seen === undefined ? {} : { seen }),
      };
    }
  }
};

/**
 * What the marketplace says of a listing after a `Seen`: the observation's issues and warnings
 * replace the last ones when it carries any list (an empty one clears them); none keeps them.
 */
const seenAfter = (
  known: ListingState["seen"],
  issues: ReadonlyArray<Issue> | undefined,
  warnings: ReadonlyArray<Issue> | undefined,
): ListingState["seen"] => {
  if (issues === undefined && warnings === undefined) return known;
  const next = { issues: [...(issues ?? [])], warnings: [...(warnings ?? [])] };
  return next.issues.length === 0 && next.warnings.length === 0 ? undefined : next;
};

/** Folds a sequence of observations from a starting state. */
export const reduceAll = (
  state: ListingState,
  observations: Iterable<Observation>,
): ListingState => {
  let current = state;
  for (const observation of observations) current = reduce(current, observation);
  return current;
};

const start = (
  state: ListingState,
  operationId: string,
  kind: OperationKind,
  at: number,
): ListingState => {
  if (state.operation?.id === operationId) return state;
  // A still-pending operation superseded by a new one: its own outcome is no longer tracked,
  // so where it leaves the listing is where the new operation starts from.
  const presenceBefore =
    state.presence === "pending" ? (state.operation?.presenceBefore ?? "absent") : state.presence;
  const operation: Operation = {
    id: operationId,
    kind,
    status: "pending",
    startedAt: at,
    issues: [],
    warnings: [],
    presenceBefore,
  };
  const creating =
    kind === "create" && (presenceBefore === "absent" || presenceBefore === "removed");
  return { ...state, presence: creating ? "pending" : presenceBefore, operation };
};

const onCurrent = (
  state: ListingState,
  operationId: string,
  update: (operation: Operation) => ListingState,
): ListingState => {
  const operation = state.operation;
  if (operation === undefined || operation.id !== operationId || isTerminal(operation.status)) {
    return state;
  }
  return update(operation);
};

const advance = (
  operation: Operation,
  status: OperationStatus,
  issues: ReadonlyArray<Issue>,
  warnings: ReadonlyArray<Issue>,
  at: number,
): Operation => {
  switch (status) {
    case "pending":
      return { ...operation, status, warnings: mergeIssues(operation.warnings, warnings) };
    case "failed":
      return {
        ...operation,
        status,
        settledAt: at,
        issues:
          issues.length > 0 ? [...issues] : [issue("", "remote_error", "The operation failed.")],
        warnings: mergeIssues(operation.warnings, warnings),
      };
    case "succeeded":
    case "succeeded_with_warnings": {
      // Warnings learned at any step of the operation (e.g. when mapping, then when the
      // marketplace processed images) all stay: nothing the marketplace said is lost.
      const merged = mergeIssues(operation.warnings, warnings);
      return {
        ...operation,
        status: merged.length > 0 ? "succeeded_with_warnings" : "succeeded",
        settledAt: at,
        issues: [],
        warnings: merged,
      };
    }
  }
};

const issueKey = (entry: Issue) => `${entry.path}\u0000${entry.code}\u0000${entry.message}`;

const mergeIssues = (
  known: ReadonlyArray<Issue>,
  learned: ReadonlyArray<Issue>,
): ReadonlyArray<Issue> => {
  const seen = new Set(known.map(issueKey));
  const merged = [...known];
  for (const entry of learned) {
    if (seen.has(issueKey(entry))) continue;
    seen.add(issueKey(entry));
    merged.push(entry);
  }
  return merged;
};

/** The presence an operation's outcome implies, given what was observed (if anything). */
const presenceAfter = (
  current: Presence,
  operation: Operation,
  observed: Presence | undefined,
): Presence => {
  if (operation.status === "pending") {
    if (observed !== undefined) return observed;
    return current;
  }
  if (operation.status === "failed") {
    // A failed operation leaves the listing where the marketplace says it is, else where it was.
    return observed === undefined || observed === "pending" ? operation.presenceBefore : observed;
  }
  if (observed !== undefined && observed !== "pending") return observed;
  return impliedBySuccess(operation.kind, operation.presenceBefore);
};

const impliedBySuccess = (kind: OperationKind, before: Presence): Presence => {
  switch (kind) {
    case "create":
    case "show":
      return "live";
    case "hide":
      return "hidden";
    case "remove":
      return "removed";
    case "update":
    case "renew":
    case "promote":
      return before === "pending" ? "live" : before;
  }
};
