/**
 * A fleet mid-upgrade: a `thoth run` of the previous release still waits
 * on a step-up (its MCP client was not restarted) while `thoth approvals`
 * on the PATH is of this release. That waiting thoth refuses an answer of
 * this release's form as malformed (it carries what the person was shown,
 * fields its answers never held) and writes no note of it, so this
 * release's `approve` must not say "approved": it answers nothing, names
 * the earlier release and the pid, and says what to do; `list` shows the
 * request as from an earlier release; and that release's own CLI still
 * answers it, and the call runs. Real processes: the previous release's
 * source (from git) running `thoth run` around server-filesystem, the SDK
 * client, and the real `thoth approvals` of both releases.
 */
import assert from "node:assert/strict";
import { connect, DENO, filesystemArgv, ROOT } from "../e2e/_harness.ts";
import { type Json, thothCli } from "./_governed_peer.ts";
import { tempFolder } from "../_temp_dirs.ts";

/**
 * The previous release: its answers are `"v": 1` without what the person
 * was shown, and its waiting thoth refuses any field beyond those.
 */
const PREVIOUS_RELEASE = "609106c86daebea72e1b15f2c7956dd833338793";

/** The previous release's source in a temp folder, or undefined where git does not have it. */
async function previousRelease(): Promise<string | undefined> {
  const has = await new Deno.Command("git", {
    args: ["-C", ROOT, "cat-file", "-e", `${PREVIOUS_RELEASE}^{commit}`],
    stdout: "null",
    stderr: "null",
  }).output().catch(() => undefined);
  if (has?.code !== 0) return undefined;
  const dir = await tempFolder("thoth-previous-release-");
  const archive = await new Deno.Command("git", {
    args: ["-C", ROOT, "archive", "--format=tar", "-o", `${dir}.tar`, PREVIOUS_RELEASE],
  }).output();
  assert.equal(archive.code, 0, new TextDecoder().decode(archive.stderr));
  const untar = await new Deno.Command("tar", { args: ["-xf", `${dir}.tar`, "-C", dir] }).output();
  await Deno.remove(`${dir}.tar`);
  assert.equal(untar.code, 0, new TextDecoder().decode(untar.stderr));
  return dir;
}

/** The argv of the previous release's thoth, from its source, as its own task runs it. */
function previousThoth(root: string, args: readonly string[]): string[] {
  return [
    DENO,
    "run",
    "-P=thoth",
    "--no-remote",
    "--quiet",
    `--config=${root}/deno.json`,
    `${root}/src/cli/thoth.ts`,
    ...args,
  ];
}

/** Runs the previous release's `thoth` CLI with `args` against `home`. */
async function previousCli(
  root: string,
  home: string,
  args: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const [command, ...rest] = previousThoth(root, args);
  const out = await new Deno.Command(command!, {
    args: rest,
    env: { ...Deno.env.toObject(), THOTH_HOME: home },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

const ASK_BEFORE_WRITE = {
  version: 1,
  default: "allow",
  rules: [{ id: "ask-write", match: { tool: "write_file" }, decision: "step_up" }],
};

// A shallow clone has no previous release to run: the test says so rather than pass.
const previous = await previousRelease();

Deno.test({
  name:
    "thoth approvals approve refuses a request a previous release's thoth waits on (it would refuse the answer), list says so, and that release's own CLI still answers it",
  ignore: previous === undefined,
  fn: async () => {
    const old = previous!;
    const root = await tempFolder("thoth-earlier-waiter-");
    const home = `${root}/home`;
    const data = `${root}/data`;
    await Deno.mkdir(home);
    await Deno.mkdir(data);
    await Deno.writeTextFile(`${home}/policy.jsonc`, JSON.stringify(ASK_BEFORE_WRITE));
    const connected = await connect(
      previousThoth(old, [
        "run",
        "--agent-id",
        "fs",
        "--enforcement-mode",
        "block",
        "--approval-timeout",
        "60",
        "--",
        ...filesystemArgv(data),
      ]),
      {},
      { THOTH_HOME: home, DISPLAY: "", WAYLAND_DISPLAY: "" },
    );
    const target = `${data}/note.txt`;
    let listed: Json[] = [];
    let text = "";
    let refused: { code: number; stdout: string; stderr: string };
    let denied: { code: number; stdout: string; stderr: string };
    let answered: { code: number; stdout: string; stderr: string };
    let after: Json[] = [];
    // deno-lint-ignore no-explicit-any
    let result: any;
    try {
      const call = connected.client.callTool(
        { name: "write_file", arguments: { path: target, content: "written" } },
        undefined,
        { timeout: 120_000 },
      );
      // This release's CLI reads the earlier release's request.
      for (let tries = 0; tries < 600 && listed.length === 0; tries++) {
        listed = JSON.parse((await thothCli(home, ["approvals", "list", "--json"])).stdout || "[]");
        if (listed.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(listed.length, 1, `a request was queued; thoth said:\n${connected.stderr()}`);
      const id = listed[0].id as string;
      text = (await thothCli(home, ["approvals", "list"])).stdout;
      refused = await thothCli(home, ["approvals", "approve", id]);
      denied = await thothCli(home, ["approvals", "deny", id]);
      // Nothing was written: the earlier release's own CLI answers it, and the call runs.
      answered = await previousCli(old, home, ["approvals", "approve", id]);
      result = await call;
      after = JSON.parse((await thothCli(home, ["approvals", "list", "--all", "--json"])).stdout);
    } finally {
      await connected.close();
    }
    assert.equal(listed[0].earlierRelease, true, JSON.stringify(listed[0]));
    assert.match(
      text,
      /queued by a thoth of an earlier release \(or its file was edited to say so\), which refuses this release's/,
    );
    for (const answer of [refused, denied]) {
      assert.equal(answer.code, 1, answer.stdout + answer.stderr);
      assert.doesNotMatch(answer.stdout, /approved|denied/);
      assert.match(
        answer.stderr,
        /thoth: error: request "[a-z2-9]{8}" was queued by a thoth of an earlier release \(pid \d+\), or its request file was edited to say so \("v": 1\); such a thoth would refuse this release's answer as malformed and not run the call: nothing was answered/,
      );
      // First what holds where that release is gone (a self-update replaced it), then it.
      assert.match(
        answer.stderr,
        /\nthoth: hint: left unanswered, it is refused when it times out; restart the MCP client[^\n]*\nthoth: hint: or answer it with that release's thoth if it is still installed/,
      );
    }
    assert.equal(answered.code, 0, answered.stderr);
    assert.notEqual(result?.isError, true, JSON.stringify(result));
    assert.equal(await Deno.readTextFile(target), "written", "the call ran");
    assert.equal(after[0].state, "settled");
    assert.equal(after[0].answer.decision, "approve");
    assert.equal(after[0].answer.callRan, undefined, "the answer decided the call");
  },
});
