/**
 * Many dealers on one fake (#13): each dealer provisioned with credentials of its own, as the
 * marketplace would issue them (a Pro Import token and dealer code; an OAuth grant of its own
 * seller account under the application's client), and its listings kept apart.
 */

/** One listing a fake holds for a dealer, as the "store ≡ sandboxes" check reads it. */
export interface FakeListing {
  /** The dealer it was provisioned for (`dealers.add`). */
  readonly dealer: string;
  /** What adsync stores as the listing's `ref.remoteId` on this marketplace. */
  readonly remoteId: string;
  /**
   * The dealer's ad id when the marketplace keeps one (Pro Import `source_id`, Allegro
   * `external.id`); undefined on Marktplaats, which has no field for it (D8).
   */
  readonly adId: string | undefined;
  /**
   * What makes two listings the same vehicle for this dealer: the ad id where there is one,
   * else the licence plate (Marktplaats; what its adapter's `find` matches).
   */
  readonly key: string;
  /** Held by the marketplace: not deleted, archived or ended. */
  readonly live: boolean;
  /** How many times a listing under this key was created, deleted ones included. */
  readonly creations: number;
}

/** Options of one dealer's provisioning. */
export interface AddDealerOptions {
  /** The dealer's own id on the marketplace (Pro Import dealer code); derived from `dealer` by default. */
  readonly dealerCode?: string;
}

/** The dealers of one fake. */
export interface FakeDealers {
  /**
   * Provisions a dealer with credentials of its own and answers its config section for that
   * marketplace, as a config file has it (docs/configuration.md): what
   * `DealerCredentials.putSection(dealer, marketplace, section)` stores. Adding a dealer again
   * answers the same section.
   */
  add(dealer: string, options?: AddDealerOptions): Readonly<Record<string, unknown>>;
  /** The section `add` answered, or undefined for a dealer never added. */
  section(dealer: string): Readonly<Record<string, unknown>> | undefined;
  /** The dealers added, in order. */
  ids(): ReadonlyArray<string>;
  /** The listings the fake holds for the dealer, oldest first (live or not). */
  listings(dealer: string): ReadonlyArray<FakeListing>;
  /** Revokes the dealer's credentials: its next requests answer 401. False for an unknown dealer. */
  revoke(dealer: string): boolean;
  /** How many requests the per-dealer rate limit answered 429 so far (every dealer). */
  rateLimited(): number;
}

/** A fake that serves many dealers. */
export interface MultiDealerFake {
  readonly dealers: FakeDealers;
}

/** A dealer code derived from a dealer id: upper case letters, digits and dashes. */
export const dealerCodeOf = (dealer: string): string =>
  dealer.toUpperCase().replace(/[^A-Z0-9-]/g, "-");

/**
 * The bookkeeping every fake's `dealers` shares: sections by dealer, in the order added; the
 * fake supplies how to provision one and how to list its listings.
 */
export function dealerRegistry<Account>(fake: {
  readonly provision: (dealer: string, options: AddDealerOptions) => Account;
  readonly sectionOf: (account: Account) => Readonly<Record<string, unknown>>;
  readonly listings: (dealer: string, account: Account) => ReadonlyArray<FakeListing>;
  readonly revoke: (account: Account) => boolean;
  readonly rateLimited: () => number;
}): FakeDealers & { readonly account: (dealer: string) => Account | undefined } {
  const accounts = new Map<string, Account>();
  return {
    add: (dealer, options = {}) => {
      const known = accounts.get(dealer);
      if (known !== undefined) return fake.sectionOf(known);
      const account = fake.provision(dealer, options);
      accounts.set(dealer, account);
      return fake.sectionOf(account);
    },
    section: (dealer) => {
      const account = accounts.get(dealer);
      return account === undefined ? undefined : fake.sectionOf(account);
    },
    ids: () => [...accounts.keys()],
    listings: (dealer) => {
      const account = accounts.get(dealer);
      return account === undefined ? [] : fake.listings(dealer, account);
    },
    revoke: (dealer) => {
      const account = accounts.get(dealer);
      return account !== undefined && fake.revoke(account);
    },
    rateLimited: fake.rateLimited,
    account: (dealer) => accounts.get(dealer),
  };
}
