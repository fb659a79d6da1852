/**
 * The adapter configs that point Marktplaats and Allegro at the sandbox with its own test
 * credentials, shared by the CLI's test "processes" (sandbox-publisher.ts, model/world.ts).
 */
import type { AllegroConfig } from "@adsync/allegro";
import type { MarktplaatsConfig } from "@adsync/marktplaats";
import {
  ALLEGRO_SANDBOX_CLIENT_ID,
  ALLEGRO_SANDBOX_CLIENT_SECRET,
  ALLEGRO_SANDBOX_REFRESH_TOKEN,
  MARKTPLAATS_SANDBOX_CLIENT,
  type Sandbox,
} from "@adsync/sandbox";
import { Redacted } from "effect";

/** The User-Agent the tests name (Allegro refuses a non-descriptive one). */
export const testUserAgent = "adsync-tests/1.0 (+https://github.com/adsync/adsync)";

export const marktplaatsSandboxConfig = (sandbox: Sandbox): MarktplaatsConfig => ({
  baseUrl: sandbox.urls.marktplaats,
  tokenUrl: sandbox.urls.marktplaatsToken,
  auth: {
    clientId: MARKTPLAATS_SANDBOX_CLIENT.clientId,
    clientSecret: Redacted.make(MARKTPLAATS_SANDBOX_CLIENT.clientSecret),
    refreshToken: Redacted.make(MARKTPLAATS_SANDBOX_CLIENT.refreshToken),
  },
});

export const allegroSandboxConfig = (sandbox: Sandbox): AllegroConfig => ({
  userAgent: testUserAgent,
  baseUrls: { api: sandbox.urls.allegro, upload: sandbox.urls.allegro, auth: sandbox.urls.allegro },
  clientId: ALLEGRO_SANDBOX_CLIENT_ID,
  clientSecret: Redacted.make(ALLEGRO_SANDBOX_CLIENT_SECRET),
  refreshToken: Redacted.make(ALLEGRO_SANDBOX_REFRESH_TOKEN),
});
