import { type Issue, issue } from "@adsync/core";
import { Schema } from "effect";

/**
 * Paid features of an advertisement (`GET /v1/advertisements/{itemId}/features`,
 * `POST /v1/advertisements/{itemId}/buy-feature`; the doc links both pages, which are not in
 * our copy). The advertisement doc says `url` "Will only be displayed on Marktplaats if the URL
 * feature is active", `stickerText` "if the opvalsticker feature is active", and the video shows
 * in search "When the dealer bought the video feature". Feature names (`url`, `sticker`,
 * `video`, `bump`, `top-ad`) and the answer's shape are our reading, read leniently: a list
 * under `_embedded["mp:advertisement-feature"]` or `features`, each `{name, active, price}`.
 */
export const WireFeature = Schema.Struct({
  name: Schema.String,
  active: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  /** Feature prices are "in cents" (place-advertisement.rst). */
  price: Schema.optional(Schema.Number),
});
export type WireFeature = typeof WireFeature.Type;

export const WireFeatures = Schema.Struct({
  _embedded: Schema.optional(
    Schema.Struct({ "mp:advertisement-feature": Schema.optional(Schema.Array(WireFeature)) }),
  ),
  features: Schema.optional(Schema.Array(WireFeature)),
});

export const featuresOf = (answer: typeof WireFeatures.Type): ReadonlyArray<WireFeature> => [
  ...(answer._embedded?.["mp:advertisement-feature"] ?? []),
  ...(answer.features ?? []),
];

/** The fields that show only with a feature: advertisement key → feature → canonical path. */
export const featureFields = [
  { key: "url", feature: "url", path: "url", label: "the URL" },
  { key: "stickerText", feature: "sticker", path: "stickerText", label: "the sticker" },
  { key: "videoUrl", feature: "video", path: "video", label: "the video" },
] as const;

/** What `promote` buys: the two promotions, and the three display features. */
export const marktplaatsPromotions = ["bump", "top-ad", "url", "sticker", "video"] as const;

/**
 * One `unsupported` warning per field the advertisement carries whose feature is not active
 * (`active` undefined: none is, as for a new advertisement). `optionsPath` is where the
 * dealer's sticker text lives.
 */
export const featureWarnings = (
  site: string,
  advertisement: Readonly<Record<string, unknown>>,
  active: ReadonlySet<string>,
  optionsPath: string,
): ReadonlyArray<Issue> =>
  featureFields.flatMap((field) =>
    advertisement[field.key] === undefined || active.has(field.feature)
      ? []
      : [
          issue(
            field.key === "stickerText" ? `${optionsPath}.stickerText` : field.path,
            "unsupported",
            `${site} shows ${field.label} only with the paid "${field.feature}" feature, which this ad does not have; buy it with promote("${field.feature}").`,
            { marketplace: site, marketplacePath: field.key },
          ),
        ],
  );
