import type { AdContent, AdRecord, ApiVersion } from "./ad-record.ts";
import { isRegisteredVehicleAd } from "./categories.ts";

/**
 * The ads of every dealer. "The source_id needs to be unique within the customer it belongs to"
 * (V3 doc, migration chapter), so an ad's key is its dealer and source_id.
 */
export class AdStore {
  private readonly current = new Map<string, AdRecord>();
  private created = 0;
  private sequence = 0;
  private nextBlocketAdId = 1_200_000_001;
  private nextBytbilAdId = 30_000_001;
  private readonly storeIds = new Map<string, string>();

  nextSequence(): number {
    this.sequence += 1;
    return this.sequence;
  }

  /** Ads ever created, including deleted ones and ones a later create with the same source_id replaced. */
  createdCount(): number {
    return this.created;
  }

  get(dealerCode: string, sourceId: string): AdRecord | undefined {
    return this.current.get(adKey(dealerCode, sourceId));
  }

  /**
   * The ad with this source_id among the given dealers'. When several dealers of a group use the
   * same source_id, `dealerCode` (the query parameter of that name) chooses; otherwise the oldest.
   */
  find(
    sourceId: string,
    dealerCodes: ReadonlySet<string>,
    dealerCode: string | undefined,
  ): AdRecord | undefined {
    return this.all().find(
      (record) =>
        record.sourceId === sourceId &&
        dealerCodes.has(record.dealerCode) &&
        (dealerCode === undefined || record.dealerCode === dealerCode),
    );
  }

  /** The current ads, oldest first. */
  all(): ReadonlyArray<AdRecord> {
    return [...this.current.values()].sort((left, right) => left.sequence - right.sequence);
  }

  /** Adds a new ad, replacing a deleted one with the same key. */
  insert(fields: {
    readonly sourceId: string;
    readonly dealerCode: string;
    readonly version: ApiVersion;
    readonly content: AdContent;
    readonly now: number;
  }): AdRecord {
    const record: AdRecord = {
      sequence: this.nextSequence(),
      sourceId: fields.sourceId,
      dealerCode: fields.dealerCode,
      createdAt: fields.now,
      updatedAt: fields.now,
      state: "created",
      version: fields.version,
      content: fields.content,
      published: false,
      blocketAdId: null,
      blocketStoreId: null,
      bytbilAdId: null,
      poleUntil: undefined,
      log: [],
    };
    this.current.set(adKey(fields.dealerCode, fields.sourceId), record);
    this.created += 1;
    return record;
  }

  /** Gives a published ad its marketplace ids, once: Bytbil's only for registered vehicles. */
  assignMarketplaceIds(record: AdRecord): void {
    record.blocketAdId ??= String(this.nextBlocketAdId++);
    record.blocketStoreId ??= this.storeIdOf(record.dealerCode);
    if (isRegisteredVehicleAd(record.content.categoryId, record.version)) {
      record.bytbilAdId ??= String(this.nextBytbilAdId++);
    }
  }

  private storeIdOf(dealerCode: string): string {
    const known = this.storeIds.get(dealerCode);
    if (known !== undefined) return known;
    const storeId = String(5_000_001 + this.storeIds.size);
    this.storeIds.set(dealerCode, storeId);
    return storeId;
  }
}

/** An ad's identity: its dealer and source_id. */
export function adKey(dealerCode: string, sourceId: string): string {
  return JSON.stringify([dealerCode, sourceId]);
}
