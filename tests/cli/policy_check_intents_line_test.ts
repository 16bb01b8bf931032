import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { fakeCliIo } from "./_fake_cli_io.ts";
import { runProgram } from "../../src/cli/program.ts";
import { policyCommand } from "../../src/cli/policy.ts";
import { tempDir } from "../e2e/_harness.ts";

async function check(dir: string, policy: Record<string, unknown>): Promise<string> {
  const file = `${dir}/p.jsonc`;
  await Deno.writeTextFile(file, JSON.stringify({ version: 1, default: "allow", ...policy }));
  Deno.mkdirSync(`${dir}/.thoth`, { recursive: true });
  const io = fakeCliIo(`${dir}/.thoth`, {});
  Object.assign(io, { cwd: dir });
  const program = new Command("thoth").addCommand(policyCommand(io));
  const code = await runProgram("thoth", program, ["policy", "check", file], io);
  assert.equal(code, 0, io.stderr);
  return io.stdout;
}

Deno.test("thoth policy check ends no line of its summary in white space", async () => {
  await using dir = await tempDir();
  const withIntents = await check(dir.path, {
    intents: { cal: { tools: ["list_events"] } },
  });
  assert.match(withIntents, /^ {2}intents:\n {4}cal: list_events /m);
  const without = await check(dir.path, {});
  assert.match(without, /^ {2}intents: none$/m);
  for (const line of [...withIntents.split("\n"), ...without.split("\n")]) {
    assert.equal(line, line.trimEnd(), JSON.stringify(line));
  }
});
