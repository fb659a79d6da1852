/**
 * Where each Pro Import field lives in the canonical model, so that the marketplace's
 * validation errors (`{"category_fields": {"brand": [...]}}` on Blocket, `"category_fields.brand"`
 * on Tradera) land on the field the dealer can fix.
 */
const exact: Readonly<Record<string, string>> = {
  source_id: "id",
  category_id: "category",
  title: "title",
  body: "description",
  price: "price",
  image_urls: "images",
  video_url: "video",
  url: "url",
  location: "location",
  "location.zipcode": "location.postalCode",
  "location.lkf": "location.regionCodes.lkf",
  "location.latitude": "location.coordinates.latitude",
  "location.longitude": "location.coordinates.longitude",
  contact: "contact",
  "contact.name": "contact.name",
  "contact.phone": "contact.phone",
  "contact.email": "contact.email",
  product_declaration: "terms.productDeclarationUrl",
  warranty: "terms.warranty",
  return_policy: "terms.returnPolicy",
  service_history: "terms.serviceHistory",
  home_delivery: "terms.homeDelivery",
  category_fields: "vehicle",
  "category_fields.brand": "vehicle.make",
  "category_fields.model": "vehicle.model",
  "category_fields.model_type": "vehicle.variant",
  "category_fields.model_year": "vehicle.modelYear",
  "category_fields.body_type": "vehicle.bodyType",
  "category_fields.color": "vehicle.colour",
  "category_fields.registration_number": "vehicle.registrationNumber",
  "category_fields.condition": "vehicle.mileage",
  "category_fields.condition.mileage": "vehicle.mileage",
  "category_fields.condition.mileage.value": "vehicle.mileage.value",
  "category_fields.condition.mileage.unit": "vehicle.mileage.unit",
  "category_fields.condition.is_new_vehicle": "vehicle.condition",
  "category_fields.powertrain": "vehicle",
  "category_fields.powertrain.transmission": "vehicle.transmission",
  "category_fields.powertrain.fuels": "vehicle.fuels",
  "category_fields.powertrain.power": "vehicle.power",
  "category_fields.physics.gross_weight": "vehicle.grossWeightKg",
  "category_fields.physics.length": "vehicle.lengthMm",
  "category_fields.physics.number_of_beds": "vehicle.beds",
  "category_fields.equipments": "vehicle.equipment",
  "category_fields.warranty": "terms.warranty",
  "category_fields.return_policy": "terms.returnPolicy",
  "category_fields.service_history": "terms.serviceHistory",
  "category_fields.home_delivery": "terms.homeDelivery",
};

/**
 * The canonical path for a Pro Import field path; `marketplaces.<id>.<field>` for fields that
 * only exist in the dialect (dealer_code, visible, …).
 */
export const canonicalPath = (marketplace: string, wirePath: string): string => {
  // The dealer code comes from the adapter's configuration or the ad's own option.
  if (wirePath === "dealer_code") return `marketplaces.${marketplace}.dealerCode`;
  // Tradera indexes lists .NET-style ("price[0].currency"); Blocket as path segments.
  if (wirePath.includes("["))
    return canonicalPath(marketplace, wirePath.replace(/\[(\d+)\]/g, ".$1"));
  const known = exact[wirePath];
  if (known !== undefined) return known;
  const image = /^image_urls\.(\d+)$/.exec(wirePath);
  if (image) return `images.${image[1]}`;
  // Walk up to the nearest field we know, skipping list indexes: `price.0.amount` → `price`.
  const segments = wirePath.split(".");
  for (let length = segments.length - 1; length > 0; length--) {
    const parent = segments
      .slice(0, length)
      .filter((segment) => !/^\d+$/.test(segment))
      .join(".");
    const mapped = exact[parent];
    if (mapped !== undefined) return mapped;
  }
  return wirePath === "" ? "" : `marketplaces.${marketplace}.${wirePath}`;
};
