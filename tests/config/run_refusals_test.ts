import assert from "node:assert/strict";
import { AppError } from "../../src/errors.ts";
import { type RunReaders, runRefusals } from "../../src/config/run_refusals.ts";
import { describeRefusal } from "../../src/config/run_refusal.ts";
import type { RunEntry } from "../../src/config/run_entry.ts";
import { planStatus } from "../../src/config/plan_status.ts";
import { planWrap } from "../../src/config/plan_wrap.ts";
import { isAppError } from "../../src/errors.ts";
import { THOTH } from "./_golden.ts";

function entry(flags: [string, string][], env: Record<string, string> = {}): RunEntry {
  return { flags, flagArgs: flags.flat(), unknownFlags: [], env };
}

/** An entry env that names the user a tenant needs. */
const USER = { THOTH_USER_ID: "ana@example.com" };

/** Readers that refuse a tenant with capitals, as a stand-in for thoth run's. */
const READERS: RunReaders = {
  flagNames: ["--agent-id", "--tenant-id", "--intent", "--policy"],
  readFlag: (flag, value) => {
    if (flag === "--tenant-id" && value !== value.toLowerCase()) {
      throw new AppError("usage.bad_flag", `--tenant-id: "${value}" is not a DNS label`);
    }
  },
  repeatedFlag: () => undefined,
  policyIntents: ({ policy }) =>
    policy === "/broken"
      ? { read: false, why: 'cannot read policy "/broken": no such file', refused: true }
      : policy === "relative.jsonc"
      ? { read: false, why: '--policy "relative.jsonc" is a relative path', refused: false }
      : { read: true, names: ["calendar_management"], source: "the default policy" },
};

Deno.test("runRefusals() names env values thoth run refuses, and a tenant whose env blanks the user", () => {
  const check = runRefusals(
    entry([["--tenant-id", "acme"]], { THOTH_USER_ID: "", THOTH_APEX_DOMAIN: "<apex-domain>" }),
  );
  assert.deepEqual(check.refusals.map((r) => r.subject), ["THOTH_APEX_DOMAIN", "THOTH_USER_ID"]);
  assert.match(
    describeRefusal(check.refusals[0]!),
    /^thoth run will refuse to start: THOTH_APEX_DOMAIN "<apex-domain>" is not valid: .*; set a valid value with "thoth wrap-config --env THOTH_APEX_DOMAIN=<value>"/,
  );
  // A tenant from env counts too; an empty one is no tenant.
  assert.equal(
    runRefusals(entry([], { THOTH_TENANT_ID: "acme", THOTH_USER_ID: "" })).refusals.length,
    1,
  );
  assert.deepEqual(
    runRefusals(entry([], { THOTH_TENANT_ID: "", THOTH_USER_ID: "" })).refusals,
    [],
  );
  // A user the env does not name could only come from the client's own environment, which
  // no check sees: refused, and marked so (wrap-config warns rather than refusing to write).
  const noUser = runRefusals(entry([["--tenant-id", "acme"]])).refusals;
  assert.deepEqual(noUser.map((r) => [r.subject, r.clientEnv]), [["THOTH_USER_ID", true]]);
  assert.deepEqual(
    runRefusals(entry([["--tenant-id", "acme"]], { THOTH_USER_ID: "ana@example.com" })).refusals,
    [],
  );
  // Secrets are shown by fingerprint only.
  const secret = runRefusals(entry([], { THOTH_API_KEY: "has space" })).refusals[0];
  assert.ok(secret !== undefined && !secret.message.includes("has space"), secret?.message);
});

Deno.test("runRefusals() checks flags with the readers given, and intents against their policy", () => {
  const check = runRefusals(
    entry([["--tenant-id", "Acme"], ["--intent", "team_chat"]], USER),
    READERS,
  );
  assert.deepEqual(check.refusals.map((r) => r.subject), ["--tenant-id", "--intent"]);
  assert.match(
    check.refusals[1]!.message,
    /^intent "team_chat" is not in the policy \(the default policy, which defines: calendar_management\)$/,
  );
  // A policy thoth run cannot use is a refusal, with an intent or without.
  for (
    const flags of [[["--intent", "team_chat"], ["--policy", "/broken"]], [["--policy", "/broken"]]]
  ) {
    const unread = runRefusals(entry(flags as [string, string][]), READERS);
    assert.deepEqual(unread.refusals.map((r) => [r.subject, r.message]), [
      ["--policy", 'cannot read policy "/broken": no such file'],
    ]);
    assert.deepEqual(unread.unchecked, []);
  }
  // One relative to the folder the client starts thoth in, which no check sees: said not
  // checked, with an intent or without, and refused as only the client's own setting could lift.
  for (const intent of [[["--intent", "team_chat"]], []] as [string, string][][]) {
    const unknown = runRefusals(entry([...intent, ["--policy", "relative.jsonc"]]), READERS);
    assert.deepEqual(
      unknown.refusals.map((r) => [r.subject, r.fix, r.clientEnv]),
      [["--policy", "give --policy an absolute path", true]],
    );
    assert.match(
      unknown.refusals[0]!.message,
      /^--policy "relative\.jsonc" is a relative path: thoth run reads it in the folder the client starts it in, which no check can see/,
    );
    assert.deepEqual(unknown.unchecked, [
      'policy not checked: --policy "relative.jsonc" is relative to the folder the client ' +
      "starts thoth in",
      ...(intent.length === 0
        ? []
        : ['intent "team_chat" not checked: the policy is not known (a relative --policy)']),
    ]);
  }
  // A Windows path is absolute too.
  assert.deepEqual(
    runRefusals(entry([["--policy", "C:\\thoth\\p.jsonc"]]), READERS).refusals,
    [],
  );
  // Without readers, only the numeric flags and env are checked.
  assert.deepEqual(
    runRefusals(entry([["--tenant-id", "Acme"], ["--intent", "x"]], USER)).refusals,
    [],
  );
});

