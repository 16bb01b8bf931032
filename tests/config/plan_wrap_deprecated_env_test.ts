/**
 * `THOTH_ENFORCER_URL` is deprecated and ignored by `thoth run`: `planWrap`
 * never writes it from `--env` (a warning says so, and each server written
 * carries a `config.deprecated_setting` note), takes out one an earlier
 * `--env` added, gives back an original one such an `--env` replaced, and
 * keeps one the entry has of its own with a warning; a second run changes
 * nothing, and `planStatus` shows what is left as drift, as it shows an
 * `--enforcer-url` in the args.
 */
import assert from "node:assert/strict";
import { planWrap } from "../../src/config/plan_wrap.ts";
import { planUnwrap } from "../../src/config/plan_unwrap.ts";
import { planStatus } from "../../src/config/plan_status.ts";
import { THOTH } from "./_golden.ts";

const isFile = (path: string) => path === THOTH;
const OPTIONS = { thothCommand: [THOTH], env: [["THOTH_USER_ID", "ana@example.com"]] as const };

/** A config of one server, `clock`, as `entry` is. */
function config(entry: Record<string, unknown>): string {
  return JSON.stringify({ mcpServers: { clock: entry } }, null, 2);
}

/** `clock` as the plan writes it. */
function clock(text: string): { args: string[]; env?: Record<string, string> } {
  return JSON.parse(text).mcpServers.clock;
}

const WRAPPED_ARGS = [
  "run",
  "--agent-id",
  "clock",
  "--enforcement-mode",
  "block",
  "--",
  "mcp-clock",
];

Deno.test("planWrap() does not write an --env THOTH_ENFORCER_URL, and says so", () => {
  const text = config({ command: "mcp-clock" });
  const plan = planWrap(text, {
    ...OPTIONS,
    env: [["THOTH_ENFORCER_URL", "https://enforcer.example.com"], ...OPTIONS.env],
  });
  assert.deepEqual(clock(plan.text).env, {
    THOTH_USER_ID: "ana@example.com",
    THOTH_WRAP: "v1;added=THOTH_USER_ID;created=env,args",
  });
  assert.ok(
    plan.warnings.some((warning) =>
      warning.startsWith(
        '--env THOTH_ENFORCER_URL was not written into any server\'s "env": it is deprecated ' +
          "and ignored (thoth run derives the enforcer URL from THOTH_TENANT_ID and " +
          "THOTH_APEX_DOMAIN)",
      )
    ),
    plan.warnings.join("\n"),
  );
  assert.deepEqual(plan.servers[0]?.notes?.map((note) => [note.code, note.severity]), [
    ["config.deprecated_setting", "warning"],
  ]);
  // The same options again change nothing.
  const again = planWrap(plan.text, {
    ...OPTIONS,
    env: [["THOTH_ENFORCER_URL", "https://enforcer.example.com"], ...OPTIONS.env],
  });
  assert.equal(again.changed, false);
});

Deno.test("planWrap() takes out a THOTH_ENFORCER_URL an earlier --env added; once", () => {
  const original = config({ command: "mcp-clock", env: { LOG: "1" } });
  // What wrap-config --env THOTH_ENFORCER_URL=… --env THOTH_USER_ID=… wrote before.
  const text = config({
    command: THOTH,
    args: WRAPPED_ARGS,
    env: {
      THOTH_ENFORCER_URL: "https://enforcer.example.com",
      THOTH_USER_ID: "ana@example.com",
      THOTH_WRAP: "v1;added=THOTH_ENFORCER_URL,THOTH_USER_ID;created=args",
      LOG: "1",
    },
  });
  const plan = planWrap(text, OPTIONS);
  assert.deepEqual(clock(plan.text), {
    command: THOTH,
    args: WRAPPED_ARGS,
    env: {
      THOTH_USER_ID: "ana@example.com",
      THOTH_WRAP: "v1;added=THOTH_USER_ID;created=args",
      LOG: "1",
    },
  });
  assert.equal(plan.servers[0]?.action, "updated");
  assert.deepEqual(plan.servers[0]?.reasons, [
    "env THOTH_ENFORCER_URL removed: an earlier --env added it, and it is deprecated and " +
    "ignored (thoth run derives the enforcer URL from THOTH_TENANT_ID and THOTH_APEX_DOMAIN)",
  ]);
  assert.equal(plan.servers[0]?.notes, undefined, "nothing is left to do");
  const again = planWrap(plan.text, OPTIONS);
  assert.equal(again.changed, false);
  assert.equal(again.servers[0]?.action, "unchanged");
  // unwrap-config still gives back the entry as it was.
  assert.equal(planUnwrap(plan.text).text.replace(/\s+/g, ""), original.replace(/\s+/g, ""));
  // status no longer reports it.
  assert.deepEqual(planStatus(text, { isFile }).servers[0]?.drift, [
    'older setting: THOTH_ENFORCER_URL in "env", deprecated and ignored (thoth run derives the ' +
    'enforcer URL from THOTH_TENANT_ID and THOTH_APEX_DOMAIN); run "thoth wrap-config" to ' +
    "remove it",
  ]);
  assert.deepEqual(planStatus(plan.text, { isFile }).servers[0]?.drift, []);
});

