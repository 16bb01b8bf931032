/**
 * The real `thoth policy explain` under the default policy (no policy file
 * in the profile) asks a person about a tool whose name says it runs shell
 * commands or code, by the `command-runners` rule, even when the tool
 * declares it only reads; a query language's tool and a tool that reads a
 * terminal's output are allowed.
 *
 * The first tool is explained by a real `thoth` process; the others by the
 * CLI's own code run in this process (`thothInProcess`): what is under test
 * is the verdict, not the process.
 */
import assert from "node:assert/strict";
import { tempFolder } from "../_temp_dirs.ts";
import { runThoth } from "./_thoth_process.ts";
import { thothInProcess } from "./_thoth_in_process.ts";

async function explain(
  dir: string,
  tool: string,
  extra: string[] = [],
  thoth: typeof runThoth = thothInProcess,
) {
  const run = await thoth(
    ["policy", "explain", "--server", "s", "--tool", tool, "--args", '{"command":"ls"}', ...extra],
    { env: { HOME: dir, THOTH_HOME: `${dir}/profile` }, cwd: dir },
  );
  assert.equal(run.code, 0, `${tool}: ${run.out}${run.err}`);
  return run.out;
}

Deno.test("thoth policy explain: command-runners asks about run_command under the default policy", async () => {
  const dir = await tempFolder("thoth-command-runners-");
  const text = await explain(dir, "run_command", [], runThoth);
  assert.match(text, /^verdict: STEP_UP \(command-runners\)$/m);
  assert.match(text, /step_up command-runners: the tool name says it runs commands or code/);

  for (
    const tool of [
      "execute_command",
      "shell",
      "run_python_code",
      "ssh_exec",
      "developer__shell",
      "execute_blender_code",
    ]
  ) {
    const json = JSON.parse(
      await explain(dir, tool, ["--annotations", '{"readOnlyHint":true}', "--json"]),
    );
    assert.deepEqual([tool, json.verdict, json.ruleIds], [tool, "step_up", ["command-runners"]]);
  }
  for (const tool of ["execute_query", "get_terminal_output"]) {
    const json = JSON.parse(await explain(dir, tool, ["--json"]));
    assert.deepEqual([tool, json.verdict, json.ruleIds], [tool, "allow", ["policy.default"]]);
  }
  // explain writes nothing: the profile stays as it was (none).
  await assert.rejects(Deno.lstat(`${dir}/profile`), Deno.errors.NotFound);
});
