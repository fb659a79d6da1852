export type { MarktplaatsFake } from "./marktplaats-fake.ts";
export { startMarktplaatsFake } from "./marktplaats-fake.ts";
export type { MarktplaatsFakeOptions } from "./options.ts";
export { MARKTPLAATS_SANDBOX_CLIENT } from "./options.ts";
