import { Schema } from "effect";

/**
 * An amount of money as an integer number of minor units (öre, cents, grosze) with its ISO 4217
 * currency. Integers in minor units make every conversion exact; adapters convert to whatever
 * unit their marketplace takes (whole kronor, a decimal string in PLN, …) in one place.
 */
export const Money = Schema.Struct({
  amount: Schema.Int.pipe(Schema.nonNegative(), Schema.lessThanOrEqualTo(Number.MAX_SAFE_INTEGER)),
  currency: Schema.String.pipe(
    Schema.pattern(/^[A-Z]{3}$/, { message: () => "a three-letter ISO 4217 code, e.g. SEK" }),
  ),
}).annotations({ identifier: "Money" });
export type Money = typeof Money.Type;

/** The number of minor units in one major unit, per ISO 4217 (2 for every currency we serve). */
export const minorUnitsPerMajor = (currency: string): number =>
  zeroDecimalCurrencies.has(currency) ? 1 : 100;

const zeroDecimalCurrencies = new Set(["JPY", "KRW", "ISK", "CLP", "VND"]);
