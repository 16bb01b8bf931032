/**
 * `thoth run`'s plain flag reader against the commander definition in
 * `run.ts`: for every command line the reader accepts, commander produces the
 * same command and options; what it declines goes to commander, which still
 * prints help or a clear error; what it refuses with a server command after
 * `--` commander refuses too, and the refusal tells the client which flag to
 * fix without the value given.
 */
import assert from "node:assert/strict";
import { configureCommand } from "../../src/cli/program.ts";
import { runCommand } from "../../src/cli/run.ts";
import { parseRunArgs } from "../../src/cli/run_flags.ts";
import { repeatedRunFlag, RUN_VALUE_FLAG_NAMES } from "../../src/cli/run_flag_table.ts";
import { RUN_DEFAULTS, type RunArgs } from "../../src/cli/run_options.ts";
import { RUN_VALUE_FLAGS } from "../../src/config/thoth_invocation.ts";
import { RUN_NUMERIC_FLAGS } from "../../src/config/run_flag_numbers.ts";
import { thothMain } from "../../src/cli/thoth.ts";
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
  // A flag takes the next argument as its value, whatever it looks like, as commander does.
  ["--intent", "-x", "--policy", "--help", "--", "node"],
  ["-", "server.js"],
];

const DECLINED: string[][] = [
  [],
  ["--"],
  ["--", ""],
  ["--help"],
  ["-h"],
  ["--help", "--", "node"],
  ["--agent-id", "fs", "-h", "--", "node"],
  ["--bogus", "--help", "--", "node"],
  ["--agent-id"],
  ["--agent-id", "--"],
  ["--tenant-id", "Acme", "--", ""],
  ["--tenant-id", "Acme", "node"],
  ["--bogus", "node", "server.js"],
];

/** Refused with a server command after `--`: [arguments, error code, flag the client is told]. */
const REFUSED: [string[], string, string][] = [
  [["--agent-id", "--", "node"], "usage.missing_value", "--agent-id"],
  [["--policy", "--", "node", "--policy", "p"], "usage.missing_value", "--policy"],
  [["--agent-id", "bad id", "--", "node"], "usage.bad_flag", "--agent-id"],
  [["--tenant-id", "Acme", "--", "node"], "usage.bad_flag", "--tenant-id"],
  [["--tenant-id=Bad_Tenant", "--", "node"], "usage.bad_flag", "--tenant-id"],
  [["--enforcement-mode", "loud", "--", "node"], "usage.bad_flag", "--enforcement-mode"],
  [["--max-line-bytes", "12", "--", "node"], "usage.bad_flag", "--max-line-bytes"],
  [["--max-line-bytes", "0x10", "--", "node"], "usage.bad_flag", "--max-line-bytes"],
  [["--shutdown-grace-ms", "-1", "--", "node"], "usage.bad_flag", "--shutdown-grace-ms"],
  [["--approval-timeout", "86400", "--", "node"], "usage.bad_flag", "--approval-timeout"],
  [["--audit-sync", "sometimes", "--", "node"], "usage.bad_flag", "--audit-sync"],
  [["--agent-id", "a", "--agent-id", "b", "--", "node"], "usage.repeated_flag", "--agent-id"],
  [["--tenant-id", "Acme", "--tenant-id", "b", "--", "node"], "usage.repeated_flag", "--tenant-id"],
  [["--bogus", "--", "node"], "usage.unknown_flag", "--bogus"],
  [["-x", "--", "node"], "usage.unknown_flag", "-x"],
  [["--constructor", "xyz", "--", "node"], "usage.unknown_flag", "--constructor"],
  [["--api-key", "sk-1", "--apikey=sk-2", "--", "node"], "usage.unknown_flag", "--apikey"],
  [["--tenant-id", "Acme", "node", "--", "x"], "usage.bad_flag", "--tenant-id"],
];

Deno.test("every command line the plain reader accepts, commander reads the same way", async () => {
  for (const args of ACCEPTED) {
    const plain = parseRunArgs(args);
    assert.ok(plain, `declined ${JSON.stringify(args)}`);
    assert.deepEqual(plain, await viaCommander(args), JSON.stringify(args));
  }
});

Deno.test("the plain reader declines help, and errors with no server command after --", async () => {
  for (const args of DECLINED) {
    assert.equal(parseRunArgs(args), undefined, JSON.stringify(args));
  }
  // Commander still handles them: help, or a usage error, never a silent start.
  const help = await viaCommander(["--help"]);
  assert.deepEqual(help, { error: "commander.helpDisplayed" });
  const bad = await viaCommander(["--enforcement-mode", "loud", "--", "node"]);
  assert.deepEqual(bad, { error: "commander.invalidArgument" });
});

