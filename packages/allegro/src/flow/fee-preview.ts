import type { FeePreview, WireClassifiedPackages } from "../wire.ts";
import { withoutNulls } from "./draft.ts";

/** What publishing an offer costs, as Allegro quotes it before publication. */
export interface FeeQuote {
  /** The sum of the quotes, as Allegro writes amounts ("39.00"). */
  readonly total: { readonly amount: string; readonly currency: string };
  readonly quotes: ReadonlyArray<{
    readonly name: string;
    readonly amount: string;
    readonly currency: string;
    readonly cycleDuration?: string;
    readonly packageId?: string;
  }>;
  readonly raw: FeePreview;
}

/**
 * Section 9: "call POST /pricing/offer-fee-preview … provide the complete structure you have
 * received after calling GET /sale/offers/{offerId}, as well as selected packages". The sample
 * posts to `/pricing/fee-preview`; the text and the OpenAPI name `offer-fee-preview`, whose
 * `PublicOfferPreviewRequest` is the sample's body (decision D10).
 */
export const feePreviewBody = (
  offer: Readonly<Record<string, unknown>>,
  packages: WireClassifiedPackages,
) => ({
  offer: withoutNulls(offer),
  classifiedsPackages: packages,
});

/** Whether a quote is above the dealer's `maxFee` (none configured: never). */
export const aboveMaxFee = (quote: FeeQuote, maxFee: number | undefined): boolean =>
  maxFee !== undefined && Number(quote.total.amount) > maxFee;

/** Sums quotes in grosze (integers), so "39.00" + "33.00" is exactly "72.00". */
export const summarizeFees = (preview: FeePreview): FeeQuote => {
  const quotes = preview.quotes.flatMap((quote) =>
    quote.fee == null
      ? []
      : [
          {
            name: quote.name ?? "",
            amount: quote.fee.amount,
            currency: quote.fee.currency,
            ...(quote.cycleDuration == null ? {} : { cycleDuration: quote.cycleDuration }),
            ...(quote.classifiedsPackage == null ? {} : { packageId: quote.classifiedsPackage.id }),
          },
        ],
  );
  const grosze = quotes.reduce((sum, quote) => sum + Math.round(Number(quote.amount) * 100), 0);
  return {
    total: { amount: (grosze / 100).toFixed(2), currency: quotes[0]?.currency ?? "PLN" },
    quotes,
    raw: preview,
  };
};
