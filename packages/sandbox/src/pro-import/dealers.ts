import {
  type AddDealerOptions,
  dealerCodeOf,
  dealerRegistry,
  type FakeDealers,
} from "../http/dealers.ts";
import type { AdRecord } from "./ad-record.ts";
import type { AdStore } from "./ad-store.ts";

/** A Pro Import dealer as the fake provisions it: a token of its own and its dealer code. */
export interface ProImportAccount {
  readonly token: string;
  readonly dealerCode: string;
}

/**
 * The `dealers` of a Pro Import fake: each dealer gets a token of its own for its dealer code
 * ("Authentication": a JWT sent as `X-Auth-Token`, issued by support per customer), and its ads
 * are those of its dealer code (ads are keyed by dealer and source_id already).
 */
export function proImportDealers<Ad extends AdRecord>(setup: {
  /** e.g. "blocket": the tokens are `<prefix>-token-<dealer>` */
  readonly prefix: string;
  readonly store: AdStore<Ad>;
  /** Lets the token in for the dealer code (the fake's grants table). */
  readonly grant: (account: ProImportAccount) => void;
  /** Revokes the token: from now on it answers 401. */
  readonly revoke: (token: string) => boolean;
  /** The dealer's config section for this marketplace. */
  readonly sectionOf: (account: ProImportAccount) => Readonly<Record<string, unknown>>;
  readonly rateLimited: () => number;
}): FakeDealers {
  return dealerRegistry<ProImportAccount>({
    provision: (dealer: string, options: AddDealerOptions) => {
      const account = {
        token: `${setup.prefix}-token-${dealer}`,
        dealerCode: options.dealerCode ?? dealerCodeOf(dealer),
      };
      setup.grant(account);
      return account;
    },
    sectionOf: setup.sectionOf,
    listings: (dealer, account) =>
      setup.store
        .all()
        .filter((record) => record.dealerCode === account.dealerCode)
        .map((record) => ({
          dealer,
          remoteId: record.sourceId,
          adId: record.sourceId,
          key: record.sourceId,
          live: record.state === "created",
          creations: setup.store.createdFor(record.dealerCode, record.sourceId),
        })),
    revoke: (account) => setup.revoke(account.token),
    rateLimited: setup.rateLimited,
  });
}