Deno.test("parseRunArgs() refuses bad flags before -- and server command, naming the flag and not the value", async () => {
  for (const [args, code, flag] of REFUSED) {
    const what = JSON.stringify(args);
    const read = parseRunArgs(args);
    assert.ok(read, `declined ${what}`);
    const refusal = read.options.refusal;
    assert.ok(refusal, `accepted ${what}`);
    assert.deepEqual(read.options, { ...RUN_DEFAULTS, refusal }, "nothing else is read");
    assert.equal(read.command[0], args[args.indexOf("--") + 1], what);
    assert.equal(refusal.error.code, code, what);
    assert.equal(refusal.error.exitCode, 2, what);
    assert.match(refusal.wire, /^thoth refused to start this MCP server: /, what);
    assert.ok(refusal.wire.includes(flag), `${what}: ${refusal.wire}`);
    assert.match(refusal.wire, /Fix the "thoth run" flags/, what);
    const values = args.slice(0, args.indexOf("--"))
      .filter((arg) => !arg.startsWith("--") && arg !== "-x" && arg.length > 1);
    for (const value of [...values, "sk-1", "sk-2", "Bad_Tenant"]) {
      assert.ok(!refusal.wire.includes(value), `${what}: the wire echoes ${value}`);
    }
    // Commander refuses bad values and unknown flags too. It keeps the last of a repeated
    // flag (thoth.ts refuses those before it) and reads "--" as a value.
    if (code === "usage.bad_flag" || code === "usage.unknown_flag") {
      assert.ok("error" in await viaCommander(args), `commander starts ${what}`);
    }
  }
  const flags = ["--agent-id", "fs", "--agent-id", "x", "--", "node"];
  assert.equal(repeatedRunFlag(flags), "--agent-id", "thoth.ts names the same flag");
});

