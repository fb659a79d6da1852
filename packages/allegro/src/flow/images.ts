import { Clock, Effect } from "effect";
import type { AllegroClient } from "../client.ts";

/** Re-upload an image this long before Allegro's `expiresAt`, never racing the expiry. */
const expiryMarginMillis = 10 * 60 * 1000;

/**
 * "Call POST /sale/images to upload photos via HTTP and HTTPS protocols … You will receive an
 * address of uploaded image you can use in the gallery." Uploads by URL, cached per source URL
 * until `expiresAt` ("file expiration date (removal from server)"), then uploaded again.
 */
export const makeImages = (client: AllegroClient) => {
  const uploaded = new Map<string, { readonly location: string; readonly expiresAt: number }>();

  const one = (source: string, index: number) =>
    Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis;
      const cached = uploaded.get(source);
      if (cached !== undefined && cached.expiresAt - expiryMarginMillis > now)
        return cached.location;
      const answer = yield* client.uploadImage(source, index);
      const expiresAt =
        answer.expiresAt == null ? Number.POSITIVE_INFINITY : Date.parse(answer.expiresAt);
      uploaded.set(source, {
        location: answer.location,
        expiresAt: Number.isNaN(expiresAt) ? now : expiresAt,
      });
      return answer.location;
    });

  return {
    /** Source URL → allegroimg URL for the images uploaded and not about to expire: no request. */
    known: (sources: ReadonlyArray<string>, now: number): ReadonlyMap<string, string> =>
      new Map(
        sources.flatMap((source) => {
          const cached = uploaded.get(source);
          return cached !== undefined && cached.expiresAt - expiryMarginMillis > now
            ? [[source, cached.location] as const]
            : [];
        }),
      ),
    /** Source URL → allegroimg URL, for every image of the ad (in gallery order). */
    upload: (sources: ReadonlyArray<string>) =>
      Effect.map(
        Effect.forEach(
          sources,
          (source, index) =>
            Effect.map(one(source, index), (location) => [source, location] as const),
          {
            concurrency: 4,
          },
        ),
        (pairs) => new Map(pairs),
      ),
  };
};
