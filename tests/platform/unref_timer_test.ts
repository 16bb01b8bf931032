/**
 * unrefTimer: fires after its delay, repeats until cancelled, never holds the
 * process open, and falls back to an unreferenced setTimeout where
 * Atomics.waitAsync is missing. The audit path's steady state (the spool's
 * batch tick and the log's sync tick) uses it instead of the Web timers,
 * whose first use loads Deno's Node compatibility layer into the core.
 */
import assert from "node:assert/strict";
import { unrefTimer } from "../../src/platform/unref_timer.ts";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { DecisionSpool } from "../../src/audit/decision_spool.ts";
import { readLogLines } from "../../src/audit/read_records.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { allowAllEnforcer } from "../../src/enforcer/allow_all_enforcer.ts";
import { SessionAudit } from "../../src/proxy/session_audit.ts";
import type { ToolCall } from "../../src/policy/tool_call.ts";
import { tempDir } from "../e2e/_harness.ts";

const MODULE = new URL("../../src/platform/unref_timer.ts", import.meta.url).href;

/** A real timer that keeps the test's event loop alive while it waits. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

Deno.test("unrefTimer() fires once, no sooner than its delay", async () => {
  const started = performance.now();
  const fired: number[] = [];
  unrefTimer(() => fired.push(performance.now() - started), 20);
  await sleep(120);
  assert.equal(fired.length, 1);
  assert.ok(fired[0]! >= 19, `fired after ${fired[0]} ms`);
});

Deno.test("unrefTimer() with repeat fires until cancelled, and not after", async () => {
  let ticks = 0;
  const cancel = unrefTimer(() => ticks++, 10, { repeat: true });
  await sleep(150);
  cancel();
  const atCancel = ticks;
  assert.ok(atCancel >= 3, `ticked ${atCancel} times in 150 ms`);
  await sleep(60);
  assert.equal(ticks, atCancel, "no tick after cancel");
  cancel();
});

Deno.test("unrefTimer() cancelled before its time never fires", async () => {
  let fired = false;
  const cancel = unrefTimer(() => fired = true, 30);
  cancel();
  await sleep(80);
  assert.equal(fired, false);
});

/** Runs `code` in a child Deno, killed if it still runs after `hangMs` (code null then). */
async function runScript(
  code: string,
  hangMs = 60_000,
): Promise<{ stdout: string; code: number | null }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", "--quiet", code],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let hung = false;
  const timer = setTimeout(() => {
    hung = true;
    child.kill("SIGKILL");
  }, hangMs);
  const output = await child.output();
  clearTimeout(timer);
  return { stdout: new TextDecoder().decode(output.stdout), code: hung ? null : output.code };
}

Deno.test("unrefTimer() does not hold the process open", async () => {
  const run = await runScript(
    `const { unrefTimer } = await import(${JSON.stringify(MODULE)});
     unrefTimer(() => console.log("fired"), 600_000);
     unrefTimer(() => console.log("ticked"), 600_000, { repeat: true });
     console.log("done");`,
  );
  // Not timed (a busy machine stretches a child's start): a process the timers held open would
  // run for 10 minutes and more, and is killed after 60 s, which only guards the hang.
  assert.equal(run.code, 0, "the process was still running 60 s on: a timer held it open");
  assert.equal(run.stdout, "done\n", "the process ended without waiting for either timer");
});

Deno.test("unrefTimer() falls back to an unreferenced setTimeout without Atomics.waitAsync", async () => {
  const run = await runScript(
    `delete Atomics.waitAsync;
     const { unrefTimer } = await import(${JSON.stringify(MODULE)});
     let ticks = 0;
     const cancel = unrefTimer(() => ticks++, 5, { repeat: true });
     unrefTimer(() => console.log("fired"), 10);
     unrefTimer(() => console.log("held open"), 5000);
     await new Promise((resolve) => setTimeout(resolve, 100));
     cancel();
     console.log(ticks >= 3 ? "ticked" : "ticked " + ticks);`,
  );
  assert.equal(run.code, 0);
  // Not timed: a process the 5 s timer held open would print "held open" too.
  assert.equal(run.stdout, "fired\nticked\n");
});

const call: ToolCall = {
  server: "fs",
  tool: "read_file",
  arguments: { path: "/data/x" },
  annotations: undefined,
  listed: true,
  era: "initialize",
  protocolVersion: undefined,
};

Deno.test("the audit path batches and syncs without a Web timer", async () => {
  await using dir = await tempDir();
  const realSetTimeout = globalThis.setTimeout;
  const realSetInterval = globalThis.setInterval;
  const used: string[] = [];
  globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
    used.push("setTimeout");
    return realSetTimeout(...args);
  }) as typeof setTimeout;
  globalThis.setInterval = ((...args: Parameters<typeof setInterval>) => {
    used.push("setInterval");
    return realSetInterval(...args);
  }) as typeof setInterval;
  let audit: SessionAudit | undefined;
  try {
    const log = await openAuditLog({ thothHome: dir.path, syncIntervalMs: 5 });
    audit = new SessionAudit({
      log,
      thothHome: dir.path,
      session: "s-timer",
      server: "fs",
      mode: "block",
      policyHash: "0".repeat(64),
      intent: null,
      safeFields: [],
      note: () => {},
    });
    await audit.start("fs-server", [], []);
    audit.wrapEnforcer(allowAllEnforcer).decide(call, () => "d-1");
    // Waits with the real timer, which the count does not see.
    await new Promise((resolve) => realSetTimeout(resolve, 200));
    assert.deepEqual(
      [...Deno.readDirSync(DecisionSpool.dir(dir.path))],
      [],
      "the batch tick moved the decision into the log and removed its spool file",
    );
    const types = (await readLogLines(auditPaths(dir.path).dir)).map((l) => l.record!["type"]);
    assert.ok(types.includes("decision"), `log holds ${types.join(", ")}`);
    assert.deepEqual(used, [], "no setTimeout or setInterval on the steady path");
  } finally {
    globalThis.setTimeout = realSetTimeout;
    globalThis.setInterval = realSetInterval;
    await audit?.end(0, null);
  }
});
