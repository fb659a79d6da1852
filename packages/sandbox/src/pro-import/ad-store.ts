import type { AdContent, AdRecord } from "./ad-record.ts";

/** What a new ad starts from; the marketplace adds its own fields. */
export interface NewAd {
  readonly sourceId: string;
  readonly dealerCode: string;
  readonly content: AdContent;
  readonly now: number;
}

/**
 * The ads of every dealer. "The source_id needs to be unique within the customer it belongs to"
 * (Blocket V3 doc, migration chapter), so an ad's key is its dealer and source_id.
 */
export class AdStore<Ad extends AdRecord> {
  private readonly current = new Map<string, Ad>();
  /** The current ads by source_id, then dealer: a lookup reads one source_id's few ads. */
  private readonly bySource = new Map<string, Map<string, Ad>>();
  /** `all()`'s answer until the next insert (an ad's `sequence` never changes once stored). */
  private ordered: ReadonlyArray<Ad> | undefined;
  private readonly creations = new Map<string, number>();
  private created = 0;
  private sequence = 0;
  private nextBlocketAdId = 1_200_000_001;

  nextSequence(): number {
    this.sequence += 1;
    return this.sequence;
  }

  /** Ads ever created, including deleted ones and ones a later create with the same source_id replaced. */
  createdCount(): number {
    return this.created;
  }

  /** Ads ever created under one dealer and source_id, including deleted and replaced ones. */
  createdFor(dealerCode: string, sourceId: string): number {
    return this.creations.get(adKey(dealerCode, sourceId)) ?? 0;
  }

  get(dealerCode: string, sourceId: string): Ad | undefined {
    return this.current.get(adKey(dealerCode, sourceId));
  }

  /**
   * The ad with this source_id among the given dealers'. When several dealers of a group use the
   * same source_id, `dealerCode` (the query parameter of that name) chooses; otherwise the oldest.
   */
  find(
    sourceId: string,
    dealerCodes: ReadonlySet<string> | "any",
    dealerCode: string | undefined,
  ): Ad | undefined {
    let oldest: Ad | undefined;
    for (const record of this.bySource.get(sourceId)?.values() ?? []) {
      if (dealerCodes !== "any" && !dealerCodes.has(record.dealerCode)) continue;
      if (dealerCode !== undefined && record.dealerCode !== dealerCode) continue;
      if (oldest === undefined || record.sequence < oldest.sequence) oldest = record;
    }
    return oldest;
  }

  /** The current ads, oldest first. */
  all(): ReadonlyArray<Ad> {
    this.ordered ??= [...this.current.values()].sort(
      (left, right) => left.sequence - right.sequence,
    );
    return this.ordered;
  }

  /** Adds a new ad, replacing one with the same key; `extend` adds the marketplace's fields. */
  insert(fields: NewAd, extend: (base: AdRecord) => Ad): Ad {
    const record = extend(draftRecord(fields, this.nextSequence()));
    const key = adKey(fields.dealerCode, fields.sourceId);
    this.current.set(key, record);
    const sameSource = this.bySource.get(fields.sourceId) ?? new Map<string, Ad>();
    sameSource.set(fields.dealerCode, record);
    this.bySource.set(fields.sourceId, sameSource);
    this.ordered = undefined;
    this.creations.set(key, (this.creations.get(key) ?? 0) + 1);
    this.created += 1;
    return record;
  }

  /** A new ad as it would be stored, without storing it (for a validate endpoint). */
  draft(fields: NewAd, extend: (base: AdRecord) => Ad): Ad {
    return extend(draftRecord(fields, 0));
  }

  /** A new Blocket ad id, for an ad published for the first time. */
  takeBlocketAdId(): string {
    const id = String(this.nextBlocketAdId);
    this.nextBlocketAdId += 1;
    return id;
  }
}

function draftRecord(fields: NewAd, sequence: number): AdRecord {
  return {
    sequence,
    sourceId: fields.sourceId,
    dealerCode: fields.dealerCode,
    createdAt: fields.now,
    updatedAt: fields.now,
    state: "created",
    content: fields.content,
    published: false,
    blocketAdId: null,
    log: [],
  };
}

/** An ad's identity: its dealer and source_id. */
export function adKey(dealerCode: string, sourceId: string): string {
  return JSON.stringify([dealerCode, sourceId]);
}
