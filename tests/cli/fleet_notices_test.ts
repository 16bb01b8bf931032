/**
 * `thoth run` says what the fleet settings do not do in this build: a tenant
 * is decided locally and not registered with the fleet; THOTH_FLEET_ID and
 * THOTH_ENDPOINT_CHECKIN_INTERVAL_SEC without a tenant have no effect, said
 * once.
 */
import assert from "node:assert/strict";
import { prepareSession } from "../../src/cli/prepare_session.ts";
import { fakeCliIo } from "./_fake_cli_io.ts";

const POLICY = JSON.stringify({ version: 1, default: "allow" });

async function withHome(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "thoth-fleet-notices-" });
  try {
    await Deno.writeTextFile(`${dir}/policy.jsonc`, POLICY);
    await run(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The `thoth: notice:` lines `thoth run` prints before the core starts, under `env`. */
async function noticesUnder(dir: string, env: Record<string, string>): Promise<string[]> {
  const io = fakeCliIo(dir, { PATH: "", ...env });
  await prepareSession(io, { server: "fs", mode: "block" });
  return io.stderr.split("\n").filter((line) => line.startsWith("thoth: notice:"));
}

Deno.test("prepareSession() says a tenant is neither used for decisions nor registered with the fleet", () =>
  withHome(async (dir) => {
    const notices = await noticesUnder(dir, {
      THOTH_TENANT_ID: "acme",
      THOTH_USER_ID: "ana@example.com",
      THOTH_FLEET_ID: "lab",
    });
    assert.deepEqual(notices, [
      'thoth: notice: tenant "acme" is set, but this build decides every call with the local ' +
      "policy; the tenant's remote enforcer is not used yet, and it does not register with " +
      "the fleet or check in",
    ]);
  }));

Deno.test("prepareSession() says once that fleet settings without a tenant have no effect", () =>
  withHome(async (dir) => {
    const both = await noticesUnder(dir, {
      THOTH_FLEET_ID: "lab",
      THOTH_ENDPOINT_CHECKIN_INTERVAL_SEC: "30",
    });
    assert.equal(both.length, 1, both.join("\n"));
    assert.match(
      both[0]!,
      /^thoth: notice: THOTH_FLEET_ID and THOTH_ENDPOINT_CHECKIN_INTERVAL_SEC are set, but have no effect in this build: .*does not register with the fleet or check in$/,
    );
    const interval = await noticesUnder(dir, { THOTH_ENDPOINT_CHECKIN_INTERVAL_SEC: "30" });
    assert.match(
      interval.join("\n"),
      /^thoth: notice: THOTH_ENDPOINT_CHECKIN_INTERVAL_SEC is set, but has no effect in this build/,
    );
    // Unset or empty: nothing to say.
    assert.deepEqual(await noticesUnder(dir, { THOTH_FLEET_ID: "" }), []);
  }));
