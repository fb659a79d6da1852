import type { VehicleAdInput } from "../../src/index.ts";

/** The smallest car ad the publisher tests publish: valid on every fake adapter. */
export const sampleAd = {
  id: "ad-1",
  category: "car",
  description: "A well kept family car.",
  price: { list: { amount: 35_000_000, currency: "SEK" } },
  vehicle: { make: "Volvo", model: "XC90", modelYear: 2019 },
} satisfies VehicleAdInput;

/** The sample car with what Blocket requires beside it (an image, body, mileage, fuel, gearbox). */
export const blocketReadyAd = (id: string) =>
  ({
    ...sampleAd,
    id,
    images: [`https://images.example.com/${id}/1.jpg`],
    vehicle: {
      ...sampleAd.vehicle,
      bodyType: "suv",
      mileage: { value: 9000, unit: "mil" },
      fuels: ["petrol"],
      transmission: "automatic",
    },
  }) satisfies VehicleAdInput;
