import { KeyValueStore } from "@effect/platform";
import { Context, Effect, Layer, Option, Redacted, Schema } from "effect";
import type {
  ConfiguredGrant,
  GrantExclusive,
  GrantStore,
  OAuthGrant,
} from "../adapter/descriptor.ts";
import { AdsyncError } from "../errors.ts";
import { serviceRunner } from "../publisher/promise-service.ts";

/**
 * The credentials port of a multi-dealer application: each dealer's configuration section per
 * marketplace (JSON as a config file has it: its token, dealer code or OAuth client, secrets as
 * strings or `env:NAME` references, decoded by the marketplace's descriptor) and, for OAuth
 * marketplaces, where that dealer's rotated grant is kept. A DMS implements it over its own
 * secret store; adsync ships one in memory and one over `@effect/platform`'s `KeyValueStore`.
 */
export interface DealerCredentialsService {
  /** The dealer's section for a marketplace; none when the dealer has not connected it. */
  readonly sectionOf: (
    dealer: string,
    marketplace: string,
  ) => Effect.Effect<Option.Option<unknown>, AdsyncError>;
  /**
   * Where the dealer's rotated grant for `marketplace` lives. `save` is durable when it
   * succeeds (core's refreshing bearer saves before it uses a new access token). A grant rotated
   * from another configured refresh token than `configured`'s is not loaded: a dealer who
   * authorizes again starts from the new one.
   */
  readonly grantStore: (
    dealer: string,
    marketplace: string,
    configured: ConfiguredGrant,
  ) => GrantStore;
}

export class DealerCredentials extends Context.Tag("@adsync/core/DealerCredentials")<
  DealerCredentials,
  DealerCredentialsService
>() {}

/** adsync's own credentials stores: the port, plus writing a dealer's sections. */
export interface DealerCredentialsStore extends DealerCredentialsService {
  /** Connects (or reconnects) a dealer to a marketplace with this section. */
  readonly putSection: (
    dealer: string,
    marketplace: string,
    section: unknown,
  ) => Effect.Effect<void, AdsyncError>;
  /** Disconnects the dealer from the marketplace, its rotated grant included. */
  readonly removeSection: (dealer: string, marketplace: string) => Effect.Effect<void, AdsyncError>;
}

/** A rotated grant and the configured refresh token it descends from. */
const StoredGrant = Schema.parseJson(
  Schema.Struct({
    origin: Schema.Redacted(Schema.String),
    accessToken: Schema.Redacted(Schema.String),
    refreshToken: Schema.Redacted(Schema.String),
    expiresAt: Schema.Number,
  }),
);

const part = (text: string) => encodeURIComponent(text);
const sectionKey = (dealer: string, marketplace: string) =>
  `dealer:${part(dealer)}:section:${part(marketplace)}`;
const grantKey = (dealer: string, marketplace: string) =>
  `dealer:${part(dealer)}:grant:${part(marketplace)}`;

const failure =
  (dealer: string, marketplace: string, operation: string) =>
  (error: { readonly message: string }) =>
    new AdsyncError({
      reason: "Store",
      marketplace,
      operation,
      message: `dealer ${dealer}, ${marketplace}: cannot ${operation}: ${error.message}`,
    });

/**
 * The credentials in a `KeyValueStore` (e.g. store-sqlite's key-value table, whose `set` is one
 * committed write: a saved grant is on disk before it is used). Sections are kept as JSON, in
 * clear like the config file they replace, grants beside them: protect the store as a
 * credential store.
 */
export interface KeyValueDealerCredentialsOptions {
  /**
   * A lock per grant across every process sharing `store` (`GrantStore.exclusive`), by the
   * grant's key: store-sql's `sqlGrantLocks` on PostgreSQL. Without it, only one process may
   * refresh a dealer's rotating grant (one embedded process, or one worker).
   */
  readonly grantLocks?: ((key: string) => GrantExclusive) | undefined;
}

