/**
 * `thoth policy explain` reads a call as `thoth run` does: a command naming a
 * client's config by `$XDG_CONFIG_HOME` is blocked when that variable holds
 * the config, and a folder holding one is blocked itself.
 */
import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { fakeCliIo } from "../cli/_fake_cli_io.ts";
import { runProgram } from "../../src/cli/program.ts";
import { policyCommand } from "../../src/cli/policy.ts";
import { tempFolder } from "../_temp_dirs.ts";

async function explain(env: Record<string, string>, args: Record<string, unknown>) {
  const home = env["THOTH_HOME"]!;
  const file = `${home}/p.jsonc`;
  await Deno.writeTextFile(file, JSON.stringify({ version: 1, default: "allow" }));
  const io = fakeCliIo(home, env);
  const program = new Command("thoth").addCommand(policyCommand(io));
  // The fake terminal's working folder is the profile: the server's folder is the user's home.
  const argv = ["policy", "explain", "--server", "shell", "--tool", "run", "--policy", file];
  argv.push("--base", env["HOME"]!);
  const code = await runProgram("thoth", program, [...argv, "--args", JSON.stringify(args)], io);
  return { code, out: io.stdout + io.stderr };
}

Deno.test("thoth policy explain names the configs by XDG_CONFIG_HOME as thoth run does", async () => {
  if (Deno.build.os === "windows") return; // Windows clients do not look in XDG_CONFIG_HOME
  const user = await tempFolder("thoth-user-");
  const env = { THOTH_HOME: `${user}/.thoth`, HOME: user, XDG_CONFIG_HOME: `${user}/xdg` };
  await Deno.mkdir(env.THOTH_HOME);
  const named = await explain(env, { command: "cat $XDG_CONFIG_HOME/Code/User/mcp.json" });
  assert.match(named.out, /thoth\.client_config/, named.out);
  const folder = await explain(env, { path: `${user}/xdg/Code` });
  assert.match(folder.out, /thoth\.client_config/, folder.out);
  const other = await explain(env, { command: "cat $XDG_CONFIG_HOME/git/config" });
  assert.doesNotMatch(other.out, /thoth\.client_config|thoth\.own_files/, other.out);
});
