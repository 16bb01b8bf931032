/**
 * `thoth health` without `--json` says why there is no endpoint id when a
 * managed device id is set but invalid (`thoth run` refuses to start with
 * it), as `--json` does in `endpoint.problem`, in the same words: a value
 * that looks like a key only by its fingerprint.
 */
import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { runProgram } from "../../src/cli/program.ts";
import { healthCommand } from "../../src/cli/health.ts";
import { secretFingerprint } from "../../src/identity/secret_fingerprint.ts";
import { fakeIo, testContext, withTempDir } from "../doctor/_helpers.ts";

const KEY = "sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789";

async function health(home: string, args: string[], env: Record<string, string>) {
  const io = fakeIo(home, env);
  const program = new Command("thoth").addCommand(
    healthCommand(io, {
      context: (cliIo, plugins) => testContext(cliIo.thothHome, { env: { ...cliIo.env }, plugins }),
    }),
  );
  const code = await runProgram("thoth", program, ["health", ...args], io);
  return { code, stdout: io.stdout.join(""), stderr: io.stderr.join("") };
}

for (const [what, value] of [["an invalid", "bad id"], ["a key-shaped", KEY]] as const) {
  Deno.test(`thoth health names ${what} managed device id's problem on its endpoint line`, () =>
    withTempDir(async (home) => {
      const env = { THOTH_INTUNE_DEVICE_ID: value };
      const json = await health(home, ["--json"], env);
      const problem = (JSON.parse(json.stdout) as { endpoint: { problem: string | null } })
        .endpoint.problem;
      assert.ok(problem !== null, json.stdout);
      const text = await health(home, [], env);
      const line = /^endpoint +(.*)$/m.exec(text.stdout)?.[1];
      assert.equal(line, `none: ${problem}`, text.stdout);
      assert.ok(!text.stdout.includes(KEY.slice(-20)), text.stdout);
      if (value === KEY) assert.ok(line.includes(secretFingerprint(KEY)), line);
    }));
}
