import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  asAd,
  asPage,
  call,
  carAd,
  categoryFieldsOf,
  newRequestId,
  type RunningBlocketFake,
  requestSettled,
  simpleAd,
  startFastBlocketFake,
  waitForAd,
} from "./support.ts";

describe("Blocket fake: listing ads and reading logs", () => {
  let fake: RunningBlocketFake;
  beforeEach(async () => {
    fake = await startFastBlocketFake();
  });
  afterEach(() => fake.close());

  async function createFive(): Promise<void> {
    for (const index of [1, 2, 3]) {
      const registration = `ABC00${index}`;
      const body = carAd(`car-${index}`, {
        category_fields: { ...categoryFieldsOf(carAd("any")), registration_number: registration },
      });
      expect((await call(fake, "POST", "/v4/ad", { body })).status).toBe(201);
    }
    expect((await call(fake, "POST", "/v3/ad", { body: simpleAd("tyres-1") })).status).toBe(201);
    const other = simpleAd("tyres-2", { dealer_code: "DEALER2", title: "Summer tyres" });
    expect((await call(fake, "POST", "/v3/ad", { body: other })).status).toBe(201);
  }

  it("paginates with limit and offset, linking next and previous pages", async () => {
    await createFive();
    const first = asPage((await call(fake, "GET", "/v4/ad?limit=2&ordering=created")).body);
    expect(first.count).toBe(5);
    expect(first.results.map((ad) => ad.source_id)).toEqual(["car-1", "car-2"]);
    expect(first.previous).toBeNull();
    expect(first.next).toBe(`${fake.url}/v4/ad?limit=2&ordering=created&offset=2`);

    const nextUrl = first.next ?? "";
    const second = asPage(
      await fetch(nextUrl, { headers: { "X-Auth-Token": "sandbox-blocket-token" } }).then((r) =>
        r.json(),
      ),
    );
    expect(second.results.map((ad) => ad.source_id)).toEqual(["car-3", "tyres-1"]);
    expect(second.previous).toBe(`${fake.url}/v4/ad?limit=2&ordering=created`);
    const last = asPage((await call(fake, "GET", "/v4/ad?limit=2&offset=4&ordering=created")).body);
    expect(last.results.map((ad) => ad.source_id)).toEqual(["tyres-2"]);
    expect(last.next).toBeNull();

    const newestFirst = asPage((await call(fake, "GET", "/v4/ad?ordering=-created")).body);
    expect(newestFirst.results.map((ad) => ad.source_id)).toEqual([
      "tyres-2",
      "tyres-1",
      "car-3",
      "car-2",
      "car-1",
    ]);
  });

  it("filters by the documented filters", async () => {
    await createFive();
    const ids = async (query: string) =>
      asPage((await call(fake, "GET", `/v3/ad?ordering=created&${query}`)).body).results.map(
        (ad) => ad.source_id,
      );
    expect(await ids("source_id=car-2")).toEqual(["car-2"]);
    expect(await ids("source_id__in=car-1,tyres-2,nothing")).toEqual(["car-1", "tyres-2"]);
    expect(await ids("dealer_code=DEALER2")).toEqual(["tyres-2"]);
    expect(await ids("search=summer")).toEqual(["tyres-2"]);
    expect(await ids("registration_number=abc 002")).toEqual(["car-2"]);
    expect(await ids("state=deleted")).toEqual([]);
    expect(await ids("created__gt=2000-01-01 00:00:00")).toHaveLength(5);
    expect(await ids("created__lt=2000-01-01 00:00:00")).toEqual([]);
    expect(await ids("updated__gt=2999-01-01 00:00:00")).toEqual([]);

    const badDate = await call(fake, "GET", "/v3/ad?created__gt=yesterday");
    expect(badDate.status).toBe(400);
    expect(badDate.body).toEqual({ created__gt: ["Enter a valid date/time."] });
    const badState = await call(fake, "GET", "/v3/ad?state=gone");
    expect(badState.body).toEqual({
      state: ["Select a valid choice. gone is not one of the available choices."],
    });

    const created = asAd(fake.ad("car-1"));
    const published = await waitForAd(fake, "car-1", requestSettled(newRequestId(created)));
    expect(await ids(`blocket_ad_id=${published.blocket_ad_id ?? ""}`)).toEqual(["car-1"]);
    await call(fake, "DELETE", "/v4/ad/tyres-1");
    await waitForAd(fake, "tyres-1", (ad) => ad.state === "deleted");
    expect(await ids("state=deleted")).toEqual(["tyres-1"]);
  });

  it("leaves the log out unless include=log, and keeps only the requested fields", async () => {
    await call(fake, "POST", "/v4/ad", { body: carAd("car-1") });
    const plain = asPage((await call(fake, "GET", "/v4/ad")).body);
    expect(plain.results[0]).not.toHaveProperty("log");
    expect(plain.results[0]).toMatchObject({ source_id: "car-1", category_id: 1020 });
    const withLog = asPage((await call(fake, "GET", "/v4/ad?include=log")).body);
    expect(withLog.results[0]?.log).toHaveLength(3);
    const some = asPage((await call(fake, "GET", "/v4/ad?fields=source_id,state")).body);
    expect(some.results).toEqual([{ source_id: "car-1", state: "created" }]);
  });

  it("pages an ad's log with action, state and ordering filters", async () => {
    const created = asAd((await call(fake, "POST", "/v4/ad", { body: carAd("car-1") })).body);
    await waitForAd(fake, "car-1", requestSettled(newRequestId(created)));
    await call(fake, "PATCH", "/v4/ad/car-1", { body: { body: "Updated" } });

    const all = asPage((await call(fake, "GET", "/v4/ad/car-1/log")).body);
    expect(all.count).toBe(5);
    expect(all.results.map((entry) => entry.action)).toEqual([
      "create",
      "handle_media",
      "publish",
      "update",
      "publish",
    ]);
    const publishes = asPage(
      (await call(fake, "GET", "/v4/ad/car-1/log?action=publish&ordering=-created")).body,
    );
    expect(publishes.results.map((entry) => entry.state)).toEqual(["processing", "done"]);
    const processing = asPage((await call(fake, "GET", "/v4/ad/car-1/log?state=processing")).body);
    expect(processing.results.map((entry) => entry.action)).toEqual(["update", "publish"]);
    const paged = asPage((await call(fake, "GET", "/v4/ad/car-1/log?limit=2&offset=2")).body);
    expect(paged.results.map((entry) => entry.action)).toEqual(["publish", "update"]);
    expect(paged.next).toBe(`${fake.url}/v4/ad/car-1/log?limit=2&offset=4`);
    expect(paged.previous).toBe(`${fake.url}/v4/ad/car-1/log?limit=2`);
    const badAction = await call(fake, "GET", "/v4/ad/car-1/log?action=explode");
    expect(badAction.status).toBe(400);
  });

  it("serves the vehicle reference data", async () => {
    const brands = await call(fake, "GET", "/v3/vehicle/brands");
    expect(brands.body).toEqual(
      expect.arrayContaining(["volvo", "mercedes-benz", "yamaha", "brenderup"]),
    );
    const models = await call(fake, "GET", "/v3/vehicle/models?brand=volvo");
    expect(models.body).toEqual(expect.arrayContaining(["xc60", "v90"]));
    expect((await call(fake, "GET", "/v3/vehicle/models")).status).toBe(400);
    expect((await call(fake, "GET", "/v3/vehicle/fuels")).body).toEqual(
      expect.arrayContaining(["plugin_hybrid", "hydrogen"]),
    );
    expect((await call(fake, "GET", "/v3/vehicle/body_types")).body).toEqual(
      expect.arrayContaining(["semi_integrated", "moped"]),
    );
  });
});
