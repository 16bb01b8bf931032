import assert from "node:assert/strict";
import { upstreamEnvChanges } from "../../src/config/upstream_env.ts";

Deno.test("upstreamEnvChanges() removes what wrap added and restores what it replaced", () => {
  assert.deepEqual(
    upstreamEnvChanges({
      THOTH_WRAP: `v1;added=THOTH_USER_ID,THOTH_APEX_DOMAIN;was.LOG_LEVEL=${
        encodeURIComponent('"debug"')
      }`,
      THOTH_USER_ID: "ana@example.com",
      LOG_LEVEL: "info",
    }),
    { remove: ["THOTH_USER_ID", "THOTH_APEX_DOMAIN", "THOTH_WRAP"], set: { LOG_LEVEL: "debug" } },
  );
});

Deno.test("upstreamEnvChanges() changes nothing without a record", () => {
  assert.deepEqual(upstreamEnvChanges({ PATH: "/bin" }), { remove: [], set: {} });
});
