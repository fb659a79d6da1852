/** An advertisement the Marktplaats fake accepts (a car in category 157), with overrides. */
export const golf = (extra: Record<string, unknown> = {}) => ({
  categoryId: 157,
  title: "Volkswagen Golf 2019",
  description: "<p>Nette auto</p>",
  priceModel: { modelType: "fixed", askingPrice: 1_899_500 },
  location: { postcode: "1097DN" },
  model: "Golf",
  constructionYear: 2019,
  ...extra,
});
