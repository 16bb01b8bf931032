/**
 * The product reference documents `THOTH_USER_ID` as the per-user identifier
 * for the audit trail: through the real `thoth run` and server-everything,
 * the session's `session_start` record names the user, the tenant, the
 * endpoint (a managed device id here) and `THOTH_ENV`; `thoth audit export`
 * carries that record into the bundle, `thoth audit show` shows the user,
 * and `thoth audit verify` passes on the log and on the bundle. A session
 * without them records no user, tenant or environment, and an endpoint id
 * from the OS (never a managed one).
 */
import assert from "node:assert/strict";
import { resolveEndpointId } from "../../src/identity/endpoint_identity.ts";
import { readMachineId } from "../../src/platform/machine_id.ts";
import { tempDir, testEnv } from "./_harness.ts";
import { oneSession, sessionStarts, thoth } from "./_session_start_audit.ts";

/** The variables that name the user, tenant, endpoint and environment. */
const IDENTITY_VARIABLES = [
  "THOTH_USER_ID",
  "THOTH_TENANT_ID",
  "THOTH_APEX_DOMAIN",
  "THOTH_ENV",
  "THOTH_FLEET_ID",
  "THOTH_INTUNE_DEVICE_ID",
  "INTUNE_DEVICE_ID",
  "THOTH_JAMF_COMPUTER_ID",
  "JAMF_COMPUTER_ID",
];

/** Every identity variable empty (thoth reads an empty value as unset), then `set`. */
function identityEnv(thothHome: string, home: string, set: Record<string, string> = {}) {
  const env: Record<string, string> = { THOTH_HOME: thothHome, HOME: home };
  for (const name of IDENTITY_VARIABLES) env[name] = "";
  return { ...env, ...set };
}

Deno.test("server-everything: session_start names the user, tenant, endpoint and environment, in the log and the exported bundle", async () => {
  await using dir = await tempDir();
  const thothHome = `${dir.path}/thoth`;
  const home = `${dir.path}/home`;
  await Deno.mkdir(home);
  const env = identityEnv(thothHome, home, {
    THOTH_USER_ID: "you@company.com",
    THOTH_TENANT_ID: "your-org",
    THOTH_APEX_DOMAIN: "example.com",
    THOTH_INTUNE_DEVICE_ID: "dev-123",
    THOTH_ENV: "staging",
  });
  await oneSession(env);

  const starts = await sessionStarts(thothHome);
  assert.equal(starts.length, 1, JSON.stringify(starts));
  const start = starts[0]!;
  const expected = {
    userId: "you@company.com",
    tenantId: "your-org",
    endpointId: "dev-123",
    endpointIdSource: "managed_device_id",
    environment: "staging",
  };
  for (const [key, value] of Object.entries(expected)) {
    assert.equal(start[key], value, `session_start.${key}: ${JSON.stringify(start)}`);
  }

  const verified = await thoth(env, "audit", "verify");
  assert.equal(verified.code, 0, verified.out + verified.err);

  const shown = await thoth(env, "audit", "show");
  assert.equal(shown.code, 0, shown.err);
  const startRow = shown.out.split("\n").find((line) => / session_start /.test(line));
  assert.match(startRow ?? "", /user you@company\.com(; OS account .*)?$/, shown.out);

  const bundle = `${dir.path}/bundle`;
  const exported = await thoth(env, "audit", "export", "--since", "1d", "--output", bundle);
  assert.equal(exported.code, 0, exported.out + exported.err);
  const bundleStarts: Record<string, unknown>[] = [];
  for await (const entry of Deno.readDir(`${bundle}/records`)) {
    const text = await Deno.readTextFile(`${bundle}/records/${entry.name}`);
    for (const line of text.split("\n")) {
      if (line === "") continue;
      const record = JSON.parse(line) as Record<string, unknown>;
      if (record["type"] === "session_start") bundleStarts.push(record);
    }
  }
  assert.equal(bundleStarts.length, 1, JSON.stringify(bundleStarts));
  for (const [key, value] of Object.entries(expected)) {
    assert.equal(bundleStarts[0]![key], value, `bundle session_start.${key}`);
  }
  const readme = await Deno.readTextFile(`${bundle}/README.md`);
  assert.match(
    readme,
    /session_start: userId \(THOTH_USER_ID\), osUid .*, osUser .*, tenantId, endpointId/,
  );

  const bundleVerified = await thoth(env, "audit", "verify", "--bundle", bundle);
  assert.equal(bundleVerified.code, 0, bundleVerified.out + bundleVerified.err);
});

Deno.test("server-everything: a session without user, tenant or managed device id records none of them", async () => {
  await using dir = await tempDir();
  const thothHome = `${dir.path}/thoth`;
  const home = `${dir.path}/home`;
  await Deno.mkdir(home);
  const env = identityEnv(thothHome, home);
  await oneSession(env);

  const starts = await sessionStarts(thothHome);
  assert.equal(starts.length, 1, JSON.stringify(starts));
  const start = starts[0]!;
  for (const key of ["userId", "tenantId", "environment"]) {
    assert.ok(!(key in start), `session_start has ${key}: ${JSON.stringify(start)}`);
  }
  assert.notEqual(start["endpointIdSource"], "managed_device_id");
  // The endpoint, when there is one, is what thoth doctor reports: the OS machine id's
  // keyed digest, else the host name.
  let hostname: string | null = null;
  try {
    hostname = Deno.hostname();
  } catch {
    hostname = null;
  }
  const endpoint = resolveEndpointId({
    env: testEnv(env),
    machineId: await readMachineId(Deno.build.os),
    hostname,
  });
  assert.equal(start["endpointId"], endpoint?.id, JSON.stringify(start));
  assert.equal(start["endpointIdSource"], endpoint?.source, JSON.stringify(start));

  const shown = await thoth(env, "audit", "show");
  assert.equal(shown.code, 0, shown.err);
  assert.doesNotMatch(shown.out, / user /);
  const verified = await thoth(env, "audit", "verify");
  assert.equal(verified.code, 0, verified.out + verified.err);
});
