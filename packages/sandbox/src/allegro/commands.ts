import type { FakeRequest, FakeResponse } from "../http/fake-request.ts";
import { categoryById, packageJson, packages } from "./catalog.ts";
import { errorEntry, errors, json, notFound } from "./responses.ts";
import { type AllegroState, type FakeCommand, type FakeTask, isRecord, nowIso } from "./state.ts";
import { validateOffer } from "./validation.ts";

/** `GET /sale/classifieds-packages?category.id=`: the packages of a leaf category. */
export function listPackages(state: AllegroState, request: FakeRequest): FakeResponse {
  const category = categoryById(request.query["category.id"] ?? "", state.catalog);
  if (category === undefined || !category.leaf)
    return errors(400, [
      { code: "BadRequest", message: "category.id must be a leaf category", path: "category.id" },
    ]);
  return json(200, { packages: packages.map(packageJson) });
}

export function getPackage(packageId: string): FakeResponse {
  const found = packages.find((entry) => entry.id === packageId);
  return found === undefined ? notFound(`Package ${packageId}`) : json(200, packageJson(found));
}

export function assignedPackages(state: AllegroState, offerId: string): FakeResponse {
  const offer = state.offers.get(offerId);
  if (offer === undefined || offer.packages === undefined) return notFound(`Classified ${offerId}`);
  return json(200, offer.packages);
}

/**
 * `PUT /sale/offer-classifieds-packages/{offerId}`: "You can change packages only until the ad
 * is published. Once the ad is active, you can add only promo options."
 */
export function assignPackages(
  state: AllegroState,
  offerId: string,
  request: FakeRequest,
): FakeResponse {
  const offer = state.offers.get(offerId);
  if (offer === undefined) return notFound(`Offer ${offerId}`);
  const body = request.body;
  const baseId =
    isRecord(body) && isRecord(body.basePackage) ? String(body.basePackage.id) : undefined;
  const extras =
    isRecord(body) && Array.isArray(body.extraPackages)
      ? body.extraPackages.filter(isRecord).map((entry) => String(entry.id))
      : [];
  const base = packages.find((entry) => entry.id === baseId && entry.type === "BASE");
  if (base === undefined)
    return errors(422, [
      {
        code: "VALIDATION_ERROR",
        message: "basePackage must be a BASE package of the category.",
        path: "basePackage",
      },
    ]);
  if (extras.some((id) => !packages.some((entry) => entry.id === id && entry.type === "EXTRA")))
    return errors(422, [
      {
        code: "VALIDATION_ERROR",
        message: "extraPackages must be EXTRA packages of the category.",
        path: "extraPackages",
      },
    ]);
  const live = offer.status === "ACTIVE" || offer.status === "ACTIVATING";
  if (live && offer.packages !== undefined) {
    const kept = offer.packages.extraPackages.every((entry) => extras.includes(entry.id));
    if (offer.packages.basePackage.id !== base.id || !kept)
      return errors(422, [
        {
          code: "PackageChangeNotAllowed",
          message: "Once the ad is active, you can add only promo options.",
          path: "basePackage",
        },
      ]);
  }
  offer.packages = { basePackage: { id: base.id }, extraPackages: extras.map((id) => ({ id })) };
  return { status: 200 };
}

/** `POST /pricing/offer-fee-preview`: one quote per package in `classifiedsPackages`. */
export function feePreview(request: FakeRequest): FakeResponse {
  const body = request.body;
  if (!isRecord(body) || !isRecord(body.offer))
    return errors(400, [{ code: "BadRequest", message: "offer is required" }]);
  const chosen = isRecord(body.classifiedsPackages) ? body.classifiedsPackages : {};
  const ids = [
    ...(isRecord(chosen.basePackage) ? [String(chosen.basePackage.id)] : []),
    ...(Array.isArray(chosen.extraPackages)
      ? chosen.extraPackages.filter(isRecord).map((entry) => String(entry.id))
      : []),
  ];
  const quotes = ids.flatMap((id) => {
    const found = packages.find((entry) => entry.id === id);
    return found === undefined
      ? []
      : [
          {
            name: `Opłata za pakiet ${found.name}`,
            fee: { amount: found.fee, currency: "PLN" },
            cycleDuration: found.duration,
            classifiedsPackage: { id },
          },
        ];
  });
  return json(200, { commissions: [], quotes });
}

const taskJson = (task: FakeTask) => ({
  offer: { id: task.offerId },
  message: task.message,
  status: task.status,
  scheduledAt: task.scheduledAt,
  finishedAt: task.finishedAt,
  field: "publication",
  errors: task.errors,
});

const summary = (command: FakeCommand) => ({
  id: command.id,
  taskCount: {
    total: command.tasks.length,
    success: command.tasks.filter((task) => task.status === "SUCCESS").length,
    failed: command.tasks.filter((task) => task.status === "FAIL").length,
  },
});

