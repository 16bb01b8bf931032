/**
 * `answerGiven()` records the process chain of a real answering process,
 * read from the `ps` table the governed-caller check reads: a process a
 * login shell started is neither orphaned nor under script; one that
 * forked twice and left the tree (`setsid`, the parent gone) is orphaned;
 * one run by util-linux `script -qc` is under script. Real subprocesses
 * (deno, sh, setsid, script); Linux and macOS only.
 */
import assert from "node:assert/strict";
import type { AnswerGiven } from "../../src/approval/answer_given.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

/** What the probe runs: the check, then the answer's `given`, written to the file named. */
const PROBE = `
  import { refuseGovernedCaller } from ${
  JSON.stringify(`${ROOT}/src/cli/governed_caller_check.ts`)
};
  import { answerGiven } from ${JSON.stringify(`${ROOT}/src/cli/answer_terminal.ts`)};
  const treeChecked = await refuseGovernedCaller({}, "thoth", "approve");
  const given = await answerGiven("cli", treeChecked);
  const [file] = Deno.args;
  await Deno.writeTextFile(file + ".part", JSON.stringify(given));
  await Deno.rename(file + ".part", file);
`;

function has(program: string, args: string[]): boolean {
  try {
    return new Deno.Command(program, { args, stdout: "null", stderr: "null" }).outputSync()
      .success;
  } catch {
    return false;
  }
}

/** Whether `script` here is util-linux's. */
function utilLinuxScript(): boolean {
  try {
    const out = new Deno.Command("script", { args: ["--version"], stderr: "null" }).outputSync();
    return out.success && new TextDecoder().decode(out.stdout).includes("util-linux");
  } catch {
    return false;
  }
}

/** `sh -c` quoting of one word. */
const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;

/**
 * The `given` the probe writes when `wrap(probe command line)` runs it: the
 * command it returns is started, and the result read once the probe has
 * written it (a detached probe outlives the command).
 */
async function givenUnder(wrap: (line: string) => string[]): Promise<AnswerGiven> {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/probe.ts`, PROBE);
    const out = `${dir}/given.json`;
    const line = [
      Deno.execPath(),
      "run",
      "--no-prompt",
      "--quiet",
      "--no-config",
      "--allow-run=/bin/ps,/usr/bin/ps",
      "--allow-read",
      `--allow-write=${dir}`,
      `${dir}/probe.ts`,
      out,
    ].map(quote).join(" ");
    const env: Record<string, string> = { ...Deno.env.toObject(), HOME: dir };
    delete env["THOTH_GOVERNED_BY"];
    const [program, ...args] = wrap(line);
    const run = await new Deno.Command(program!, {
      args,
      clearEnv: true,
      env,
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).output();
    assert.equal(run.code, 0, new TextDecoder().decode(run.stderr));
    for (let i = 0; i < 600; i++) {
      try {
        return JSON.parse(await Deno.readTextFile(out));
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error("the probe wrote no answer");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const UNIX = Deno.build.os !== "windows";

Deno.test({
  name: "answerGiven() from a login shell's child: the deno chain, neither flag",
  ignore: !UNIX,
  fn: async () => {
    // `; exit` keeps sh from replacing itself with the probe: it stays its parent.
    const given = await givenUnder((line) => ["sh", "-l", "-c", `${line}; exit $?`]);
    assert.equal(given.treeChecked, true);
    assert.deepEqual(given.chain?.slice(0, 3), ["deno", "sh", "deno"], JSON.stringify(given));
    assert.equal(given.orphaned, false, JSON.stringify(given));
    assert.equal(given.underScript, false, JSON.stringify(given));
  },
});

Deno.test({
  name: "answerGiven() from a double-forked setsid process: orphaned",
  ignore: !UNIX || !has("setsid", ["--version"]),
  fn: async () => {
    // The subshell starts the probe in the background and ends: pid 1 (or a subreaper) adopts it.
    const given = await givenUnder((line) => ["setsid", "sh", "-c", `( ${line} & ); exit 0`]);
    assert.equal(given.chain?.[0], "deno", JSON.stringify(given));
    assert.equal(given.orphaned, true, JSON.stringify(given));
    assert.equal(given.underScript, false, JSON.stringify(given));
  },
});

Deno.test({
  name: "answerGiven() under script -qc: underScript, and a terminal",
  // util-linux script (`-c` runs a command); the BSD script of macOS takes other arguments.
  ignore: !UNIX || !utilLinuxScript(),
  fn: async () => {
    const given = await givenUnder((line) => ["script", "-qec", line, "/dev/null"]);
    assert.equal(given.terminal, true, JSON.stringify(given));
    // script runs the line through $SHELL -c, which may replace itself with the probe.
    assert.equal(given.chain?.[0], "deno", JSON.stringify(given));
    assert.ok(given.chain?.slice(1, 3).includes("script"), JSON.stringify(given));
    assert.equal(given.underScript, true, JSON.stringify(given));
  },
});
