import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { sharedConfigOptions } from "../../src/cli/config_run_action.ts";
import { unwrapConfigCommand } from "../../src/cli/unwrap_config.ts";
import { wrapConfigCommand } from "../../src/cli/wrap_config.ts";
import { fakeCliIo } from "./_fake_cli_io.ts";

const flagsOf = (command: { options: readonly { flags: string }[] }) =>
  command.options.map((option) => option.flags);

Deno.test("sharedConfigOptions() are the config commands' shared options, made anew each time", () => {
  const shared = sharedConfigOptions();
  assert.notEqual(sharedConfigOptions().client, shared.client);
  const command = new Command("x").addOption(shared.output).addOption(shared.replaceOutput)
    .addOption(shared.client).addOption(shared.dryRun).addOption(shared.json)
    .addOption(shared.replaceReadOnly);
  assert.deepEqual(flagsOf(command), [
    "--output <file>",
    "--replace-output",
    "--client <client>",
    "--dry-run",
    "--json",
    "--replace-read-only",
  ]);
  command.exitOverride().configureOutput({ writeErr: () => {} });
  assert.throws(() => command.parse(["--client", "nope"], { from: "user" }), /nope/);
  command.parse(["--client", "cursor", "--dry-run", "--output", "o.json"], { from: "user" });
  assert.deepEqual(command.opts(), { client: "cursor", dryRun: true, output: "o.json" });
});

Deno.test("wrap-config and unwrap-config list their options in help order", () => {
  const io = fakeCliIo("/nonexistent/.thoth");
  assert.deepEqual(flagsOf(unwrapConfigCommand(io)), [
    "--output <file>",
    "--replace-output",
    "--client <client>",
    "--dry-run",
    "--json",
    "--replace-read-only",
  ]);
  assert.deepEqual(flagsOf(wrapConfigCommand(io)), [
    "--tenant-id <id>",
    "--enforcement-mode <mode>",
    "--env <KEY=VALUE>",
    "--intent-map <file>",
    "--output <file>",
    "--replace-output",
    "--client <client>",
    "--thoth-path <path>",
    "--thoth-path-elsewhere",
    "--dry-run",
    "--json",
    "--replace-read-only",
    "--api-key <key>",
  ]);
});