/** Runs one task: ACTIVATE needs a valid offer with a package; END needs a live one. */
function process(state: AllegroState, command: FakeCommand, task: FakeTask): FakeTask {
  const offer = state.offers.get(task.offerId);
  const finish = (
    status: "SUCCESS" | "FAIL",
    message = "",
    problems: ReadonlyArray<Record<string, unknown>> = [],
  ) => {
    task.status = status;
    task.message = message;
    task.errors = [...problems];
    task.finishedAt = nowIso();
    return task;
  };
  if (offer === undefined) return finish("FAIL", "Offer not found");
  if (command.action === "END") {
    if (offer.status !== "ACTIVE" && offer.status !== "ACTIVATING")
      return finish("FAIL", "Only active offers can be ended");
    offer.status = "ENDED";
    offer.endedBy = "USER";
    state.events.emit("OFFER_ENDED", offer);
    // "Before relisting ad it is necessary to assign the package and additional options again."
    offer.packages = undefined;
    return finish("SUCCESS");
  }
  const problems = validateOffer(state, offer.fields);
  if (problems.length > 0) {
    offer.status = "INACTIVE";
    return finish("FAIL", "Offer validation failed", problems.map(errorEntry));
  }
  if (offer.packages === undefined) {
    offer.status = offer.status === "ENDED" ? "ENDED" : "INACTIVE";
    return finish("FAIL", "Assign a classifieds package before publishing", [
      errorEntry({
        code: "PackageNotAssigned",
        message: "Assign a classifieds package before publishing",
        path: "basePackage",
      }),
    ]);
  }
  offer.endedBy = null;
  const scheduled =
    command.scheduledFor === undefined ? 0 : Date.parse(command.scheduledFor) - state.timers.now();
  if (scheduled > 0) {
    // "The same status [ACTIVATING] is applied to offers with scheduled listing date."
    offer.status = "ACTIVATING";
    offer.startingAt = command.scheduledFor ?? null;
    state.timers.after(Math.min(scheduled, 2_147_000_000), () => {
      if (offer.status !== "ACTIVATING") return;
      offer.status = "ACTIVE";
      state.events.emit("OFFER_ACTIVATED", offer);
    });
  } else {
    offer.status = "ACTIVE";
    state.events.emit("OFFER_ACTIVATED", offer);
  }
  return finish("SUCCESS");
}

/**
 * `PUT /sale/offer-publication-commands/{commandId}`: the client's UUID names the command; a
 * second PUT with it answers "409 Command id was already used" and runs nothing. Tasks start
 * `NEW` ("We are not able to verify immediately") and are processed after `taskDelayMs`.
 */
export function putCommand(
  state: AllegroState,
  commandId: string,
  request: FakeRequest,
): FakeResponse {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(commandId))
    return errors(400, [{ code: "BadRequest", message: "commandId must be a UUID" }]);
  if (state.commands.has(commandId))
    return errors(409, [{ code: "CommandAlreadyExists", message: "Command id was already used" }]);
  const body = request.body;
  const publication = isRecord(body) && isRecord(body.publication) ? body.publication : undefined;
  const action = publication?.action;
  const criteria =
    isRecord(body) && Array.isArray(body.offerCriteria) ? body.offerCriteria.filter(isRecord) : [];
  if (
    (action !== "ACTIVATE" && action !== "END") ||
    criteria.length === 0 ||
    criteria.some((entry) => entry.type !== "CONTAINS_OFFERS")
  )
    return errors(400, [
      {
        code: "BadRequest",
        message:
          "publication.action (ACTIVATE, END) and offerCriteria CONTAINS_OFFERS are required",
      },
    ]);
  const offerIds = criteria.flatMap((entry) =>
    Array.isArray(entry.offers)
      ? entry.offers.filter(isRecord).map((offer) => String(offer.id))
      : [],
  );
  if (offerIds.length === 0 || offerIds.length > 1000)
    return errors(422, [{ code: "VALIDATION_ERROR", message: "Name 1 to 1000 offers." }]);
  const scheduledFor =
    typeof publication?.scheduledFor === "string" ? publication.scheduledFor : undefined;
  const at = nowIso();
  const command: FakeCommand = {
    id: commandId,
    action,
    scheduledFor: action === "ACTIVATE" ? scheduledFor : undefined,
    tasks: offerIds.map((offerId) => ({
      offerId,
      status: "NEW",
      message: "",
      errors: [],
      scheduledAt: scheduledFor ?? at,
      finishedAt: null,
    })),
  };
  state.commands.set(commandId, command);
  for (const task of command.tasks) {
    const offer = state.offers.get(task.offerId);
    if (action === "ACTIVATE" && offer !== undefined && offer.status !== "ACTIVE")
      offer.status = "ACTIVATING";
  }
  state.timers.after(state.options.taskDelayMs ?? 50, () => {
    for (const task of command.tasks) process(state, command, task);
  });
  // "The response will contain an empty summary."
  return json(201, { id: commandId, taskCount: { total: 0, success: 0, failed: 0 } });
}

export function commandSummary(state: AllegroState, commandId: string): FakeResponse {
  const command = state.commands.get(commandId);
  return command === undefined ? notFound(`Command ${commandId}`) : json(200, summary(command));
}

export function commandTasks(
  state: AllegroState,
  commandId: string,
  request: FakeRequest,
): FakeResponse {
  const command = state.commands.get(commandId);
  if (command === undefined) return notFound(`Command ${commandId}`);
  const limit = Number(request.query.limit ?? 100);
  const offset = Number(request.query.offset ?? 0);
  if (!(limit >= 1 && limit <= 1000) || !(offset >= 0 && offset <= 999))
    return errors(422, [{ code: "VALIDATION_ERROR", message: "limit 1–1000, offset 0–999" }]);
  return json(200, { tasks: command.tasks.slice(offset, offset + limit).map(taskJson) });
}
