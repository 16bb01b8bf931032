/**
 * With no profile folder to be found, a command given `--json` still prints
 * its one `{"ok":false,…}` line on stdout (the error and hint on stderr as
 * ever); without `--json`, stdout stays empty; `thoth run` answers its client
 * instead (see cli_io_test.ts).
 */
import assert from "node:assert/strict";
import { withoutProfile } from "./_without_profile.ts";
import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import { errorJsonFor, VALUE_OPTIONS } from "../../src/cli/report_error.ts";
import { buildThothProgram } from "../../src/cli/thoth_program.ts";
import { buildThothctlProgram } from "../../src/cli/thothctl_program.ts";
import { fakeIo } from "../doctor/_helpers.ts";
import { AppError } from "../../src/errors.ts";

/** `program ARGS` with no HOME, no THOTH_HOME and the password file out of reach. */
async function runWithoutProfile(program: string, args: readonly string[], cwd: string) {
  const output = await withoutProfile(program, args, cwd).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    out: decoder.decode(output.stdout),
    err: decoder.decode(output.stderr),
  };
}

Deno.test({
  name:
    "thoth health/status --json and thothctl audit verify --json without a profile print one JSON line",
  ignore: Deno.build.os === "windows",
  async fn() {
    const cwd = await Deno.makeTempDir({ prefix: "thoth-no-home-json-" });
    try {
      const cases: [string, string[]][] = [
        ["thoth", ["health", "--json"]],
        ["thoth", ["status", "--json"]],
        ["thoth", ["--verbose", "doctor", "--json"]],
        ["thothctl", ["audit", "verify", "--json"]],
      ];
      for (const [program, args] of cases) {
        const run = await runWithoutProfile(program, args, cwd);
        assert.equal(run.code, 1, run.err);
        assert.match(
          run.err,
          new RegExp(`^${program}: error: cannot find a folder for the thoth profile`),
        );
        const lines = run.out.split("\n").filter((line) => line !== "");
        assert.equal(lines.length, 1, `${program} ${args.join(" ")}: ${run.out}`);
        const report = JSON.parse(lines[0]!);
        assert.equal(report.ok, false);
        assert.equal(report.error.code, "identity.no_profile");
        assert.match(report.error.message, /^cannot find a folder for the thoth profile: /);
        assert.match(report.error.hints[0], /^set THOTH_HOME to an absolute path/);
        assert.equal(report.error.exitCode, 1);
      }
      // Without --json, nothing on stdout (the check can fail).
      const plain = await runWithoutProfile("thoth", ["health"], cwd);
      assert.equal(plain.code, 1);
      assert.equal(plain.out, "");
      assert.deepEqual([...Deno.readDirSync(cwd)], [], "nothing in the current folder");
    } finally {
      await Deno.remove(cwd, { recursive: true });
    }
  },
});

Deno.test("errorJsonFor() answers --json before a --, and never for run", () => {
  const problem = new AppError("identity.no_profile", "no home", { hints: ["set THOTH_HOME"] });
  assert.equal(
    errorJsonFor(["health", "--json"], problem),
    '{"ok":false,"error":{"code":"identity.no_profile","message":"no home",' +
      '"hints":["set THOTH_HOME"],"exitCode":1}}\n',
  );
  assert.equal(errorJsonFor(["health"], problem), undefined);
  assert.equal(errorJsonFor(["run", "--json", "--", "srv"], problem), undefined);
  assert.equal(errorJsonFor(["--verbose", "run", "--", "srv", "--json"], problem), undefined);
  assert.equal(errorJsonFor(["policy", "explain", "--", "--json"], problem), undefined);
});

Deno.test("errorJsonFor() does not take a --json that is another option's value", () => {
  const problem = new AppError("identity.no_profile", "no home", { hints: ["set THOTH_HOME"] });
  for (
    const args of [
      ["policy", "explain", "--server", "--json", "--tool", "t"],
      ["status", "--config", "--json"],
      ["audit", "tail", "-n", "--json"],
      // Short flags written together: -fn is -f -n, and -n takes the next word.
      ["audit", "tail", "-fn", "--json"],
    ]
  ) {
    assert.equal(errorJsonFor(args, problem), undefined, args.join(" "));
  }
  for (
    const args of [
      ["policy", "explain", "--server", "s", "--json", "--tool", "t"],
      ["status", "--config", "c.json", "--json"],
      ["policy", "explain", "--server=--x", "--json"],
      // --server takes "--tool" as its value, as commander does: --json is an option again.
      ["policy", "explain", "--server", "--tool", "--json"],
      // -nf: "f" is the value of -n, so --json is an option again.
      ["audit", "tail", "-nf", "--json"],
    ]
  ) {
    assert.match(errorJsonFor(args, problem) ?? "", /"ok":false/, args.join(" "));
  }
});

/** Every option of `program` and its subcommands that takes a value (`--x <v>` or `--x [v]`). */
function valueOptions(program: CommandUnknownOpts): string[] {
  const found: string[] = [];
  for (const option of program.options) {
    if (option.required || option.optional) {
      if (option.long) found.push(option.long);
      if (option.short) found.push(option.short);
    }
  }
  for (const command of program.commands) found.push(...valueOptions(command));
  return found;
}

Deno.test("VALUE_OPTIONS names every option of thoth and thothctl that takes a value", async () => {
  const io = fakeIo(await Deno.makeTempDir({ prefix: "thoth-value-options-" }));
  const thoth = await buildThothProgram(io, []);
  const thothctl = await buildThothctlProgram(io);
  const options = [
    ...valueOptions(thoth),
    ...valueOptions(thothctl),
  ];
  assert.ok(options.includes("--server") && options.includes("--config"), options.join(" "));
  const missing = [...new Set(options)].filter((option) => !VALUE_OPTIONS.has(option));
  assert.deepEqual(missing, [], "add these to VALUE_OPTIONS in src/cli/report_error.ts");
  // --json is never one: a command that took a value for it would break errorJsonFor().
  assert.ok(!VALUE_OPTIONS.has("--json"));
});
