/**
 * The JSON the console's API answers, shared by the server and the page (web/app.ts). It
 * imports nothing, so the page is type-checked with the DOM library alone; the server's
 * builders return these types, so a value core adds (a presence, a status) that the page does
 * not know fails to compile there.
 */

export type Presence = "absent" | "draft" | "pending" | "live" | "hidden" | "removed";
export type OperationKind = "create" | "update" | "hide" | "show" | "renew" | "promote" | "remove";
export type OperationStatus = "pending" | "succeeded" | "succeeded_with_warnings" | "failed";

export const presences: ReadonlyArray<Presence> = [
  "absent",
  "draft",
  "pending",
  "live",
  "hidden",
  "removed",
];
export const operationStatuses: ReadonlyArray<OperationStatus> = [
  "pending",
  "succeeded",
  "succeeded_with_warnings",
  "failed",
];

export interface WireIssue {
  readonly path: string;
  readonly code: string;
  readonly message: string;
  readonly marketplace?: string | undefined;
  readonly marketplacePath?: string | undefined;
}

/** One listing as the grid shows it. */
export interface GridCell {
  readonly adId: string;
  readonly marketplace: string;
  readonly presence: Presence;
  readonly operation?: {
    readonly kind: OperationKind;
    readonly status: OperationStatus;
    readonly startedAt: number;
    readonly settledAt?: number | undefined;
  };
  /** The marketplace's id of the listing and its other ids (never a credential). */
  readonly remoteId?: string | undefined;
  readonly ids: Readonly<Record<string, string>>;
  /** A public page of the listing, when the operator configured a pattern for the marketplace. */
  readonly url?: string | undefined;
  readonly issues: number;
  readonly warnings: number;
  readonly updatedAt: number;
}

export interface GridRow {
  readonly adId: string;
  readonly title?: string | undefined;
  /** Only the cells that pass the filters; a marketplace without a cell has no listing shown. */
  readonly cells: ReadonlyArray<GridCell>;
}

/** What the operator narrowed the grid to; every field optional. */
export interface GridFilters {
  readonly marketplace?: string | undefined;
  /** A presence (`live`, `removed`, …) or an operation status (`failed`, `pending`, …). */
  readonly state?: string | undefined;
  /** Only listings whose last operation has issues or warnings. */
  readonly hasIssues?: boolean | undefined;
  /** A case-insensitive part of the ad id, title or a marketplace id. */
  readonly text?: string | undefined;
}

export interface GridView {
  /** Every marketplace the store has a listing on or the console was told about, sorted. */
  readonly marketplaces: ReadonlyArray<string>;
  readonly rows: ReadonlyArray<GridRow>;
  /** Counts over every listing of the store (not only the filtered ones). */
  readonly counts: {
    readonly listings: number;
    readonly presence: Readonly<Partial<Record<Presence, number>>>;
    readonly operation: Readonly<Partial<Record<OperationStatus, number>>>;
    readonly withIssues: number;
  };
}

/** One lifecycle event as the timeline shows it. */
export interface TimelineEntry {
  readonly at: number;
  readonly observation: "Started" | "Accepted" | "Rejected" | "Progress" | "Seen";
  /** The operation the event belongs to, after the event. */
  readonly operation?: { readonly kind: OperationKind; readonly status: OperationStatus };
  readonly presence: Presence;
  readonly issues: ReadonlyArray<WireIssue>;
  readonly warnings: ReadonlyArray<WireIssue>;
  readonly notes: ReadonlyArray<string>;
}

/** An issue beside the values it is about, where the console knows them. */
export interface IssueView extends WireIssue {
  /** The ad's value at the canonical `path` (needs an ad source, see `ConsoleOptions.ads`). */
  readonly adValue?: unknown;
  /** The stored payload's value at `marketplacePath`: what the marketplace was sent. */
  readonly payloadValue?: unknown;
}

/** Whether a failed operation can be run again from the console, or why not. */
export type Retry =
  | { readonly possible: true; readonly kind: OperationKind }
  | { readonly possible: false; readonly why: string };

export interface ListingDetail {
  readonly cell: GridCell;
  readonly title?: string | undefined;
  /** Newest first. */
  readonly events: ReadonlyArray<TimelineEntry>;
  readonly issues: ReadonlyArray<IssueView>;
  readonly warnings: ReadonlyArray<IssueView>;
  readonly retry: Retry;
}

/** One server-sent event of `/api/events`: a listing changed. */
export interface LiveEvent {
  readonly adId: string;
  readonly marketplace: string;
  readonly presence: Presence;
  readonly operation?: OperationStatus | undefined;
}

/** What publishing would do on one marketplace (`publisher.plan`'s actions). */
export type PlanAction = "create" | "update" | "unchanged" | "invalid" | "remove" | "failed";
export const planActions: ReadonlyArray<PlanAction> = [
  "create",
  "update",
  "unchanged",
  "invalid",
  "remove",
  "failed",
];

/** One ad on one marketplace in the plan view: the action, its requests, the diff, the cost. */
export interface PlanRow {
  readonly adId: string;
  readonly marketplace: string;
  readonly action: PlanAction;
  /** The requests publishing would send, in order (method, path, body; no client setting). */
  readonly requests: ReadonlyArray<{
    readonly method: string;
    readonly path: string;
    readonly body?: unknown;
    readonly note?: string | undefined;
  }>;
  /** For an update: each field of the payload that differs from the last confirmed one. */
  readonly changes: ReadonlyArray<{
    readonly path: string;
    readonly before?: unknown;
    readonly after?: unknown;
  }>;
  readonly issues: ReadonlyArray<WireIssue>;
  readonly warnings: ReadonlyArray<WireIssue>;
  readonly notes: ReadonlyArray<string>;
  /** Where the marketplace quotes a cost before publication (Allegro). */
  readonly cost?: {
    readonly total: { readonly amount: string; readonly currency: string };
    readonly maximum?: number | undefined;
    readonly aboveMaximum: boolean;
  };
}

/** The answer of `POST /api/plan`: the console's stock planned, nothing sent. */
export interface PlanView {
  readonly ok: true;
  /** Ads read from the stock. */
  readonly ads: number;
  readonly rows: ReadonlyArray<PlanRow>;
  readonly counts: Readonly<Partial<Record<PlanAction, number>>>;
}

/** The answer of an action (refresh, retry, remove). */
export interface ActionAnswer {
  readonly ok: boolean;
  readonly message: string;
}

/** The name of the header every action must carry (see security.ts). */
export const actionHeader = "x-adsync-console";
