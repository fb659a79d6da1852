/**
 * A fake's in-memory state of one ad, as both Pro Import APIs model it: Blocket's and
 * Tradera's docs describe the same ad with the same states, log actions and log states.
 */

// Blocket's "Ad actions" table and Tradera's "Log Action Types" list the same seven actions.
export const LOG_ACTIONS = [
  "create",
  "update",
  "bump",
  "handle_media",
  "publish",
  "delete",
  "unpublish",
] as const;
/** The documented actions, and Blocket's pole position (see blocket/workflows.ts). */
export type LogAction = (typeof LOG_ACTIONS)[number] | "pole_position";

export const LOG_STATES = ["processing", "done", "error"] as const;
export type LogState = (typeof LOG_STATES)[number];

export const AD_STATES = ["created", "deleted"] as const;
export type AdState = (typeof AD_STATES)[number];

export interface LogEntry {
  readonly sequence: number;
  readonly action: LogAction;
  state: LogState;
  readonly createdAt: number;
  /** one UUID per API request, shared by the actions that request started */
  readonly requestId: string;
  externalMessage: string | null;
}

/** The accepted, normalised input of an ad: what a create or an update validated. */
export interface AdContent {
  readonly categoryId: number;
  readonly visible: boolean;
  readonly dontPublishOnFailedImages: boolean;
  readonly imageUrls: ReadonlyArray<string>;
  /**
   * The accepted input fields by wire name (without source_id and dealer_code), as GET answers
   * them; also the base a PATCH merges into. Holds category_id, visible and
   * dont_publish_on_failed_images too, normalised.
   */
  readonly fields: Readonly<Record<string, unknown>>;
}

/** What every fake keeps of an ad; each marketplace extends it with its own fields. */
export interface AdRecord {
  /** global order of creation, to break ties between equal timestamps */
  readonly sequence: number;
  readonly sourceId: string;
  readonly dealerCode: string;
  readonly createdAt: number;
  updatedAt: number;
  /** the ad's lifecycle; how it shows on the wire is the marketplace's business */
  state: AdState;
  content: AdContent;
  /** live on the marketplaces */
  published: boolean;
  /** given when the ad is first published on Blocket (Tradera publishes to Blocket too) */
  blocketAdId: string | null;
  readonly log: LogEntry[];
}