Deno.test("planStatus() lists refusals apart and counts them", () => {
  const text = JSON.stringify({
    mcpServers: {
      a: {
        command: THOTH,
        args: [
          "run",
          "--agent-id",
          "a",
          "--tenant-id",
          "Acme",
          "--enforcement-mode",
          "block",
          "--",
          "/bin/a",
        ],
        env: USER,
      },
    },
  });
  const report = planStatus(text, { isFile: () => true, run: READERS });
  assert.deepEqual(report.servers[0]?.refusals, [
    'thoth run will refuse to start: --tenant-id: "Acme" is not a DNS label; wrap again with a valid --tenant-id',
  ]);
  assert.deepEqual(report.servers[0]?.drift, report.servers[0]?.refusals);
  assert.equal(report.summary.refused, 1);
  assert.equal(planStatus(text, { isFile: () => true }).summary.refused, 0);
});

Deno.test("planWrap() refuses to write a new refusal, and warns about one the entry already had", () => {
  const base = (env: Record<string, string>) =>
    JSON.stringify({ mcpServers: { a: { command: "/bin/a", env } } });
  assert.throws(
    () =>
      planWrap(base({}), {
        thothCommand: [THOTH],
        tenantId: "acme",
        env: [["THOTH_USER_ID", ""]],
        run: READERS,
      }),
    (error) =>
      isAppError(error, "usage.refused_by_run") &&
      error.exitCode === 2 &&
      error.message.startsWith('thoth run would refuse to start "a" as wrapped: THOTH_USER_ID') &&
      error.hints.includes("nothing was written"),
  );
  // Without the readers the library plans it (thoth run's readers live in the CLI).
  assert.ok(planWrap(base({}), { thothCommand: [THOTH], env: [["THOTH_USER_ID", ""]] }).changed);
  // An env value that breaks its rule is refused with or without readers.
  assert.throws(
    () => planWrap(base({}), { thothCommand: [THOTH], env: [["THOTH_HOME", "~/.thoth"]] }),
    (error) => isAppError(error, "usage.bad_env") && /THOTH_HOME "~\/\.thoth"/.test(error.message),
  );
  // Kept as it was: a warning, and status shows it.
  const wrapped = JSON.stringify({
    mcpServers: {
      a: {
        command: THOTH,
        args: [
          "run",
          "--agent-id",
          "a",
          "--tenant-id",
          "Acme",
          "--enforcement-mode",
          "block",
          "--",
          "/bin/a",
        ],
      },
    },
  });
  const plan = planWrap(wrapped, { thothCommand: [THOTH], run: READERS });
  assert.equal(plan.servers[0]?.action, "unchanged");
  assert.deepEqual(plan.servers[0]?.warnings, [
    'thoth run will refuse to start it: --tenant-id: "Acme" is not a DNS label; wrap again with a valid --tenant-id',
  ]);
});

Deno.test("runRefusals() looks for an entry's policy where its thoth run does: THOTH_HOME, else HOME", () => {
  const places: unknown[] = [];
  const readers: RunReaders = {
    ...READERS,
    policyIntents: (place) => {
      places.push(place.thothHome);
      return { read: true, names: [], source: "x" };
    },
  };
  runRefusals(entry([], { THOTH_HOME: "/t/home" }), readers);
  runRefusals(entry([], { HOME: "/users/ana" }), readers);
  runRefusals(entry([], { USERPROFILE: "C:\\Users\\ana" }), readers);
  runRefusals(entry([], {}), readers);
  const windows = { ...readers, os: "windows" };
  runRefusals(entry([], { USERPROFILE: "C:\\Users\\ana", HOME: "C:\\other" }), windows);
  assert.deepEqual(places, [
    "/t/home",
    "/users/ana/.thoth",
    undefined, // thoth run on POSIX reads no USERPROFILE
    undefined,
    "C:\\Users\\ana\\.thoth", // on Windows USERPROFILE comes first
  ]);
});
