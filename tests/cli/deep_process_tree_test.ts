/**
 * `thoth approvals list` started under a chain of shells deeper than the
 * parents it reads (`MAX_ANCESTORS`) refuses: a model whose shell tool runs
 * in a governed server could otherwise nest enough shells, remove
 * THOTH_GOVERNED_BY, and answer its own approval request from below them.
 * The real CLI at the bottom of a real chain of `sh` processes, under a
 * temp THOTH_HOME; Linux and macOS only.
 */
import assert from "node:assert/strict";
import { MAX_ANCESTORS } from "../../src/approval/governed_caller.ts";
import { shellQuote } from "../../src/doctor/shell_quote.ts";
import { tempDir, thothArgv } from "../e2e/_harness.ts";

/** One shell per level: `N` more of itself, then the command in its arguments. */
const NEST = `if [ "$N" -gt 0 ]; then N=$((N-1)) sh "$0" "$@"; exit $?; fi\nexec "$@"\n`;

/**
 * `thoth approvals list` under `depth` nested shells, whose top one is
 * started with THOTH_GOVERNED_BY set (as `thoth run` starts a server) when
 * `governed`, and removes it for the rest.
 */
async function listUnder(depth: number, governed: boolean) {
  await using dir = await tempDir();
  const nest = `${dir.path}/nest.sh`;
  await Deno.writeTextFile(nest, NEST);
  const env: Record<string, string> = {
    ...Deno.env.toObject(),
    HOME: dir.path,
    THOTH_HOME: `${dir.path}/profile`,
  };
  delete env["THOTH_GOVERNED_BY"];
  if (governed) env["THOTH_GOVERNED_BY"] = "1";
  // `; exit $?` keeps the top shell from replacing itself: it stays in the chain.
  const line = ["env", "-u", "THOTH_GOVERNED_BY", `N=${depth}`, "sh", nest]
    .concat(thothArgv(["approvals", "list"])).map(shellQuote).join(" ");
  const out = await new Deno.Command("sh", {
    args: ["-c", `${line}; exit $?`],
    clearEnv: true,
    env,
    stdin: "null",
  }).output();
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: out.code, out: text(out.stdout), err: text(out.stderr) };
}

const UNIX = Deno.build.os !== "windows";

Deno.test({
  name: "thoth approvals list refuses under a governed chain of shells deeper than it reads",
  ignore: !UNIX,
  fn: async () => {
    // A few shells down, the governed top one is among the parents read.
    const near = await listUnder(3, true);
    assert.equal(near.code, 1, near.out + near.err);
    assert.match(near.err, /was started with THOTH_GOVERNED_BY set/, near.err);
    // Past MAX_ANCESTORS shells it is not: the chain is not read to its top, and thoth refuses.
    const deep = await listUnder(MAX_ANCESTORS + 6, true);
    assert.equal(deep.code, 1, deep.out + deep.err);
    assert.doesNotMatch(deep.out, /no approval requests/);
    assert.match(
      deep.err,
      /^thoth: error: thoth approvals list refuses to run: it cannot tell whether it runs inside an MCP server that thoth governs \(it read 64 parent processes up its process tree without reaching the top\)/m,
      deep.err,
    );
    assert.match(deep.err, /^thoth: hint: run "thoth approvals list" in a terminal of your own/m);
  },
});

Deno.test({
  name: "thoth approvals list runs under a chain of shells it reads to the top",
  ignore: !UNIX,
  fn: async () => {
    const shallow = await listUnder(20, false);
    assert.equal(shallow.code, 0, shallow.out + shallow.err);
    assert.match(shallow.out, /no approval requests are waiting/);
  },
});
