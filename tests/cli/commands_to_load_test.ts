/**
 * A command line builds only the command it names: `commandsToLoad()` on
 * its own, and the trees `thoth` and `thothctl` build for a command line
 * (their list of names must be the tree's, in its order).
 */
import assert from "node:assert/strict";
import { commandsToLoad } from "../../src/cli/commands_to_load.ts";
import { buildThothProgram } from "../../src/cli/thoth_program.ts";
import { buildThothctlProgram } from "../../src/cli/thothctl_program.ts";
import { THOTH_COMMAND_ALIASES, THOTH_COMMAND_NAMES } from "../../src/cli/thoth_command_names.ts";
import { fakeCliIo } from "./_fake_cli_io.ts";
import { tempFolder } from "../_temp_dirs.ts";

const NAMES = ["run", "doctor", "update"];
const ALIASES = { "self-update": "update" };

Deno.test("commandsToLoad() builds the one command a command line names", () => {
  const cases: [string[], string[]][] = [
    [["doctor"], ["doctor"]],
    [["doctor", "--json"], ["doctor"]],
    [["--verbose", "doctor"], ["doctor"]],
    [["--verbose", "--verbose", "run", "--", "node", "s.js"], ["run"]],
    [["help", "doctor"], ["doctor"]],
    [["self-update", "--check"], ["update"]],
    [["help", "self-update"], ["update"]],
    [["doctor", "help"], ["doctor"]],
  ];
  for (const [args, expected] of cases) {
    assert.deepEqual(commandsToLoad(args, NAMES, ALIASES), expected, args.join(" "));
  }
});

Deno.test("commandsToLoad() builds none for the version and all for anything else", () => {
  assert.deepEqual(commandsToLoad(["--version"], NAMES, ALIASES), []);
  assert.deepEqual(commandsToLoad(["-V"], NAMES, ALIASES), []);
  assert.deepEqual(commandsToLoad(["--verbose", "-V"], NAMES, ALIASES), []);
  const all = [
    [],
    ["--help"],
    ["-h"],
    ["help"],
    ["help", "doctr"],
    ["help", "doctor", "more"],
    ["doctr"],
    ["--bogus", "doctor"],
    ["--version", "doctor"],
    ["-V", "--help"],
    ["toString"],
    ["constructor"],
    ["--verbose"],
  ];
  for (const args of all) {
    assert.deepEqual(commandsToLoad(args, NAMES, ALIASES), NAMES, args.join(" "));
  }
});

const names = (program: { commands: readonly { name(): string }[] }) =>
  program.commands.map((command) => command.name()).filter((name) => name !== "help");

Deno.test("thoth builds every command for its help, in the order of its list of names", async () => {
  const home = await tempFolder("thoth-commands-to-load-");
  const io = () => fakeCliIo(`${home}/.thoth`, { HOME: home, THOTH_HOME: `${home}/.thoth` });
  assert.deepEqual(names(await buildThothProgram(io(), ["--help"])), THOTH_COMMAND_NAMES);
  assert.deepEqual(names(await buildThothProgram(io(), ["--version"])), []);
  for (const name of THOTH_COMMAND_NAMES) {
    assert.deepEqual(names(await buildThothProgram(io(), [name, "--help"])), [name]);
  }
  for (const [alias, name] of Object.entries(THOTH_COMMAND_ALIASES)) {
    assert.deepEqual(names(await buildThothProgram(io(), [alias])), [name]);
  }
});

Deno.test("thothctl builds only the command a command line names", async () => {
  const home = await tempFolder("thothctl-commands-to-load-");
  const io = () => fakeCliIo(`${home}/.thoth`, { HOME: home, THOTH_HOME: `${home}/.thoth` });
  const all = names(await buildThothctlProgram(io(), []));
  assert.deepEqual(all, ["auth", "audit", "policy", "approvals"]);
  for (const name of all) {
    assert.deepEqual(names(await buildThothctlProgram(io(), [name, "list"])), [name]);
  }
  assert.deepEqual(names(await buildThothctlProgram(io(), ["doctor"])), all);
});
