/** The fake's in-memory state of one ad. */

export type ApiVersion = "v3" | "v4";

/** The actions of the "Ad actions" table, plus pole_position (see workflows.ts). */
export const LOG_ACTIONS = [
  "create",
  "update",
  "bump",
  "pole_position",
  "handle_media",
  "publish",
  "delete",
  "unpublish",
] as const;
export type LogAction = (typeof LOG_ACTIONS)[number];

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

/** The accepted, normalised input of an ad: what create/PUT/PATCH/migrate validated. */
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

export interface AdRecord {
  /** global order of creation, to break ties between equal timestamps */
  readonly sequence: number;
  readonly sourceId: string;
  readonly dealerCode: string;
  readonly createdAt: number;
  updatedAt: number;
  state: AdState;
  /** the API version the ad was created or last written with */
  version: ApiVersion;
  content: AdContent;
  /** live on the marketplaces: published, visible, not deleted */
  published: boolean;
  blocketAdId: string | null;
  blocketStoreId: string | null;
  bytbilAdId: string | null;
  /** until when the ad has pole position ("Pole position lasts for 3 days") */
  poleUntil: number | undefined;
  readonly log: LogEntry[];
}
