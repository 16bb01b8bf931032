import assert from "node:assert/strict";
import { checkPermissions } from "../../src/release/permission_check.ts";
import { CANONICAL_TASKS } from "../../src/release/canonical_task.ts";
import { checkUnscopedRun } from "../../src/release/unscoped_run_check.ts";
import {
  checkCeilings,
  PERMISSION_CEILINGS,
  UNSCOPED_RUN_ALLOWED,
} from "../../src/release/permission_ceiling.ts";

const CANONICAL = "deno run -P=check_permissions --no-prompt --quiet scripts/check_permissions.ts";
const SETS = { check_permissions: { read: true } };

function taskFindings(task: unknown) {
  return checkPermissions({ permissions: SETS, tasks: { "check-permissions": task } }, [])
    .filter((f) => f.where === 'task "check-permissions"');
}

Deno.test("checkPermissions() requires the check-permissions task to be its canonical command", () => {
  assert.equal(CANONICAL_TASKS["check-permissions"], CANONICAL);
  assert.deepEqual(taskFindings(CANONICAL), []);
  for (
    const task of [
      "echo check_permissions: ok",
      "true",
      `${CANONICAL} --json`,
      CANONICAL.replace("--quiet ", ""),
      ` ${CANONICAL}`,
      { command: CANONICAL },
    ]
  ) {
    const findings = taskFindings(task).filter((f) => f.code === "not_canonical");
    assert.equal(findings.length, 1, JSON.stringify(task));
    assert.equal(
      findings[0]?.message.startsWith(`must be exactly ${JSON.stringify(CANONICAL)}`),
      true,
      findings[0]?.message,
    );
  }
  assert.match(
    taskFindings("echo check_permissions: ok")[0]?.message ?? "",
    /but is "echo check_permissions: ok"; set it back/,
  );
  // Other tasks may run the script as they like, within the other rules.
  const other = checkPermissions(
    { permissions: SETS, tasks: { probe: "echo check_permissions: ok" } },
    [],
  );
  assert.deepEqual(other, []);
});

Deno.test("checkUnscopedRun() notes an allowed set's unscoped run and refuses any other set's", () => {
  const { findings, notes } = checkUnscopedRun({
    thoth: { run: true, read: true },
    test: { run: true },
    build: { run: true },
    thothctl: { run: true },
    tool: { run: { allow: true, deny: ["rm"] } },
    scoped: { run: ["git", "lipo"] },
    none: { run: false },
    denied: { run: { allow: true, deny: true } },
    everything: { all: true },
  });
  assert.deepEqual(notes.map((n) => n.where), [
    'permission set "thoth"',
    'permission set "test"',
    'permission set "build"',
  ]);
  for (const n of notes) {
    assert.equal(n.code, "allow_all");
    assert.match(n.message, /^grants run without scope, which is allow-all-equivalent/);
    assert.match(n.message, /allowed by UNSCOPED_RUN_ALLOWED in src\/release\/permission_ceiling/);
  }
  assert.match(notes[0]?.message ?? "", /the boundary is the Worker the proxy core runs in/);
  assert.deepEqual(findings.map((f) => `${f.code} ${f.where}`), [
    'allow_all permission set "thothctl"',
    'allow_all permission set "tool"',
  ]);
  assert.match(findings[0]?.message ?? "", /list the programs it runs/);
});

Deno.test("a raised ceiling alone does not let a set run any program", () => {
  const raised = {
    ...PERMISSION_CEILINGS,
    thothctl: { ...PERMISSION_CEILINGS["thothctl"], run: true },
  };
  const sets = { thothctl: { read: true, run: true } };
  assert.deepEqual(checkCeilings(sets, raised), []);
  assert.deepEqual(checkUnscopedRun(sets).findings.map((f) => f.where), [
    'permission set "thothctl"',
  ]);
  // Every set allowed to run any program has a ceiling that allows run, and a reason.
  for (const [name, reason] of Object.entries(UNSCOPED_RUN_ALLOWED)) {
    assert.equal(PERMISSION_CEILINGS[name]?.["run"], true, name);
    assert.ok(reason.length > 20, name);
  }
});
