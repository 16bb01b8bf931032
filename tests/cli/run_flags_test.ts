/**
 * `thoth run`'s plain flag reader against the commander definition in
 * `run.ts`: for every command line the reader accepts, commander produces the
 * same command and options; what it declines goes to commander, which still
 * prints help or a clear error.
 */
import assert from "node:assert/strict";
import { configureCommand } from "../../src/cli/program.ts";
import { runCommand } from "../../src/cli/run.ts";
import {
  parseRunArgs,
  repeatedRunFlag,
  RUN_VALUE_FLAG_NAMES,
  type RunArgs,
} from "../../src/cli/run_flags.ts";
import { RUN_VALUE_FLAGS } from "../../src/config/thoth_invocation.ts";
import { fakeCliIo } from "./_fake_cli_io.ts";

/** What commander makes of the arguments after `run`: the parsed call, or the error code. */
async function viaCommander(args: string[]): Promise<RunArgs | { error: string }> {
  const io = fakeCliIo("/nonexistent-thoth-home");
  let parsed: RunArgs | undefined;
  const command = configureCommand(
    runCommand(io, (_io, cmd, options) => {
      parsed = { command: cmd, options: { ...options } };
      return Promise.resolve();
    }),
    io,
  );
  try {
    await command.parseAsync(args, { from: "user" });
  } catch (error) {
    return { error: (error as { code?: string }).code ?? String(error) };
  }
  return parsed ?? { error: "no action" };
}

const ACCEPTED: string[][] = [
  ["--", "node", "server.js"],
  ["--agent-id", "fs", "--", "npx", "-y", "@modelcontextprotocol/server-filesystem", "/data"],
  ["--agent-id", "fs", "--enforcement-mode", "observe", "--", "node", "s.js", "--flag", "--"],
  ["--agent-id=fs", "--tenant-id=acme", "--", "node"],
  ["--intent", "calendar_management", "--policy", "/etc/thoth/policy.jsonc", "--", "node"],
  ["--max-line-bytes", "128MiB", "--shutdown-grace-ms", "0", "--", "node"],
  ["--audit-sync", "always", "--approval-timeout", "3600", "--", "node"],
  ["--api-key", "k-123", "--enforcer-url", "https://old.example.com", "--", "node"],
  ["--enforcement-mode", "progressive", "node", "server.js", "--agent-id", "inner"],
  ["node", "server.js"],
  ["--agent-id", "FS.Main_1", "--intent", "Calendar_Mgmt", "--policy=/Tmp/a=b.jsonc", "--", "N"],
  ["--max-line-bytes", "1 KiB", "--approval-timeout", "1", "--", "C:\\Tools\\srv.exe", "/x"],
];

const DECLINED: string[][] = [
  [],
  ["--"],
  ["--", ""],
  ["--help"],
  ["-h"],
  ["--agent-id"],
  ["--agent-id", "--", "node"],
  ["--agent-id", "bad id", "--", "node"],
  ["--tenant-id", "Acme", "--", "node"],
  ["--enforcement-mode", "loud", "--", "node"],
  ["--max-line-bytes", "12", "--", "node"],
  ["--shutdown-grace-ms", "-1", "--", "node"],
  ["--approval-timeout", "0", "--", "node"],
  ["--audit-sync", "sometimes", "--", "node"],
  ["--agent-id", "a", "--agent-id", "b", "--", "node"],
  ["--bogus", "--", "node"],
  ["-x", "--", "node"],
  ["--constructor", "x", "--", "node"],
];

Deno.test("every command line the plain reader accepts, commander reads the same way", async () => {
  for (const args of ACCEPTED) {
    const plain = parseRunArgs(args);
    assert.ok(plain, `declined ${JSON.stringify(args)}`);
    assert.deepEqual(plain, await viaCommander(args), JSON.stringify(args));
  }
});

Deno.test("the plain reader declines help, errors and anything unusual", async () => {
  for (const args of DECLINED) {
    assert.equal(parseRunArgs(args), undefined, JSON.stringify(args));
  }
  // Commander still handles them: help, or a usage error, never a silent start.
  const help = await viaCommander(["--help"]);
  assert.deepEqual(help, { error: "commander.helpDisplayed" });
  const bad = await viaCommander(["--enforcement-mode", "loud", "--", "node"]);
  assert.deepEqual(bad, { error: "commander.invalidArgument" });
});

Deno.test("repeatedRunFlag() finds a flag given twice before --, in either form, and nothing after", () => {
  assert.equal(repeatedRunFlag(["--intent", "a", "--intent=b", "--", "x"]), "--intent");
  assert.equal(repeatedRunFlag(["--intent", "a", "--", "x", "--intent", "b"]), undefined);
  assert.equal(
    repeatedRunFlag(["--agent-id", "--agent-id", "--", "x"]),
    undefined,
    "a value, not a flag",
  );
  assert.equal(repeatedRunFlag(["--help", "--help"]), undefined, "not a value flag");
});

Deno.test("wrap-config and status know every value flag of thoth run", () => {
  // --enforcer-url is deprecated: status reports it as an older flag on purpose.
  assert.deepEqual(
    [...RUN_VALUE_FLAGS].sort(),
    RUN_VALUE_FLAG_NAMES.filter((f) => f !== "--enforcer-url").sort(),
  );
});
