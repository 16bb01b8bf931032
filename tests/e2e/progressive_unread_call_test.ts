/**
 * Progressive mode counts a violation as its call is decided. A call still
 * being decided when the client stops reading thoth's output is not sent to
 * the server (no one could read its result): it did not happen, so its count
 * is taken back, and the client's retry after it comes back is judged on the
 * calls that did happen. A call that was forwarded stays counted. The real
 * `thoth run` over server-everything; the client closes its read end of
 * thoth's stdout while the second call waits for the counters' lock, which
 * another process holds. The log says the count was taken back (a
 * cancellation record of the decision with `countTakenBack`).
 */
import assert from "node:assert/strict";
import { holdLock } from "../_hold_lock.ts";
import { everythingArgv, initializeRequest, tempDir, testEnv, thothArgv } from "./_harness.ts";
import { auditRecords } from "./_governed.ts";

const POLICY = JSON.stringify({
  version: 1,
  default: "allow",
  rules: [{ id: "no-sum", match: { tool: "get-sum" }, decision: "block", reason: "no sums" }],
  progressive: { window: "1h", stepUpAfter: 3, blockAfter: 5 },
});

const sum = (id: number) => ({
  jsonrpc: "2.0",
  id,
  method: "tools/call",
  params: { name: "get-sum", arguments: { a: 1, b: id } },
});

