import { reasonOfStatus } from "@adsync/core";
import { describe, expect, it } from "@effect/vitest";
import fc from "fast-check";
import { errorFromResponse, issuesFromBody } from "../src/index.ts";

describe("issuesFromBody", () => {
  it("maps Blocket's nested category_fields error to the canonical vehicle field", () => {
    // V4 guide, "400 Bad Request - Validation error".
    const issues = issuesFromBody("blocket", {
      category_fields: { brand: ["This field is required."] },
    });
    expect(issues).toEqual([
      {
        path: "vehicle.make",
        code: "required",
        message: "This field is required.",
        marketplace: "blocket",
        marketplacePath: "category_fields.brand",
      },
    ]);
  });

  it("maps deeper nested fields, one issue per message", () => {
    const issues = issuesFromBody("blocket", {
      category_fields: {
        condition: { mileage: { unit: ['"miles" is not a valid choice.'] } },
        powertrain: { transmission: ['"cvt" is not a valid choice.'] },
      },
      location: { zipcode: ["Enter digits only, without spaces."] },
      contact: { phone: ["Enter digits only.", "This field may not be blank."] },
    });
    expect(issues.map((entry) => [entry.path, entry.marketplacePath, entry.code])).toEqual([
      ["vehicle.mileage.unit", "category_fields.condition.mileage.unit", "invalid_value"],
      ["vehicle.transmission", "category_fields.powertrain.transmission", "invalid_value"],
      ["location.postalCode", "location.zipcode", "invalid_value"],
      ["contact.phone", "contact.phone", "invalid_value"],
      ["contact.phone", "contact.phone", "required"],
    ]);
  });

  it("maps Tradera's dotted keys like the nested ones", () => {
    const issues = issuesFromBody("tradera", {
      "category_fields.brand": ["This field is required."],
      "category_fields.physics.length": ["Not a valid string."],
    });
    expect(issues).toEqual([
      {
        path: "vehicle.make",
        code: "required",
        message: "This field is required.",
        marketplace: "tradera",
        marketplacePath: "category_fields.brand",
      },
      {
        path: "vehicle.lengthMm",
        code: "invalid_value",
        message: "Not a valid string.",
        marketplace: "tradera",
        marketplacePath: "category_fields.physics.length",
      },
    ]);
  });

  it("turns a plain-string body into one issue on the whole ad", () => {
    const issues = issuesFromBody("tradera", "Cannot update ad that has been deleted.");
    expect(issues).toEqual([
      {
        path: "",
        code: "not_allowed",
        message: "Cannot update ad that has been deleted.",
        marketplace: "tradera",
      },
    ]);
  });

  it('reads {"detail": …} as an issue on the whole ad, without a marketplace path', () => {
    expect(issuesFromBody("blocket", { detail: "Not found." })).toEqual([
      { path: "", code: "not_found", message: "Not found.", marketplace: "blocket" },
    ]);
    expect(
      issuesFromBody("blocket", { detail: "Authentication credentials were not provided." }),
    ).toEqual([
      {
        path: "",
        code: "unauthorized",
        message: "Authentication credentials were not provided.",
        marketplace: "blocket",
      },
    ]);
  });

  it("reads non_field_errors of a nested object as errors of that object", () => {
    const issues = issuesFromBody("blocket", {
      location: { non_field_errors: ["Use only one of zipcode, lkf or latitude and longitude."] },
    });
    expect(issues).toEqual([
      expect.objectContaining({ path: "location", marketplacePath: "location" }),
    ]);
  });

  it("maps image_urls.N to images.N, whether nested or dotted", () => {
    expect(issuesFromBody("blocket", { image_urls: { "3": ["Enter a valid URL."] } })).toEqual([
      {
        path: "images.3",
        code: "invalid_value",
        message: "Enter a valid URL.",
        marketplace: "blocket",
        marketplacePath: "image_urls.3",
      },
    ]);
    expect(issuesFromBody("tradera", { "image_urls.12": ["Enter a valid URL."] })[0]?.path).toBe(
      "images.12",
    );
    // DRF's ListField answers one error list per item, in order.
    const listed = issuesFromBody("blocket", { image_urls: [[], ["Enter a valid URL."]] });
    expect(listed.map((entry) => entry.path)).toEqual(["images.1"]);
  });

  it("keeps the list as a whole on images when the error is about the list", () => {
    const issues = issuesFromBody("blocket", { image_urls: ["Enter a valid URL."] });
    expect(issues).toEqual([
      expect.objectContaining({
        path: "images",
        code: "invalid_value",
        marketplacePath: "image_urls",
      }),
    ]);
  });

  it("codes a list over its size limit too_many, as local validation does", () => {
    // DRF's wording for a ListField's max_length; the mapping reports the same limit as too_many.
    const issues = issuesFromBody("blocket", {
      image_urls: ["Ensure this field has no more than 20 elements."],
    });
    expect(issues).toEqual([
      expect.objectContaining({ path: "images", code: "too_many", marketplacePath: "image_urls" }),
    ]);
  });

  it.each(["A valid integer is required.", "A valid number is required."])(
    "codes DRF's type error %j invalid_value: the field was given, not missing",
    (message) => {
      const issues = issuesFromBody("blocket", {
        category_fields: { condition: { mileage: { value: [message] } } },
      });
      expect(issues).toEqual([
        {
          path: "vehicle.mileage.value",
          code: "invalid_value",
          message,
          marketplace: "blocket",
          marketplacePath: "category_fields.condition.mileage.value",
        },
      ]);
    },
  );

  it("maps a price item's error to the canonical price, not to a marketplace-only field", () => {
    // DRF lists one error object per item of a list of objects: {"price": [{"amount": [...]}]}.
    const issues = issuesFromBody("blocket", {
      price: [{ amount: ["A valid integer is required."] }],
    });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.marketplacePath).toBe("price.0.amount");
    expect(issues[0]?.path).toMatch(/^price(\.|$)/);
  });

  it("puts dialect-only fields under marketplaces.<id>", () => {
    expect(issuesFromBody("blocket", { visible: ["Must be a valid boolean."] })).toEqual([
      {
        path: "marketplaces.blocket.visible",
        code: "invalid_value",
        message: "Must be a valid boolean.",
        marketplace: "blocket",
        marketplacePath: "visible",
      },
    ]);
  });

  it("maps dealer_code to the per-ad option the mapping reads it from", () => {
    // Local validation reports a missing dealer code on marketplaces.blocket.dealerCode.
    expect(issuesFromBody("blocket", { dealer_code: ["This field is required."] })).toEqual([
      {
        path: "marketplaces.blocket.dealerCode",
        code: "required",
        message: "This field is required.",
        marketplace: "blocket",
        marketplacePath: "dealer_code",
      },
    ]);
  });

  it("reads a duplicate source_id as a conflict on the ad id", () => {
    expect(
      issuesFromBody("blocket", { source_id: ["Ad with this source_id already exists."] }),
    ).toEqual([
      {
        path: "id",
        code: "conflict",
        message: "Ad with this source_id already exists.",
        marketplace: "blocket",
        marketplacePath: "source_id",
      },
    ]);
  });

  it("answers no issues for bodies that hold no message", () => {
    expect(issuesFromBody("blocket", undefined)).toEqual([]);
    expect(issuesFromBody("blocket", null)).toEqual([]);
    expect(issuesFromBody("blocket", {})).toEqual([]);
    expect(issuesFromBody("blocket", 42)).toEqual([]);
  });

  it("property: one issue per message string, each naming the marketplace", () => {
    const key = fc.constantFrom(
      "title",
      "body",
      "price",
      "image_urls",
      "location",
      "zipcode",
      "category_fields",
      "brand",
      "condition",
      "mileage",
      "detail",
      "non_field_errors",
      "dealer_code",
    );
    const { tree } = fc.letrec<{ tree: unknown }>((tie) => ({
      tree: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        fc.string({ minLength: 1, maxLength: 20 }),
        fc.array(tie("tree"), { maxLength: 3 }),
        fc.dictionary(key, tie("tree"), { maxKeys: 3 }),
      ),
    }));
    const countStrings = (value: unknown): number =>
      typeof value === "string"
        ? 1
        : Array.isArray(value)
          ? value.reduce<number>((sum, entry) => sum + countStrings(entry), 0)
          : typeof value === "object" && value !== null
            ? Object.values(value).reduce<number>((sum, entry) => sum + countStrings(entry), 0)
            : 0;
    fc.assert(
      fc.property(tree, (body) => {
        const issues = issuesFromBody("blocket", body);
        expect(issues).toHaveLength(countStrings(body));
        for (const entry of issues) {
          expect(entry.marketplace).toBe("blocket");
          expect(entry.path === "").toBe(entry.marketplacePath === undefined);
        }
      }),
    );
  });
});

