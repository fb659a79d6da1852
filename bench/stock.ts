/** The benchmark's stock: cars every marketplace takes, unique per ad (`bench/run.ts`). */
import type { VehicleAdInput } from "@adsync/core";
import { carAd } from "../packages/cli/test/model/world.ts";

/**
 * A unique 6-character plate per ad (Marktplaats recognises a lost create by its plate; the
 * model tests' plates repeat every 10 ads).
 */
const plateOf = (index: number) => `B${index.toString(36).toUpperCase().padStart(5, "0")}`;

/**
 * A car every one of the four marketplaces takes (the CLI model tests' `carAd`: its price and
 * location per marketplace), made unique per ad: id, plate, images (1–12), year and mileage.
 * `changed` lowers its price.
 */
export const sampleAd = (index: number, changed = false): VehicleAdInput => {
  const ad = carAd(0, index, {
    title: `Volvo XC90 D5 AWD nr ${index}`,
    price: (changed ? 90_000 : 100_000) + index,
  });
  return {
    ...ad,
    id: `bench-${index}`,
    images: Array.from(
      { length: 1 + (index % 12) },
      (_, image) => `https://img.example.com/${index}/${image}.jpg`,
    ),
    vehicle: {
      ...ad.vehicle,
      modelYear: 2015 + (index % 10),
      registrationNumber: plateOf(index),
      mileage: { value: index * 10, unit: "km" },
    },
  };
};
export const stock = (count: number, changed: (index: number) => boolean = () => false) =>
  Array.from({ length: count }, (_, index) => sampleAd(index, changed(index)));