Deno.test("planWrap() gives back an entry's own THOTH_ENFORCER_URL an --env replaced, and warns", () => {
  const own = "https://own.example.com";
  const text = config({
    command: THOTH,
    args: WRAPPED_ARGS,
    env: {
      THOTH_USER_ID: "ana@example.com",
      THOTH_WRAP: `v1;added=THOTH_USER_ID;created=args;was.THOTH_ENFORCER_URL=${
        encodeURIComponent(JSON.stringify(own))
      }`,
      THOTH_ENFORCER_URL: "https://enforcer.example.com",
    },
  });
  const plan = planWrap(text, OPTIONS);
  assert.deepEqual(clock(plan.text).env, {
    THOTH_USER_ID: "ana@example.com",
    THOTH_WRAP: "v1;added=THOTH_USER_ID;created=args",
    THOTH_ENFORCER_URL: own,
  });
  assert.match(plan.servers[0]?.reasons[0] ?? "", /^env THOTH_ENFORCER_URL given back the value/);
  assert.deepEqual(plan.servers[0]?.warnings, [
    '"env" sets THOTH_ENFORCER_URL, which is deprecated and ignored (thoth run derives the ' +
    "enforcer URL from THOTH_TENANT_ID and THOTH_APEX_DOMAIN), and thoth run does not pass it " +
    'on to the server: remove it from "env" by hand',
  ]);
  assert.equal(planWrap(plan.text, OPTIONS).changed, false);
});

Deno.test("planWrap() keeps a THOTH_ENFORCER_URL the entry has of its own, with a warning", () => {
  const text = config({ command: "mcp-clock", env: { THOTH_ENFORCER_URL: "https://own.example" } });
  const plan = planWrap(text, OPTIONS);
  assert.equal(clock(plan.text).env?.["THOTH_ENFORCER_URL"], "https://own.example");
  assert.equal(plan.servers[0]?.warnings.length, 1);
  assert.match(
    plan.servers[0]!.warnings[0]!,
    /^"env" sets THOTH_ENFORCER_URL, which is deprecated/,
  );
  assert.deepEqual(plan.servers[0]?.notes, [{
    code: "config.deprecated_setting",
    severity: "warning",
    message: '"env" sets THOTH_ENFORCER_URL, which is deprecated and ignored (thoth run derives ' +
      "the enforcer URL from THOTH_TENANT_ID and THOTH_APEX_DOMAIN)",
    remedy: 'remove THOTH_ENFORCER_URL from the server\'s "env" by hand',
  }]);
  const again = planWrap(plan.text, OPTIONS);
  assert.equal(again.changed, false);
  // status shows it as it shows an --enforcer-url in the args.
  assert.deepEqual(planStatus(plan.text, { isFile }).servers[0]?.drift, [
    'older setting: THOTH_ENFORCER_URL in "env", deprecated and ignored (thoth run derives the ' +
    'enforcer URL from THOTH_TENANT_ID and THOTH_APEX_DOMAIN); remove it from "env" by hand',
  ]);
  // An empty one is unset: nothing to say.
  const unset = config({ command: THOTH, args: WRAPPED_ARGS, env: { THOTH_ENFORCER_URL: "" } });
  assert.deepEqual(planStatus(unset, { isFile }).servers[0]?.drift, []);
  assert.deepEqual(planWrap(unset, OPTIONS).servers[0]?.warnings, []);
});
