/**
 * The sandbox start the doctor's `sandbox` check makes is real: thoth from
 * this checkout, started with its launch command, starts the proxy core's
 * sandbox for no server; the same thoth started by a Deno without
 * `--unstable-worker-options` (a deno.json without its "unstable" list) is
 * ended by Deno, and the doctor says why and what to do instead of dying
 * with it.
 */
import assert from "node:assert/strict";
import { selfCommandFor } from "../../src/cli/cli_io.ts";
import { startSandboxProbe } from "../../src/doctor/start_sandbox_probe.ts";
import { tempFolder } from "../_temp_dirs.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const SCRIPT = new URL("../../src/cli/thoth.ts", import.meta.url).href;

Deno.test("startSandboxProbe() starts the sandbox of thoth from source with its launch command", async () => {
  const start = await startSandboxProbe({
    command: selfCommandFor(Deno.execPath(), SCRIPT, `${ROOT}/deno.json`),
    via: "launch",
  });
  assert.equal(start.outcome, "started", start.detail);
  assert.match(start.detail, /^the proxy core's sandbox starts .*with thoth's launch command/);
  assert.equal(start.remedy, null);
});

Deno.test("startSandboxProbe() fails a thoth without --unstable-worker-options with the remedy", async () => {
  // thoth's own deno.json and lock, without the "unstable" list that grants the option.
  const dir = await tempFolder("thoth-no-unstable-");
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`));
  assert.deepEqual(config.unstable, ["worker-options"]);
  delete config.unstable;
  await Deno.writeTextFile(`${dir}/deno.json`, JSON.stringify(config));
  await Deno.copyFile(`${ROOT}/deno.lock`, `${dir}/deno.lock`);
  const start = await startSandboxProbe({
    command: [
      Deno.execPath(),
      "run",
      "-P=thoth",
      "--no-prompt",
      "--cached-only",
      "--frozen-lockfile",
      "--quiet",
      `--config=${dir}/deno.json`,
      `${ROOT}/src/cli/thoth.ts`,
    ],
    via: "own",
  });
  assert.equal(start.outcome, "failed", start.detail);
  assert.match(
    start.detail,
    /^the proxy core's sandbox cannot start: Deno refuses a Worker narrowed permissions without --unstable-worker-options, and ends the process: Unstable API 'Worker\.deno\.permissions'/,
  );
  assert.match(start.remedy ?? "", /^start thoth with --unstable-worker-options /);
});

Deno.test("startSandboxProbe() says what a program that is not thoth answered", async () => {
  const start = await startSandboxProbe({ command: [Deno.execPath(), "eval", "1"], via: "own" });
  assert.equal(start.outcome, "failed", start.detail);
  assert.match(start.detail, /^the proxy core's sandbox cannot start: /);
  assert.match(start.remedy ?? "", /thoth --verbose doctor/);
});
