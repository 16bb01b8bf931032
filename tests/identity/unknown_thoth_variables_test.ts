/**
 * THOTH_* variables thoth does not read (`THOTH_INTENT`, `THOTH_MODE`, a
 * misspelled `THOTH_TENNANT_ID`) are warned about by name, never by value:
 * by `thoth run` (one line), `thoth doctor`, `health --json` and, for a
 * config entry's `env`, `thoth status`. Every THOTH_* name in `src/` counts
 * as known, so a new variable cannot be forgotten.
 */
import assert from "node:assert/strict";
import {
  KNOWN_THOTH_VARIABLES,
  thothEnvWarnings,
  unknownThothVariables,
  unknownThothVariablesWarning,
} from "../../src/identity/quick_thoth_env.ts";
import { checkEnvironment } from "../../src/doctor/check_environment.ts";
import { runRefusals } from "../../src/config/run_refusals.ts";
import { runEntryOf } from "../../src/config/run_entry.ts";
import { runThoth } from "../cli/_thoth_process.ts";
import { tempFolder } from "../_temp_dirs.ts";

const VALUE = "calendar_management_VALUE_7f3a";

Deno.test("every quoted THOTH_* name in src/ is a known variable", async () => {
  const root = new URL("../../src/", import.meta.url).pathname;
  const found = new Set<string>();
  const walk = async (dir: string) => {
    for await (const entry of Deno.readDir(dir)) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) await walk(path);
      else if (entry.name.endsWith(".ts")) {
        // Code only: a doc comment may name an unknown variable as an example.
        const text = (await Deno.readTextFile(path)).split("\n")
          .filter((line) => !/^\s*(\*|\/\*|\/\/)/.test(line)).join("\n");
        for (const m of text.matchAll(/["'`](THOTH_[A-Z0-9_]+)["'`]/g)) found.add(m[1]!);
        // Keys of an environment object: { THOTH_APPROVAL_TEXT: text }.
        for (const m of text.matchAll(/env[^\n]{0,20}\{\s*(THOTH_[A-Z0-9_]+)\s*:/g)) {
          found.add(m[1]!);
        }
      }
    }
  };
  await walk(root.replace(/\/$/, ""));
  assert.ok(found.size >= 15, `too few names found: ${[...found]}`);
  const unknown = [...found].filter((name) => !KNOWN_THOTH_VARIABLES.has(name));
  assert.deepEqual(unknown, [], "add these to OTHER_THOTH_VARIABLES in quick_thoth_env.ts");
  assert.deepEqual(unknownThothVariables(Object.fromEntries([...found].map((n) => [n, "x"]))), []);
});

Deno.test("unknown names are listed with what to use instead, never with their values", () => {
  const env = {
    THOTH_INTENT: VALUE,
    THOTH_ENFORCEMENT_MODE: VALUE,
    THOTH_MODE: VALUE,
    THOTH_TENNANT_ID: VALUE,
    THOTH_SOMETHING_ELSE: VALUE,
    THOTH_EMPTY: "",
    THOTH_HOME: "/h",
    THOTH_WRAP: "v1",
    PATH: "/bin",
  };
  assert.deepEqual(unknownThothVariables(env), [
    "THOTH_ENFORCEMENT_MODE",
    "THOTH_INTENT",
    "THOTH_MODE",
    "THOTH_SOMETHING_ELSE",
    "THOTH_TENNANT_ID",
  ]);
  const warning = unknownThothVariablesWarning(env)!;
  assert.ok(!warning.includes(VALUE), warning);
  assert.match(warning, /THOTH_INTENT \(use the "thoth run --intent" flag or the intent map/);
  assert.match(warning, /THOTH_ENFORCEMENT_MODE \(use the "thoth run --enforcement-mode" flag/);
  assert.match(warning, /THOTH_MODE \(use the "thoth run --enforcement-mode" flag/);
  assert.match(warning, /THOTH_TENNANT_ID \(did you mean THOTH_TENANT_ID\?\)/);
  assert.match(warning, /THOTH_SOMETHING_ELSE, /);
  assert.ok(!warning.includes("THOTH_EMPTY"));
  assert.equal(thothEnvWarnings(env).length, 1);
  assert.equal(
    unknownThothVariablesWarning({ THOTH_HOME: "/h", THOTH_USER_ID: "a@b.co" }),
    undefined,
  );
  // A name that may hold a key is shown by fingerprint.
  const keyName = "THOTH_A1B2C3D4E5F6G7H8I9J0K1L2";
  assert.ok(!unknownThothVariablesWarning({ [keyName]: "1" })!.includes(keyName));
});

Deno.test("doctor warns (not fails) about unknown THOTH_* names, by name", () => {
  const check = checkEnvironment({ THOTH_INTENT: VALUE, THOTH_HOME: "/h" }, "linux");
  assert.equal(check.status, "warn");
  assert.match(check.message, /THOTH_INTENT/);
  assert.ok(!check.message.includes(VALUE));
  assert.match(check.hint ?? "", /unknown THOTH_\* variables/);
});

Deno.test("status: an entry's env with unknown THOTH_* names earns a warning", () => {
  const entry = {
    flags: [["--agent-id", "cal"]] as const,
    flagArgs: ["--agent-id", "cal"],
    unknownFlags: [],
    env: { THOTH_INTENT: VALUE, THOTH_MODE: "block" },
    runArgs: ["--agent-id", "cal", "--", "node", "x.js"],
  };
  const check = runRefusals(entry);
  assert.equal(check.refusals.length, 0);
  assert.equal(check.warnings.length, 1);
  assert.match(check.warnings[0]!, /THOTH_INTENT .*THOTH_MODE/);
  assert.ok(!check.warnings[0]!.includes(VALUE));
  assert.equal(typeof runEntryOf, "function");
});

Deno.test("thoth run, doctor and health --json name unknown THOTH_* variables", async () => {
  const dir = await tempFolder("thoth-unknown-vars-");
  const env = {
    THOTH_HOME: `${dir}/thoth`,
    HOME: dir,
    THOTH_INTENT: VALUE,
    THOTH_ENFORCEMENT_MODE: "observe",
    THOTH_TENNANT_ID: VALUE,
  };
  const run = await runThoth(["run", "--agent-id", "t", "--", Deno.execPath(), "--version"], {
    env,
    cwd: dir,
  });
  const lines = run.err.split("\n").filter((line) => line.includes("THOTH_INTENT"));
  assert.equal(lines.length, 1, run.err);
  assert.match(lines[0]!, /^thoth: warning: unknown variables THOTH_ENFORCEMENT_MODE/);
  assert.match(lines[0]!, /did you mean THOTH_TENANT_ID\?/);
  assert.ok(!run.err.includes(VALUE), run.err);
  const health = await runThoth(["health", "--json"], { env, cwd: dir });
  const report = JSON.parse(health.out);
  assert.equal(report.environment.valid, true);
  assert.equal(report.environment.warnings.length, 1);
  assert.match(report.environment.warnings[0], /THOTH_INTENT/);
  assert.ok(!health.out.includes(VALUE));
  const doctor = await runThoth(["doctor"], { env, cwd: dir });
  assert.match(doctor.out + doctor.err, /environment\s+unknown variables THOTH_ENFORCEMENT_MODE/);
  assert.ok(!(doctor.out + doctor.err).includes(VALUE));
});