Deno.test("a refused flag is worded as commander words it, where commander refuses it", async () => {
  const io = fakeCliIo("/nonexistent-thoth-home");
  const code = await thothMain(["--verbose", "run", "--audit-sync", "x", "--", "node"], io);
  assert.equal(code, 2);
  const refusal = parseRunArgs(["--audit-sync", "x", "--", "node"])?.options.refusal;
  assert.equal(`thoth: error: ${refusal?.error.message}\n`, io.stderr.split("\n")[0] + "\n");
  const unknown = fakeCliIo("/nonexistent-thoth-home");
  await thothMain(["--verbose", "run", "--bogus", "--", "node"], unknown);
  assert.match(unknown.stderr, /^thoth: error: unknown option '--bogus'$/m);
  assert.equal(
    parseRunArgs(["--bogus", "--", "node"])?.options.refusal?.error.message,
    "unknown option '--bogus'",
  );
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

/**
 * What `thoth` prints and exits with for the arguments, run in-process by a
 * person at a terminal: a refused command line is a usage error on stderr at
 * once (a client on a pipe is answered instead: tests/e2e/run_flag_refusal_test.ts).
 */
async function thothRun(args: string[]): Promise<{ code: number; err: string; out: string }> {
  const io = Object.assign(fakeCliIo("/nonexistent-thoth-home"), { stdinIsTty: true });
  const code = await thothMain(["run", ...args], io);
  return { code, err: io.stderr, out: io.stdout };
}

const NOT_DECIMAL = ["0x10", "1e1", " 12 ", "12 ", " 12", "1_000", "+5", "-0", "12.0", ""];

Deno.test("thoth run reads --shutdown-grace-ms and --approval-timeout as plain decimal integers only", async () => {
  const cases = [
    ["--shutdown-grace-ms", "whole milliseconds from 0 to 600000", '"2000" (the default)'],
    ["--approval-timeout", "whole seconds from 1 to 3600", '"45" (the default)'],
  ] as const;
  for (const [flag, expected, example] of cases) {
    for (const value of [...NOT_DECIMAL, "\u0661\u0662", "１２", "12\n"]) {
      for (const args of [[flag, value, "--", "node"], [`${flag}=${value}`, "--", "node"]]) {
        // Refused by the fast path, so a session is never started on the old reader.
        assert.equal(parseRunArgs(args)?.options.refusal?.error.code, "usage.bad_flag");
        const run = await thothRun(args);
        assert.equal(run.code, 2, JSON.stringify(args));
        assert.equal(
          run.err,
          `thoth: error: ${flag}: ${
            JSON.stringify(value)
          } is not a plain decimal number; expected ${expected}\n` +
            `thoth: hint: write digits only, with no sign, spaces, "_", "." or exponent, for example ${example}\n`,
          JSON.stringify(args),
        );
        assert.equal(run.out, "", "nothing on the protocol channel");
      }
    }
  }
});

Deno.test("thoth run names the flag, the value and the range when a number is out of range", async () => {
  const cases = [
    [
      "--shutdown-grace-ms",
      "600001",
      "whole milliseconds from 0 to 600000",
      "0 and 600000; the default is 2000",
    ],
    [
      "--shutdown-grace-ms",
      "99999999999999999999999",
      "whole milliseconds from 0 to 600000",
      "0 and 600000; the default is 2000",
    ],
    ["--approval-timeout", "0", "whole seconds from 1 to 3600", "1 and 3600; the default is 45"],
    ["--approval-timeout", "3601", "whole seconds from 1 to 3600", "1 and 3600; the default is 45"],
  ] as const;
  for (const [flag, value, expected, range] of cases) {
    const run = await thothRun([flag, value, "--", "node"]);
    assert.equal(run.code, 2);
    assert.equal(
      run.err,
      `thoth: error: ${flag}: "${value}" is out of range; expected ${expected}\n` +
        `thoth: hint: choose between ${range}\n`,
    );
  }
});

Deno.test("thoth run reads --max-line-bytes as plain decimal digits with an optional unit only", async () => {
  for (
    const value of [
      "0x10000",
      "1e6",
      " 2048",
      "2048 ",
      " 64MiB ",
      "1_000_000",
      "+2048",
      "2048.0",
      "64  MiB",
      "64\tMiB",
      "",
    ]
  ) {
    const args = ["--max-line-bytes", value, "--", "node"];
    assert.equal(parseRunArgs(args)?.options.refusal?.error.code, "usage.bad_flag", value);
    const run = await thothRun(args);
    assert.equal(run.code, 2, JSON.stringify(value));
    assert.equal(
      run.err,
      `thoth: error: --max-line-bytes: ${
        JSON.stringify(value)
      } is not a size; expected plain decimal digits, optionally followed by a unit such as KiB, MiB or GiB\n` +
        `thoth: hint: give bytes or a size with a unit, for example "67108864" or "64MiB"\n`,
    );
  }
  const small = await thothRun(["--max-line-bytes", "12", "--", "node"]);
  assert.equal(
    small.err,
    'thoth: error: --max-line-bytes: "12" is out of range; expected a size from 1KiB to 2GiB\n' +
      "thoth: hint: choose between 1KiB and 2GiB; the default is 64MiB\n",
  );
});

Deno.test("thoth run still takes every numeric flag at the edges of its range, on both paths", async () => {
  const edges: [string[], Partial<RunArgs["options"]>][] = [
    [["--shutdown-grace-ms", "0"], { shutdownGraceMs: 0 }],
    [["--shutdown-grace-ms", "600000"], { shutdownGraceMs: 600_000 }],
    [["--approval-timeout", "1"], { approvalTimeout: 1 }],
    [["--approval-timeout=3600"], { approvalTimeout: 3600 }],
    [["--max-line-bytes", "1024"], { maxLineBytes: 1024 }],
    [["--max-line-bytes", "1 KiB"], { maxLineBytes: 1024 }],
    [["--max-line-bytes", "2GiB"], { maxLineBytes: 2 ** 31 }],
    [["--max-line-bytes", "64mb"], { maxLineBytes: 64 * 1024 ** 2 }],
    // A leading zero is decimal, as it always was: a config that worked keeps working.
    [["--shutdown-grace-ms", "0500"], { shutdownGraceMs: 500 }],
    [["--approval-timeout", "060"], { approvalTimeout: 60 }],
    [["--max-line-bytes", "02048"], { maxLineBytes: 2048 }],
  ];
  for (const [flags, want] of edges) {
    const args = [...flags, "--", "node"];
    const plain = parseRunArgs(args);
    assert.ok(plain, `declined ${JSON.stringify(args)}`);
    for (const [key, value] of Object.entries(want)) {
      assert.equal(plain.options[key as keyof RunArgs["options"]], value, JSON.stringify(args));
    }
    assert.deepEqual(plain, await viaCommander(args), JSON.stringify(args));
  }
  // The hints name these defaults.
  assert.equal(RUN_DEFAULTS.shutdownGraceMs, 2000);
  assert.equal(RUN_DEFAULTS.approvalTimeout, 45);
  assert.equal(RUN_DEFAULTS.maxLineBytes, 64 * 1024 ** 2);
  assert.deepEqual(
    Object.keys(RUN_NUMERIC_FLAGS).filter((flag) => !RUN_VALUE_FLAG_NAMES.includes(flag)),
    [],
  );
});
