/**
 * The runner's failure contract (`src/cli/program.ts`), in-process: `--json`
 * failures also answer on stdout, a closed stdout is a quiet exit 141, and
 * hints name the program and the command that was run.
 */
import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { runProgram } from "../../src/cli/program.ts";
import { StdoutClosedError } from "../../src/cli/cli_io.ts";
import { runThothProgram } from "../../src/cli/thoth_program.ts";
import { thothMain } from "../../src/cli/thoth.ts";
import { buildThothctlProgram } from "../../src/cli/thothctl_program.ts";
import { AppError } from "../../src/errors.ts";
import { fakeCliIo } from "./_fake_cli_io.ts";
import { thothAudit } from "../audit/_audit_cli.ts";
import { readLines, sampleLog, segmentPath, writeLines } from "../audit/_log_helpers.ts";

type AnyCommand = Command<unknown[], Record<string, unknown>>;

async function withHome(fn: (home: string) => Promise<void>): Promise<void> {
  const home = await Deno.makeTempDir({ prefix: "thoth-json-errors-" });
  try {
    await fn(home);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

async function thoth(home: string, args: string[]) {
  const io = fakeCliIo(home, { THOTH_HOME: home });
  const code = await runThothProgram(args, io);
  return { code, out: io.stdout, err: io.stderr };
}

/** The one JSON document on stdout, checked to be exactly one line. */
function oneJsonLine(stdout: string): { ok: boolean; error: Record<string, unknown> } {
  assert.match(stdout, /^[^\n]+\n$/, `one line on stdout: ${JSON.stringify(stdout)}`);
  return JSON.parse(stdout);
}

/** A one-command program whose action does `action`, run in-process. */
async function runOne(
  args: string[],
  action: (io: ReturnType<typeof fakeCliIo>) => void,
  io = fakeCliIo("/nonexistent"),
) {
  const program = new Command("thoth");
  program.command("emit").option("--json").action(() => action(io));
  const code = await runProgram("thoth", program as unknown as AnyCommand, args, io);
  return { code, out: io.stdout, err: io.stderr };
}

Deno.test("thoth policy check --json prints the failure as JSON on stdout, stderr and exit unchanged", async () => {
  await withHome(async (home) => {
    await Deno.writeTextFile(`${home}/bad.jsonc`, "{bad");
    const plain = await thoth(home, ["policy", "check", `${home}/bad.jsonc`]);
    const json = await thoth(home, ["policy", "check", `${home}/bad.jsonc`, "--json"]);
    assert.equal(json.code, 1);
    assert.equal(json.code, plain.code);
    assert.equal(json.err, plain.err);
    assert.equal(plain.out, "");
    const doc = oneJsonLine(json.out);
    assert.equal(doc.ok, false);
    assert.equal(doc.error["code"], "policy.invalid");
    assert.equal(doc.error["exitCode"], 1);
    assert.match(String(doc.error["message"]), /bad\.jsonc" line 1 column 2/);
    assert.ok(Array.isArray(doc.error["hints"]));
    assert.match(
      plain.err,
      new RegExp(`^thoth: error: ${escape(String(doc.error["message"]))}$`, "m"),
    );
    for (const hint of doc.error["hints"] as string[]) {
      assert.match(plain.err, new RegExp(`^thoth: hint: ${escape(hint)}$`, "m"));
    }
  });
});

Deno.test("thoth update --check --json prints the failure as JSON on stdout", async () => {
  await withHome(async (home) => {
    // From source, update refuses before any network: the binary is deno itself.
    const r = await thoth(home, ["update", "--check", "--json"]);
    assert.equal(r.code, 1);
    assert.match(r.err, /^thoth: error: thoth update works on a compiled thoth binary$/m);
    const doc = oneJsonLine(r.out);
    assert.deepEqual(
      { ok: doc.ok, code: doc.error["code"], exitCode: doc.error["exitCode"] },
      { ok: false, code: "release.not_compiled", exitCode: 1 },
    );
  });
});

Deno.test("thoth audit verify --bundle MISSING --json prints the failure as JSON and exits 3", async () => {
  await withHome(async (home) => {
    const r = await thoth(home, ["audit", "verify", "--bundle", `${home}/nonexist`, "--json"]);
    assert.equal(r.code, 3);
    assert.match(r.err, /^thoth: error: cannot read the bundle manifest/m);
    const doc = oneJsonLine(r.out);
    assert.equal(doc.error["code"], "audit.verify_failed");
    assert.equal(doc.error["exitCode"], 3);
  });
});

Deno.test("a tampered log under thoth audit verify --json gets its report and no second JSON document", async () => {
  const home = await sampleLog();
  try {
    const path = await segmentPath(home);
    const lines = await readLines(path);
    lines.splice(5, 1);
    await writeLines(path, lines);
    const r = await thothAudit(home, "verify", "--json");
    assert.equal(r.code, 1);
    const report = JSON.parse(r.out);
    assert.equal(report.ok, undefined, "the verify report, not an error document");
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("a command that wrote to stdout before failing gets no JSON error after it", async () => {
  const r = await runOne(["emit", "--json"], (io) => {
    io.out('{"partial":true}\n');
    throw new AppError("audit.verify_failed", "gave up halfway");
  });
  assert.equal(r.code, 1);
  assert.equal(r.out, '{"partial":true}\n');
  assert.match(r.err, /^thoth: error: gave up halfway$/m);
});

Deno.test("usage errors on a command line with --json answer in JSON too", async () => {
  await withHome(async (home) => {
    // audit verify's usage errors exit 3, "could not run" (2 is its "warnings only").
    const unknown = await thoth(home, ["audit", "verify", "--bogus", "--json"]);
    assert.equal(unknown.code, 3);
    assert.match(unknown.err, /^thoth: error: unknown option '--bogus'$/m);
    const doc = oneJsonLine(unknown.out);
    assert.equal(doc.error["code"], "usage.unknown_option");
    assert.equal(doc.error["message"], "unknown option '--bogus'");
    assert.equal(doc.error["exitCode"], 3);
    assert.deepEqual(doc.error["hints"], [`run "thoth audit verify --help" to see its usage`]);

    const io = fakeCliIo(home);
    const program = new Command("thoth");
    program.command("show").argument("<id>").option("--json").action(() => {});
    const missing = await runProgram("thoth", program as unknown as AnyCommand, [
      "show",
      "--json",
    ], io);
    assert.equal(missing, 2);
    assert.match(io.stderr, /^thoth: error: missing required argument 'id'$/m);
    assert.equal(oneJsonLine(io.stdout).error["code"], "usage.missing_argument");

    const mandatory = await thoth(home, ["policy", "explain", "--tool", "t", "--json"]);
    assert.equal(mandatory.code, 2);
    assert.equal(
      oneJsonLine(mandatory.out).error["code"],
      "usage.missing_mandatory_option_value",
    );

    const command = await thoth(home, ["frobnicate", "--json"]);
    assert.equal(command.code, 2);
    assert.equal(oneJsonLine(command.out).error["code"], "usage.unknown_command");
  });
});

Deno.test("without --json, or with it only after --, stdout stays empty on failure", async () => {
  await withHome(async (home) => {
    const plain = await thoth(home, ["audit", "verify", "--bogus"]);
    assert.equal(plain.code, 3);
    assert.equal(plain.out, "");
    const after = await runOne(["emit", "--", "--json"], () => {});
    assert.equal(after.code, 2, after.err);
    assert.equal(after.out, "");
  });
});

Deno.test("thoth run never gets a JSON error: its stdout belongs to the MCP client", async () => {
  await withHome(async (home) => {
    const io = fakeCliIo(home, { THOTH_HOME: home });
    const code = await thothMain(["run", "--bogus", "--json"], io);
    assert.equal(code, 2);
    assert.match(io.stderr, /^thoth: error: unknown option '--bogus'$/m);
    assert.match(io.stderr, /^thoth: hint: run "thoth run --help"/m);
    assert.equal(io.stdout, "");
  });
});

Deno.test("an internal error under --json is reported as internal.error without its details", async () => {
  const r = await runOne(["emit", "--json"], () => {
    throw new Error("secret detail /home/ana");
  });
  assert.equal(r.code, 1);
  assert.match(r.err, /^thoth: error: internal error$/m);
  assert.deepEqual(JSON.parse(r.out), {
    ok: false,
    error: {
      code: "internal.error",
      message: "internal error",
      hints: ["re-run with --verbose to see the cause"],
      exitCode: 1,
    },
  });
});

Deno.test("messages and hints reach stderr and the JSON error without terminal escapes", async () => {
  const r = await runOne(["emit", "--json"], () => {
    throw new AppError("policy.unreadable", 'cannot read policy "\x1b[31mred\x1b[0m\nthoth: ok"', {
      hints: ["check \u202Eelif\x07"],
    });
  });
  assert.equal(r.code, 1);
  assert.deepEqual(unsafeCharacters(r.err + r.out), []);
  assert.equal(r.err.split("\n").length, 3, "one error line, one hint line");
  assert.match(r.err, /^thoth: error: cannot read policy "\?\[31mred\?\[0m\?thoth: ok"$/m);
  const doc = oneJsonLine(r.out);
  assert.equal(doc.error["message"], 'cannot read policy "?[31mred?[0m?thoth: ok"');
  assert.deepEqual(doc.error["hints"], ["check ?elif?"]);
});

Deno.test("usage hints name the program that was run and the command it reached", async () => {
  await withHome(async (home) => {
    const io = fakeCliIo(home, { THOTH_HOME: home });
    const program = await buildThothctlProgram(io) as unknown as AnyCommand;
    const code = await runProgram("thothctl", program, ["audit", "verify", "--bogus"], io);
    assert.equal(code, 3);
    assert.match(
      io.stderr,
      /^thothctl: hint: run "thothctl audit verify --help" to see its usage$/m,
    );

    const group = await thoth(home, ["audit", "frob", "--bogus"]);
    assert.equal(group.code, 2);
    assert.match(
      group.err,
      /^thoth: hint: run "thoth audit --help" to see the commands and flags$/m,
    );

    const top = await thoth(home, ["frobnicate"]);
    assert.match(top.err, /^thoth: hint: run "thoth --help" to see the commands and flags$/m);
  });
});

Deno.test("a parser suggestion becomes its own hint line", async () => {
  await withHome(async (home) => {
    const r = await thoth(home, ["audit", "verify", "--bundel", "x"]);
    assert.equal(r.code, 3);
    assert.deepEqual(r.err.trimEnd().split("\n"), [
      "thoth: error: unknown option '--bundel'",
      "thoth: hint: did you mean --bundle?",
      'thoth: hint: run "thoth audit verify --help" to see its usage',
    ]);
  });
});

Deno.test("thothctl auth login names thothctl in its error", async () => {
  await withHome(async (home) => {
    const io = fakeCliIo(home, { THOTH_HOME: home });
    const program = await buildThothctlProgram(io) as unknown as AnyCommand;
    const code = await runProgram("thothctl", program, ["auth", "login"], io);
    assert.equal(code, 1);
    assert.match(io.stderr, /^thothctl: error: thothctl auth login needs the Thoth control plane/m);
    assert.doesNotMatch(io.stderr, /thoth auth login/);
  });
});

Deno.test("a closed stdout ends the command quietly with exit 141, not an internal error", async () => {
  const closedIo = () => {
    const io = fakeCliIo("/nonexistent");
    io.out = () => {
      throw new StdoutClosedError({
        cause: new Deno.errors.BrokenPipe("Broken pipe (os error 32)"),
      });
    };
    return io;
  };
  const direct = await runOne(["emit", "--json"], (io) => io.out("report\n"), closedIo());
  assert.equal(direct.code, 141);
  assert.equal(direct.err, "");
  // A command that wraps what it caught still ends quietly.
  const wrapped = await runOne(["emit"], (io) => {
    try {
      io.out("report\n");
    } catch (cause) {
      throw new AppError("audit.verify_failed", "cannot finish", { cause });
    }
  }, closedIo());
  assert.equal(wrapped.code, 141);
  assert.equal(wrapped.err, "");
  // --help goes through the same writer.
  const io = closedIo();
  const help = await runProgram("thoth", new Command("thoth") as unknown as AnyCommand, [
    "--help",
  ], io);
  assert.equal(help, 141);
  assert.equal(io.stderr, "");
});

/** Control characters but the line feed, and the bidi override, found in `text`. */
function unsafeCharacters(text: string): string[] {
  return [...text].filter((ch) => {
    const code = ch.codePointAt(0)!;
    return (code < 0x20 && code !== 0x0a) || (code >= 0x7f && code <= 0x9f) || code === 0x202e;
  });
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

Deno.test("an unknown --flag=value is named without its value, on stderr and in the JSON", async () => {
  await withHome(async (home) => {
    const run = await thoth(home, ["status", "--api-key=sk-SECRET-123", "--json"]);
    assert.equal(run.code, 2);
    assert.doesNotMatch(run.out + run.err, /sk-SECRET-123/);
    const quoted = await thoth(home, ["status", "--api-key=ab'cd-SECRET", "--json"]);
    assert.doesNotMatch(quoted.out + quoted.err, /SECRET/, "a quote in the value hides nothing");
    const lines = await thoth(home, ["status", "--api-key=sk-abc\nSECRETTAIL", "--json"]);
    assert.doesNotMatch(lines.out + lines.err, /SECRET|sk-abc/, "nor a line break");
    assert.match(run.err, /unknown option '--api-key=…'/);
    assert.equal(oneJsonLine(run.out).error["message"], "unknown option '--api-key=…'");
  });
});
