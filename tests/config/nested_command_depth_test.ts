/**
 * A command line nested deeper than the reader follows (`sh -c "eval eval …
 * npx"`, `cmd /c "start start … npx"`) is not understood, promptly: the
 * reader gives up instead of re-reading the line once per level or running
 * out of stack, and status still reads every other server of the config.
 */
import assert from "node:assert/strict";
import { readThothInvocation } from "../../src/config/thoth_invocation.ts";
import { planStatus } from "../../src/config/plan_status.ts";
import { inTempDir, THOTH, thoth } from "../cli/_config_cli.ts";
import { threadCpu, threadCpuAsync } from "../_thread_cpu.ts";

const SELF = [THOTH];
const isFile = (path: string) => path === THOTH;
/** Far above what these take when they work; the old reader took minutes or crashed. */
const GENEROUS_MS = 5_000;

const chain = (word: string, n: number, last: string) => `${`${word} `.repeat(n)}${last}`;

const TOO_DEEP: [string, string, string[]][] = [
  ["10,000 evals", "sh", ["-c", chain("eval", 10_000, "npx -y pkg")]],
  ["10,000 evals before thoth", "sh", ["-c", chain("eval", 10_000, "thoth run -- npx")]],
  ["20,000 starts", "cmd", ["/c", chain("start", 20_000, "npx -y pkg")]],
  ["20,000 starts as items", "cmd", ["/c", ...Array(20_000).fill("start"), "npx"]],
  ["3,000 env -S", "env", ["-S", chain("env -S", 3_000, "npx -y pkg")]],
  ["5,000 sh -c", "bash", ["-c", chain("exec sh -c", 5_000, "npx")]],
  ["10,000 nested sudos", "sudo", [...Array(10_000).fill("sudo"), "npx"]],
];

Deno.test("a command line nested too deeply is not understood, and promptly", () => {
  for (const [what, command, args] of TOO_DEEP) {
    // The CPU this thread spends, not the wall clock (which a busy machine stretches).
    const { value: found, cpuMs } = threadCpu(() => readThothInvocation(command, args, SELF));
    assert.equal(found?.kind, "not_understood", what);
    assert.match(
      found?.kind === "not_understood" ? found.reason : "",
      new RegExp(`^its command line through "${command}" is too deeply nested to read`),
      what,
    );
    assert.ok(cpuMs < GENEROUS_MS, `${what}: ${cpuMs.toFixed(0)} ms of CPU`);
  }
});

Deno.test("a chain of launchers the reader follows is still read to its end", () => {
  // 40 levels: well within what the reader follows, with thoth at the end or not.
  assert.equal(
    readThothInvocation("sh", ["-c", chain("eval", 40, "thoth run -- npx")], SELF)?.kind,
    "not_understood",
  );
  assert.equal(readThothInvocation("sh", ["-c", chain("eval", 40, "npx -y pkg")], SELF), undefined);
  assert.equal(readThothInvocation("cmd", ["/c", chain("start", 40, "npx")], SELF), undefined);
  assert.equal(
    readThothInvocation("cmd", ["/c", chain("start", 40, "thoth run -- npx")], SELF)?.kind,
    "not_understood",
  );
});

const config = (evals: number) =>
  JSON.stringify({
    mcpServers: {
      governed: { command: THOTH, args: ["run", "--agent-id", "governed", "--", "npx", "a"] },
      nested: { command: "sh", args: ["-c", chain("eval", evals, "npx -y pkg")] },
      plain: { command: "npx", args: ["-y", "pkg"] },
    },
  });

Deno.test("planStatus() lists every server beside one nested too deeply", () => {
  const report = planStatus(config(10_000), { isFile, thothCommand: SELF });
  assert.deepEqual(
    report.servers.map((row) => [row.name, row.state]),
    [["governed", "governed"], ["nested", "not_understood"], ["plain", "ungoverned"]],
  );
});

Deno.test("thoth status --config reads every server beside one nested too deeply", async () => {
  await inTempDir(async (dir) => {
    const path = `${dir}/config.json`;
    await Deno.writeTextFile(path, config(9_000));
    // In this process: the CPU this thread spends, not the wall clock (which a busy machine
    // stretches); the config file's read runs on another thread.
    const { value: run, cpuMs } = await threadCpuAsync(() =>
      thoth(["status", "--config", path], { cwd: dir })
    );
    assert.doesNotMatch(run.err, /internal error/);
    assert.match(run.out, /^governed +✓ /m, run.out + run.err);
    assert.match(run.out, /^nested +\? /m, run.out + run.err);
    assert.match(run.out, /^plain +✗ /m, run.out + run.err);
    assert.ok(cpuMs < GENEROUS_MS, `status took ${cpuMs.toFixed(0)} ms of CPU`);
  });
});
