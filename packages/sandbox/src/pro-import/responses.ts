import type { FakeResponse } from "../http/fake-request.ts";

/** Success answers, the same in both APIs; each API words its errors in its own module. */

export function ok(body: unknown): FakeResponse {
  return { status: 200, body };
}

export function created(body: unknown): FakeResponse {
  return { status: 201, body };
}

/** 405 with the Allow header listing the methods the path has. */
export function methodNotAllowed(allowed: ReadonlyArray<string>, body: unknown): FakeResponse {
  return { status: 405, headers: { allow: allowed.join(", ") }, body };
}
