/**
 * One tenant per server: `planWrap` refuses to write a `--tenant-id` beside
 * another `THOTH_TENANT_ID` in the same server's `env`
 * (`usage.conflicting_tenant`, nothing planned): `thoth run` would use the
 * flag while `thoth health` and `thoth doctor`, reading the `env`, would use
 * the variable. The same tenant in both is fine; a pair the entry already
 * had is a warning with a `--json` note, and the plan changes nothing more.
 */
import assert from "node:assert/strict";
import { planWrap } from "../../src/config/plan_wrap.ts";
import { type AppError, isAppError } from "../../src/errors.ts";
import { THOTH } from "./_golden.ts";

const USER = ["THOTH_USER_ID", "ana@example.com"] as const;

function config(entry: Record<string, unknown>): string {
  return JSON.stringify({ mcpServers: { clock: entry } }, null, 2);
}

/** The error `fn` throws, which must be `usage.conflicting_tenant`. */
function conflict(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    assert.ok(isAppError(error, "usage.conflicting_tenant"), String(error));
    assert.equal(error.exitCode, 2);
    return error;
  }
  assert.fail("no usage.conflicting_tenant");
}

Deno.test("planWrap() refuses --tenant-id beside another --env THOTH_TENANT_ID, takes the same one", () => {
  const error = conflict(() =>
    planWrap(config({ command: "mcp-clock" }), {
      thothCommand: [THOTH],
      tenantId: "acme",
      env: [USER, ["THOTH_TENANT_ID", "other"]],
    })
  );
  assert.equal(
    error.message,
    '"clock" would name two tenants as wrapped: --tenant-id "acme" in its args, which thoth ' +
      'run uses, and THOTH_TENANT_ID "other" in its "env", which what reads the server\'s ' +
      'environment uses ("thoth health", "thoth doctor")',
  );
  assert.deepEqual(error.hints, [
    'give one tenant: pass --tenant-id "other" to write it as the flag too, or leave --env ' +
    "THOTH_TENANT_ID out",
    "nothing was written",
  ]);
  // The same tenant in both is one tenant: written as it is given.
  const plan = planWrap(config({ command: "mcp-clock" }), {
    thothCommand: [THOTH],
    tenantId: "acme",
    env: [USER, ["THOTH_TENANT_ID", "acme"]],
  });
  const entry = JSON.parse(plan.text).mcpServers.clock;
  assert.deepEqual(entry.args.slice(3, 5), ["--tenant-id", "acme"]);
  assert.equal(entry.env.THOTH_TENANT_ID, "acme");
  assert.deepEqual(plan.servers[0]?.warnings, []);
});

Deno.test("planWrap() refuses --env THOTH_TENANT_ID against the --tenant-id an entry keeps", () => {
  const wrapped = config({
    command: THOTH,
    args: ["run", "--agent-id", "clock", "--tenant-id", "acme", "--", "mcp-clock"],
  });
  conflict(() =>
    planWrap(wrapped, { thothCommand: [THOTH], env: [USER, ["THOTH_TENANT_ID", "other"]] })
  );
});

Deno.test("planWrap() refuses --tenant-id against the server's own THOTH_TENANT_ID", () => {
  const error = conflict(() =>
    planWrap(config({ command: "mcp-clock", env: { THOTH_TENANT_ID: "other" } }), {
      thothCommand: [THOTH],
      tenantId: "acme",
      env: [USER],
    })
  );
  assert.match(error.hints[0]!, /pass --env THOTH_TENANT_ID="acme" as well/);
});

Deno.test("planWrap() warns about two tenants an entry already had, and changes nothing", () => {
  const text = config({
    command: THOTH,
    args: [
      "run",
      "--agent-id",
      "clock",
      "--tenant-id",
      "acme",
      "--enforcement-mode",
      "block",
      "--",
      "mcp-clock",
    ],
    env: { THOTH_USER_ID: "ana@example.com", THOTH_TENANT_ID: "other" },
  });
  const plan = planWrap(text, { thothCommand: [THOTH] });
  assert.equal(plan.changed, false);
  assert.equal(plan.servers[0]?.warnings.length, 1);
  assert.match(plan.servers[0]!.warnings[0]!, /^it names two tenants: --tenant-id "acme"/);
  assert.deepEqual(plan.servers[0]?.notes?.map((note) => note.code), [
    "config.conflicting_tenant",
  ]);
});