export const keyValueDealerCredentials = (
  store: KeyValueStore.KeyValueStore,
  options: KeyValueDealerCredentialsOptions = {},
): DealerCredentialsStore => {
  const grants = store.forSchema(StoredGrant);
  return {
    sectionOf: (dealer, marketplace) =>
      store.get(sectionKey(dealer, marketplace)).pipe(
        Effect.flatMap((text) =>
          Option.isNone(text)
            ? Effect.succeedNone
            : Effect.try({
                try: () => Option.some(JSON.parse(text.value) as unknown),
                catch: () => ({ message: "the stored section is not JSON" }),
              }),
        ),
        Effect.mapError(failure(dealer, marketplace, "read the section")),
      ),
    putSection: (dealer, marketplace, section) =>
      store
        .set(sectionKey(dealer, marketplace), JSON.stringify(section))
        .pipe(Effect.mapError(failure(dealer, marketplace, "save the section"))),
    removeSection: (dealer, marketplace) =>
      Effect.zipRight(
        store.remove(sectionKey(dealer, marketplace)),
        store.remove(grantKey(dealer, marketplace)),
      ).pipe(Effect.mapError(failure(dealer, marketplace, "remove the section"))),
    grantStore: (dealer, marketplace, configured) => {
      const key = grantKey(dealer, marketplace);
      const origin = Redacted.value(configured.refreshToken);
      return {
        exclusive: options.grantLocks?.(key),
        load: grants.get(key).pipe(
          Effect.map(Option.filter((stored) => Redacted.value(stored.origin) === origin)),
          Effect.map(
            Option.map(
              ({ accessToken, refreshToken, expiresAt }): OAuthGrant => ({
                accessToken,
                refreshToken,
                expiresAt,
              }),
            ),
          ),
          Effect.mapError(failure(dealer, marketplace, "read the OAuth grant")),
        ),
        save: (grant) =>
          grants
            .set(key, { ...grant, origin: configured.refreshToken })
            .pipe(Effect.mapError(failure(dealer, marketplace, "save the OAuth grant"))),
      };
    },
  };
};

/** Sections by dealer, then by marketplace, as a config file's `marketplaces` would hold them. */
export type DealerSections = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** The credentials in memory (tests, short runs): the key-value store's, on a memory one. */
export const memoryDealerCredentials = (
  sections: DealerSections = {},
): Effect.Effect<DealerCredentialsStore> =>
  Effect.gen(function* () {
    const store = keyValueDealerCredentials(
      yield* Effect.provide(KeyValueStore.KeyValueStore, KeyValueStore.layerMemory),
    );
    for (const [dealer, byMarketplace] of Object.entries(sections))
      for (const [marketplace, section] of Object.entries(byMarketplace))
        yield* Effect.orDie(store.putSection(dealer, marketplace, section));
    return store;
  });

/** The port over the `KeyValueStore` in context. */
export const keyValueDealerCredentialsLayer: Layer.Layer<
  DealerCredentials,
  never,
  KeyValueStore.KeyValueStore
> = Layer.effect(
  DealerCredentials,
  Effect.map(KeyValueStore.KeyValueStore, keyValueDealerCredentials),
);

/** The port in memory, starting from `sections`. */
export const memoryDealerCredentialsLayer = (
  sections: DealerSections = {},
): Layer.Layer<DealerCredentials> =>
  Layer.effect(DealerCredentials, memoryDealerCredentials(sections));

/** A credentials store as Promises, for DMS code that does not use Effect. */
export interface DealerCredentialsClient {
  /** The dealer's section for the marketplace; `undefined` when it has none. */
  readonly sectionOf: (dealer: string, marketplace: string) => Promise<unknown>;
  readonly putSection: (dealer: string, marketplace: string, section: unknown) => Promise<void>;
  readonly removeSection: (dealer: string, marketplace: string) => Promise<void>;
}

/** The Promise facade of a credentials store; its Promises reject with the `AdsyncError`. */
export const createDealerCredentials = (store: DealerCredentialsStore): DealerCredentialsClient => {
  const runner = serviceRunner(DealerCredentials, Layer.succeed(DealerCredentials, store));
  return {
    sectionOf: (dealer, marketplace) =>
      runner.use(() => Effect.map(store.sectionOf(dealer, marketplace), Option.getOrUndefined)),
    putSection: (dealer, marketplace, section) =>
      runner.use(() => store.putSection(dealer, marketplace, section)),
    removeSection: (dealer, marketplace) =>
      runner.use(() => store.removeSection(dealer, marketplace)),
  };
};
