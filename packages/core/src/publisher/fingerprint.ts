import { Duration } from "effect";
import type { MarketplaceAdapter } from "../adapter/adapter.ts";
import type { ListingRecord } from "../store/store.ts";
import { contentInDoubt, hasRemoteListing } from "./listing-rules.ts";

/**
 * Input fingerprints: how a sync answers `unchanged` for an ad it already published without
 * decoding, preparing or locking it.
 *
 * A listing's `fingerprint` is a hash of two things, stored with `payload` by the operation
 * that sent that payload (`payloadAfter` moves it with the payload, through `pendingPayload`):
 *
 * - the ad **exactly as the stock gave it** (its JSON text; its per-marketplace overrides are
 *   part of it), and
 * - the adapter's **mapping identity**: its id and `mappingVersion`, which the adapter changes
 *   whenever `prepare` may map the same ad differently (a new release of its mapping, or a
 *   configuration that reaches the mapping).
 *
 * "Unchanged" is then true without preparing the ad when all of these hold
 * (`unchangedByFingerprint`):
 *
 * 1. the same input reached the same mapping: the fingerprints are equal. `prepare` is a pure
 *    function of the ad and the adapter's mapping (its reference data is versioned with it), so
 *    it would make the payload stored beside that fingerprint again, and publishing a payload
 *    equal to the stored one is `unchanged` (`publishAction`). A mapping change is never
 *    hidden: a new `mappingVersion` makes every fingerprint differ, and those ads take the full
 *    path (decode, prepare, compare the payload) — which sends an update where the payload
 *    differs;
 * 2. the payload is what the marketplace holds: a listing exists (`hasRemoteListing`), its last
 *    operation is a create or update-like operation that **succeeded** (not pending — its
 *    payload is not yet confirmed —, not failed, not a removal), nothing is pending
 *    (`pendingPayload`), no content is in doubt (`unconfirmedSince`: an unanswered attempt may
 *    have landed; `driftSince`: the marketplace was seen holding other content), and
 *    nobody holds a lease on it (an operation in flight, here or in another process).
 *
 * An adapter without `mappingVersion` gets no fingerprint and is never skipped: nothing would
 * tell a new mapping from the old one.
 */

/**
 * Two 53-bit hashes (cyrb53 with two seeds) of a string, as 28 hex digits. Both are computed
 * in one pass over the text (four accumulators): the same digits as two passes, for half the
 * loop (issue #14: the hash is a tenth of an unchanged re-sync's CPU).
 */
const hash = (text: string): string => {
  const seedA = 0x9e3779b9;
  const seedB = 0x85ebca6b;
  let a1 = 0xdeadbeef ^ seedA;
  let a2 = 0x41c6ce57 ^ seedA;
  let b1 = 0xdeadbeef ^ seedB;
  let b2 = 0x41c6ce57 ^ seedB;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    a1 = Math.imul(a1 ^ code, 2654435761);
    a2 = Math.imul(a2 ^ code, 1597334677);
    b1 = Math.imul(b1 ^ code, 2654435761);
    b2 = Math.imul(b2 ^ code, 1597334677);
  }
  const digits = (h1: number, h2: number) => {
    const low = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    const high =
      Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(low ^ (low >>> 13), 3266489909);
    return (4294967296 * (2097151 & high) + (low >>> 0)).toString(16).padStart(14, "0");
  };
  return digits(a1, a2) + digits(b1, b2);
};

/**
 * The hash of an input ad's JSON text, computed once per ad for all its targets; undefined
 * when the input has no JSON text (then no target is fingerprinted).
 */
export const inputHash = (input: unknown): string | undefined => {
  try {
    const text = JSON.stringify(input);
    return typeof text === "string" ? hash(text) : undefined;
  } catch {
    return undefined;
  }
};

/** The fingerprint of an input (its `inputHash`) for one adapter; undefined without one. */
export const fingerprintFor = (
  adapter: Pick<MarketplaceAdapter, "id" | "mappingVersion">,
  inputHashed: string | undefined,
): string | undefined =>
  inputHashed === undefined || adapter.mappingVersion === undefined
    ? undefined
    : `${hash(`${adapter.id}\u0000${adapter.mappingVersion}`)}:${inputHashed}`;

/**
 * JSON text of what shapes a mapping, the same for equal values: object keys sorted, a `Map`
 * as its entries, a `Set` as its values (reference snapshots hold both).
 */
const shapingText = (value: unknown): string =>
  JSON.stringify(value, (_key, item: unknown) => {
    if (item instanceof Map) return [...item.entries()];
    if (item instanceof Set) return [...item.values()];
    if (typeof item === "object" && item !== null && !Array.isArray(item)) {
      const record = item as Record<string, unknown>;
      return Object.fromEntries(
        Object.keys(record)
          .sort()
          .map((key) => [key, record[key]]),
      );
    }
    return item;
  }) ?? "";

/**
 * An adapter's `mappingVersion` (the rule every shipped adapter follows, docs/performance.md):
 * `revision` is a constant of the adapter's mapping code, bumped with any change of it or of
 * the tables it bundles; `shaping` is every configuration value `prepare` reads (a hash of it,
 * so a config change that shapes payloads makes every fingerprint differ).
 */
export const mappingVersionOf = (revision: string, shaping: unknown): string =>
  `${revision}:${hash(shapingText(shaping))}`;

/**
 * The `mappingVersion` of an adapter whose mapping also reads reference data loaded at run time
 * (by `warmUp`, cached for `ttl`): `mappingVersionOf` with a hash of the data `prepare` reads
 * now. The adapter calls `loaded` with each copy it loads and answers `current()` from a
 * `mappingVersion` getter.
 *
 * `current()` is undefined (no fingerprint, so every ad is prepared, which runs `warmUp`)
 * until data is loaded, and again once the copy is older than `ttl`: the first ad after that
 * loads the data again, so changed reference data changes the version instead of being hidden
 * behind fingerprints that never run `warmUp`.
 */
export const referenceMappingVersion = (
  revision: string,
  shaping: unknown,
  ttl: Duration.DurationInput,
): {
  readonly loaded: (reference: unknown) => void;
  readonly current: () => string | undefined;
} => {
  const base = mappingVersionOf(revision, shaping);
  const lifetime = Duration.toMillis(Duration.decode(ttl));
  let version: string | undefined;
  let expiresAt = 0;
  return {
    loaded: (reference) => {
      version = `${base}:${hash(shapingText(reference))}`;
      expiresAt = Date.now() + lifetime;
    },
    current: () => (version !== undefined && Date.now() < expiresAt ? version : undefined),
  };
};

/** Whether publishing the input of `fingerprint` to this listing is `unchanged` (above). */
export const unchangedByFingerprint = (
  record: ListingRecord | undefined,
  fingerprint: string | undefined,
): boolean => {
  if (fingerprint === undefined || record === undefined) return false;
  if (record.fingerprint !== fingerprint || !hasRemoteListing(record)) return false;
  const operation = record.state.operation;
  return (
    operation !== undefined &&
    (operation.status === "succeeded" || operation.status === "succeeded_with_warnings") &&
    operation.kind !== "remove" &&
    record.pendingPayload === undefined &&
    record.lease === undefined &&
    !contentInDoubt(record)
  );
};