describe("errorFromResponse", () => {
  const response = (status: number, body: unknown) => ({ status, headers: {}, body });

  // The table itself is core's (reasonOfStatus, tested in core): Pro Import reads it as is.
  it.each([400, 401, 403, 404, 405, 409, 413, 415, 422, 302])(
    "classifies status %i by core's table, not retryable",
    (status) => {
      const reason = reasonOfStatus(status);
      const error = errorFromResponse("blocket", "create", response(status, { detail: "x" }));
      expect(error.reason).toBe(reason);
      expect(error.status).toBe(status);
      expect(error.marketplace).toBe("blocket");
      expect(error.operation).toBe("create");
      expect(error.isRetryable).toBe(false);
    },
  );

  it("carries the body's issues and names them in its message", () => {
    const error = errorFromResponse(
      "blocket",
      "create",
      response(400, { category_fields: { brand: ["This field is required."] } }),
    );
    expect(error.issues).toEqual([
      expect.objectContaining({ path: "vehicle.make", code: "required" }),
    ]);
    expect(error.message).toBe("blocket create: 400 This field is required.");
  });

  it("says 'no detail' for an empty body", () => {
    const error = errorFromResponse("blocket", "remove", response(404, undefined));
    expect(error.issues).toEqual([]);
    expect(error.message).toBe("blocket remove: 404 no detail");
  });

  it("turns the 409 of a duplicate source_id into a Conflict with an id issue", () => {
    const error = errorFromResponse(
      "blocket",
      "create",
      response(409, { source_id: ["Ad with this source_id already exists."] }),
    );
    expect(error.reason).toBe("Conflict");
    expect(error.issues).toEqual([expect.objectContaining({ path: "id", code: "conflict" })]);
  });
});
