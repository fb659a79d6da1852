import {
  type AdsyncError,
  type Issue,
  type Prepared,
  prepareForMarketplace,
  type VehicleAd,
} from "@adsync/core";
import { Effect, Either } from "effect";

/**
 * A dialect service's `validate…(ad)` helper, prepared as the publisher prepares it: reference
 * data loaded (`warmUp`), the ad's per-marketplace overrides applied and the adapter's own
 * `prepare` (`prepareForMarketplace` in core, as the publisher's `validateRemotely` does). Local
 * issues are answered as they are, naming the override that gave a value, and nothing is sent;
 * otherwise the marketplace's validation of the body a create would send.
 */
export const validateAsPublished =
  <P>(dialect: {
    readonly marketplace: string;
    readonly warmUp: Effect.Effect<unknown, AdsyncError>;
    readonly prepare: (ad: VehicleAd) => Either.Either<Prepared<P>, ReadonlyArray<Issue>>;
    readonly validateRemotely: (
      ad: VehicleAd,
      prepared: Prepared<P>,
    ) => Effect.Effect<ReadonlyArray<Issue>, AdsyncError>;
  }) =>
  (ad: VehicleAd): Effect.Effect<ReadonlyArray<Issue>, AdsyncError> =>
    Effect.flatMap(dialect.warmUp, () =>
      Either.match(prepareForMarketplace(ad, dialect.marketplace, dialect.prepare), {
        onLeft: (issues) => Effect.succeed(issues),
        onRight: (ready) => dialect.validateRemotely(ready.ad, ready.prepared),
      }),
    );

/**
 * The answer of a dialect's `POST /ad/validate`: no issues when it accepts the body; a refusal
 * the dialect counts as findings (`isFinding`) answers its issues; other failures stay failures.
 */
export const validationFindings = (
  sent: Effect.Effect<unknown, AdsyncError>,
  isFinding: (error: AdsyncError) => boolean,
): Effect.Effect<ReadonlyArray<Issue>, AdsyncError> =>
  sent.pipe(
    Effect.as<ReadonlyArray<Issue>>([]),
    Effect.catchIf(isFinding, (error) => Effect.succeed(error.issues)),
  );
