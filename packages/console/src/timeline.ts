import type {
  Issue,
  LifecycleEvent,
  ListingRecord,
  Observation,
  OperationKind,
} from "@adsync/core";
import { cellOf, type ListingUrlPatterns, titleOf } from "./grid.ts";
import type { IssueView, ListingDetail, Retry, TimelineEntry } from "./wire.ts";

/**
 * The value at a dotted path (`vehicle.make`, `images.3`, `category_fields[0].value`), or
 * undefined when the path leads nowhere.
 */
export const valueAt = (value: unknown, path: string): unknown => {
  if (path === "") return value;
  let current = value;
  for (const segment of path.replace(/\[(\w+)\]/g, ".$1").split(".")) {
    if (segment === "") continue;
    if (typeof current !== "object" || current === null) return undefined;
    if (!Object.hasOwn(current, segment)) return undefined;
    current = Reflect.get(current, segment);
  }
  return current;
};

const findingsOf = (
  observation: Observation,
): { readonly issues: ReadonlyArray<Issue>; readonly warnings: ReadonlyArray<Issue> } => {
  switch (observation._tag) {
    case "Accepted":
    case "Progress":
      return { issues: observation.issues ?? [], warnings: observation.warnings ?? [] };
    case "Rejected":
      return { issues: observation.issues, warnings: [] };
    case "Started":
    case "Seen":
      return { issues: [], warnings: [] };
    default: {
      const unknownObservation: never = observation;
      return unknownObservation;
    }
  }
};

const entryOf = (event: LifecycleEvent): TimelineEntry => {
  const operation = event.state.operation;
  const observation = event.observation;
  return {
    at: observation.at,
    observation: observation._tag,
    ...(operation === undefined
      ? {}
      : { operation: { kind: operation.kind, status: operation.status } }),
    presence: event.state.presence,
    ...findingsOf(observation),
    notes: "notes" in observation ? (observation.notes ?? []) : [],
  };
};

const kindsRunAgainByAction: ReadonlyArray<OperationKind> = ["hide", "show", "renew", "remove"];

/** Whether the last operation failed and what running it again takes. */
export const retryOf = (record: ListingRecord, hasAd: boolean): Retry => {
  const operation = record.state.operation;
  if (operation === undefined || operation.status !== "failed") {
    return { possible: false, why: "the last operation did not fail" };
  }
  if (kindsRunAgainByAction.includes(operation.kind)) {
    return { possible: true, kind: operation.kind };
  }
  if (operation.kind === "create" || operation.kind === "update") {
    return hasAd
      ? { possible: true, kind: operation.kind }
      : {
          possible: false,
          why: "publishing again needs the ad: start the console with a stock file",
        };
  }
  return { possible: false, why: `a failed ${operation.kind} is not run again from the console` };
};

/** A listing's timeline and issues, with the ad (when known) to show values beside issues. */
export const buildDetail = (
  record: ListingRecord,
  events: ReadonlyArray<LifecycleEvent>,
  ad: unknown,
  urls: ListingUrlPatterns = {},
): ListingDetail => {
  const payload = record.pendingPayload ?? record.payload;
  const view = (issue: Issue): IssueView => ({
    ...issue,
    ...(ad === undefined ? {} : { adValue: valueAt(ad, issue.path) }),
    ...(issue.marketplacePath === undefined || payload === undefined
      ? {}
      : { payloadValue: valueAt(payload, issue.marketplacePath) }),
  });
  const operation = record.state.operation;
  return {
    cell: cellOf(record, urls),
    title: titleOf(record.payload ?? record.pendingPayload),
    events: events
      .filter((event) => event.marketplace === record.marketplace)
      .map(entryOf)
      .reverse(),
    issues: (operation?.issues ?? []).map(view),
    warnings: (operation?.warnings ?? []).map(view),
    retry: retryOf(record, ad !== undefined),
  };
};
