/**
 * `thoth policy explain` and a real `thoth run` (over the fault server) give
 * the same verdict on the same call: the same arguments text, read the same
 * way (long integers keep their digits; what the relay refuses to forward,
 * explain refuses too).
 */
import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { fakeCliIo } from "./_fake_cli_io.ts";
import { runProgram } from "../../src/cli/program.ts";
import { policyCommand } from "../../src/cli/policy.ts";
import {
  faultArgv,
  initializeRequest,
  RawPeer,
  tempDir,
  testEnv,
  throughThoth,
} from "../e2e/_harness.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { readLogLines } from "../../src/audit/read_records.ts";

/** Arguments texts, written into the client's line as they are. */
const SHAPES = [
  '{"message_id": 1790123456789012345}',
  '{"outer": {"list": [1, {"deep": 12345678901234567890123}], "note": "x"}, "n": 6.2e18}',
  '{"名前": "テスト", "ключ": 9007199254740993, "e\\u0301": "é"}',
  '{"zero": -0, "also": -0.0, "card": 6212345678901234569}',
  '{"plain": "hello", "count": 3}',
];
/** Texts the relay refuses to forward (and so never decides). */
const REFUSED = ['{"huge": 1e400}', '{"a": 1, "a": 2}'];

async function explain(home: string, args: string) {
  const io = fakeCliIo(home, {});
  // The folder thoth run starts in (this process's), not the profile: a relative path (a key)
  // resolved in the profile would reach thoth's own files.
  Object.assign(io, { cwd: Deno.cwd() });
  const program = new Command("thoth").addCommand(policyCommand(io));
  const code = await runProgram("thoth", program, [
    "policy",
    "explain",
    "--server",
    "fault",
    "--tool",
    "echo",
    "--annotations",
    '{"readOnlyHint":true}',
    "--args",
    args,
    "--json",
  ], io);
  return { code, out: io.stdout, err: io.stderr };
}

Deno.test("policy explain and thoth run give the same verdict on the same arguments", async () => {
  await using dir = await tempDir();
  const home = `${dir.path}/home`;
  const texts = [...SHAPES, ...REFUSED];
  const peer = new RawPeer(
    throughThoth(faultArgv(), ["--agent-id", "fault", "--shutdown-grace-ms", "400"]),
    testEnv({ THOTH_HOME: home }),
  );
  const replies: Record<string, unknown>[] = [];
  try {
    await peer.send(initializeRequest(1));
    await peer.responseTo(1);
    await peer.send({ jsonrpc: "2.0", id: 2, method: "tools/list", params: {} });
    await peer.responseTo(2);
    for (const [i, text] of texts.entries()) {
      const id = 10 + i;
      await peer.sendRaw(
        `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"echo","arguments":${text}}}\n`,
      );
      replies.push(await peer.responseTo(id, 30_000));
    }
  } finally {
    await peer.finish();
  }
  const records = (await readLogLines(auditPaths(home).dir)).map((l) => l.record!);
  const decisions = records.filter((r) => r["type"] === "decision");
  assert.equal(decisions.length, SHAPES.length, "one decision per call the relay read");
  for (const [i, text] of SHAPES.entries()) {
    const run = decisions[i]!;
    const explained = await explain(home, text);
    assert.equal(explained.code, 0, explained.err);
    const json = JSON.parse(explained.out);
    assert.deepEqual(
      { verdict: json.verdict, ruleIds: json.ruleIds },
      { verdict: run["verdict"], ruleIds: run["ruleIds"] },
      text,
    );
    assert.ok("result" in replies[i]!, `${text}: observe mode forwards it`);
  }
  for (const [j, text] of REFUSED.entries()) {
    const reply = replies[SHAPES.length + j]!;
    assert.ok("error" in reply, `${text}: thoth run refuses it: ${JSON.stringify(reply)}`);
    const explained = await explain(home, text);
    assert.equal(explained.code, 2, `${text}: ${explained.out}`);
    assert.match(explained.err, /--args: holds .*thoth run refuses a line with it/);
  }
});

Deno.test("policy explain keeps a long integer's digits, as thoth run does (no scan_capped step-up)", async () => {
  await using dir = await tempDir();
  const explained = await explain(dir.path, '{"message_id": 1790123456789012345}');
  assert.equal(explained.code, 0, explained.err);
  const json = JSON.parse(explained.out);
  assert.equal(json.verdict, "allow", explained.out);
  assert.ok(!json.ruleIds.includes("detector.scan_capped"), explained.out);
});