/** `thoth run` in progressive mode, with its stdout readable until `stopReading`. */
function progressiveSession(home: string) {
  const [command, ...args] = thothArgv([
    "run",
    "--agent-id",
    "everything",
    "--enforcement-mode",
    "progressive",
    "--",
    ...everythingArgv(),
  ]);
  const child = new Deno.Command(command!, {
    args,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: testEnv({ THOTH_HOME: home }),
  }).spawn();
  const writer = child.stdin.getWriter();
  const reader = child.stdout.getReader();
  let stderr = "";
  const stderrDone = (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of child.stderr) stderr += decoder.decode(chunk, { stream: true });
  })();
  let buffered = "";
  const decoder = new TextDecoder();
  return {
    child,
    stderr: () => stderr,
    send: (message: unknown) =>
      writer.write(new TextEncoder().encode(JSON.stringify(message) + "\n")),
    /** The answer to `id`, skipping other messages. */
    async answerTo(id: number): Promise<Record<string, unknown>> {
      for (;;) {
        while (!buffered.includes("\n")) {
          const read = await reader.read();
          if (read.done) throw new Error(`thoth's output ended; stderr:\n${stderr}`);
          buffered += decoder.decode(read.value, { stream: true });
        }
        const newline = buffered.indexOf("\n");
        const message = JSON.parse(buffered.slice(0, newline));
        buffered = buffered.slice(newline + 1);
        if (message["id"] === id && !("method" in message)) return message;
      }
    },
    /** Waits (at most 20 s) for stderr to match `pattern`. */
    async stderrMatching(pattern: RegExp): Promise<void> {
      for (let waited = 0; !pattern.test(stderr); waited += 20) {
        assert.ok(waited < 20_000, `no ${pattern} on stderr:\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    /** The client closes its read end of thoth's stdout: thoth's next write to it fails. */
    stopReading: () => reader.cancel(),
    /** Closes thoth's input and waits for its exit (killed after 30 s). */
    async finish(): Promise<Deno.CommandStatus> {
      await writer.close().catch(() => {});
      const timer = setTimeout(() => {
        try {
          child.kill("SIGKILL");
        } catch { /* gone */ }
      }, 30_000);
      const status = await child.status;
      clearTimeout(timer);
      await reader.cancel().catch(() => {});
      await stderrDone.catch(() => {});
      return status;
    },
  };
}

/** Every violation time the counters hold, over all keys. */
async function countedTimes(home: string): Promise<number[]> {
  const state = JSON.parse(await Deno.readTextFile(`${home}/state/progressive.json`));
  return Object.values(state.entries as Record<string, number[]>).flat();
}

Deno.test("progressive mode takes back the count of a call the client's broken output kept from running", async () => {
  await using dir = await tempDir();
  const home = `${dir.path}/home`;
  await Deno.mkdir(`${home}/state`, { recursive: true, mode: 0o700 });
  await Deno.writeTextFile(`${home}/policy.jsonc`, POLICY);
  const s = progressiveSession(home);
  let holder: Awaited<ReturnType<typeof holdLock>> | undefined;
  try {
    await s.send(initializeRequest(1));
    await s.answerTo(1);
    await s.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    await s.send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
    await s.answerTo(2);
    // The first violation is forwarded (the warn rung), runs and is answered: it counts.
    await s.send(sum(3));
    const first = await s.answerTo(3);
    assert.equal((first["result"] as Record<string, unknown>)["isError"], undefined);
    assert.equal((await countedTimes(home)).length, 1);

    // The second waits for the counters' lock, held by another process, while the client
    // stops reading: the server's answer to a ping is the write that fails.
    holder = await holdLock(`${home}/state/progressive.lock`);
    await s.send(sum(4));
    await s.stderrMatching(/waiting for the progressive counters' lock/);
    await s.stopReading();
    await s.send({ jsonrpc: "2.0", id: 5, method: "ping" });
    await s.stderrMatching(/cannot write to the client/);
    await holder.release();
    holder = undefined;
    const status = await s.finish();
    assert.equal(status.code, 0, s.stderr());
  } finally {
    await holder?.release();
    await s.finish();
  }
  assert.match(
    s.stderr(),
    /did not send tools\/call 4 \(tool "get-sum"\) to the MCP server: the client stopped reading/,
  );
  // The call that ran is still counted; the one that did not, no longer.
  assert.equal((await countedTimes(home)).length, 1, s.stderr());
  const records = await auditRecords(home);
  const decisions = records.filter((r) => r.type === "decision");
  assert.deepEqual(decisions.map((d) => d.effect), ["forwarded", "forwarded"]);
  const cancelled = records.filter((r) => r.type === "cancellation");
  // The call's cancellation, then what became of its count: the decision record still
  // reads "forwarded" with its violation number; this one says that count was taken back.
  assert.deepEqual(cancelled.map((c) => c.decisionId), [
    decisions[1]!.decisionId,
    decisions[1]!.decisionId,
  ]);
  assert.equal(cancelled[0]!.countTakenBack, undefined);
  assert.equal(cancelled[1]!.countTakenBack, true, JSON.stringify(cancelled[1]));
  assert.deepEqual(cancelled[1]!.takenBackRuleIds, ["no-sum"]);
  assert.match(String(cancelled[1]!.reason), /took back its count of rule "no-sum"/);
  const end = records.findIndex((r) => r.type === "session_end");
  assert.ok(records.indexOf(cancelled[1]!) < end, "recorded before the session's end");
  // The table says it, and verify reads the record as any other.
  const show = await thothOutput(home, [
    "audit",
    "show",
    "--decision-id",
    String(decisions[1]!.decisionId),
  ]);
  assert.match(show.text, /count taken back: rule no-sum/);
  const verified = await thothOutput(home, ["audit", "verify", "--json"]);
  assert.equal(verified.code, 0, verified.text);
  const findings = (JSON.parse(verified.text) as { findings: { severity: string }[] }).findings;
  assert.deepEqual(findings.filter((f) => f.severity !== "info"), [], verified.text);
});

/** `thoth <args>` on the profile: its exit code and stdout. */
async function thothOutput(home: string, argv: string[]): Promise<{ code: number; text: string }> {
  const [command, ...args] = thothArgv(argv);
  const output = await new Deno.Command(command!, {
    args,
    env: testEnv({ THOTH_HOME: home }),
    stdin: "null",
  }).output();
  return { code: output.code, text: new TextDecoder().decode(output.stdout) };
}
