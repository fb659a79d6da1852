/**
 * The input types TypeScript callers see: a `VehicleAdInput` (the Schema's `Encoded` side) is
 * checked by the compiler, data of unknown shape goes through `uncheckedAd`. The
 * `@ts-expect-error` lines are the test: `pnpm typecheck` fails when one of them compiles.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  type AdInput,
  type AdsyncClient,
  type PublisherService,
  type UncheckedAd,
  uncheckedAd,
  type VehicleAd,
  type VehicleAdInput,
} from "../src/index.ts";

const car = {
  id: "typed-1",
  category: "car",
  description: "A well kept family car.",
  price: { list: { amount: 35_000_000, currency: "SEK" } },
  vehicle: { make: "Volvo", model: "XC90", modelYear: 2019 },
} satisfies VehicleAdInput;

/** Never called: only compiled. */
const compileOnly = (client: AdsyncClient, publisher: PublisherService) => {
  void client.publish(car);
  void client.validate(car, { to: ["blocket"] });
  void client.sync([car, uncheckedAd({ id: "from-a-feed" })]);
  void publisher.publish(car);
  void client.publish(uncheckedAd(JSON.parse("{}")));

  // @ts-expect-error a misspelled field
  void client.publish({ ...car, descripton: "typo" });
  // @ts-expect-error not a canonical category
  void client.publish({ ...car, category: "spaceship" });
  // @ts-expect-error an amount is a number of minor units
  void client.publish({ ...car, price: { list: { amount: "350000", currency: "SEK" } } });
  // @ts-expect-error a required field is missing
  void client.validate({ id: "no-vehicle", category: "car" });
  // @ts-expect-error the Effect API takes the same input
  void publisher.validate({ ...car, vehicle: { make: "Volvo" } });
  // @ts-expect-error data of unknown shape must be marked with uncheckedAd
  void client.publish(JSON.parse("{}") as unknown);
  // @ts-expect-error a stock of unknown items too
  void client.sync([{ id: "x" }]);
};

describe("the typed input of validate, publish and sync", () => {
  it("is the Schema's encoded side, or an explicitly unchecked value", () => {
    expectTypeOf<Parameters<AdsyncClient["publish"]>[0]>().toEqualTypeOf<AdInput>();
    expectTypeOf<Parameters<AdsyncClient["validate"]>[0]>().toEqualTypeOf<AdInput>();
    expectTypeOf<Parameters<PublisherService["publish"]>[0]>().toEqualTypeOf<AdInput>();
    expectTypeOf<Parameters<PublisherService["validate"]>[0]>().toEqualTypeOf<AdInput>();
    expectTypeOf<AdInput>().toEqualTypeOf<typeof VehicleAd.Encoded | UncheckedAd>();
    expectTypeOf<VehicleAdInput["category"]>().toEqualTypeOf<typeof VehicleAd.Type.category>();
    void compileOnly;
  });

  it("uncheckedAd passes the data through untouched: the publisher checks it", () => {
    const data = { id: "from-a-feed", price: "cheap" };
    expect(uncheckedAd(data)).toBe(data);
  });
});
