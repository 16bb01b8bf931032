/**
 * Through the real `thoth run` and the fault server (which logs every line
 * it reads, and each element of a batch): an empty batch and the elements
 * of a batch that are not objects are what JSON-RPC calls invalid
 * requests. thoth answers each with a `-32600` error under a `null` id (one
 * lone error for `[]`, as JSON-RPC answers it; those of one batch line in
 * one array line, as JSON-RPC answers a batch), records them as a refused
 * request (once per line), and forwards none of them; the batch's calls are governed as
 * before. It does so in the era that still has batches (2025-03-26) and in
 * the one that dropped them (2025-06-18), where thoth inspects a batch all
 * the same.
 */
import assert from "node:assert/strict";
import {
  faultArgv,
  initializeRequest,
  RawPeer,
  tempDir,
  testEnv,
  throughThoth,
} from "./_harness.ts";
import { auditRecords, profileWithRules } from "./_governed.ts";

const callText = (id: number, name: string) =>
  `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"${name}","arguments":{}}}`;

for (const era of ["2025-03-26", "2025-06-18"]) {
  Deno.test(`an empty batch and a batch's non-object elements never reach the server (${era})`, async () => {
    await using dir = await tempDir();
    const log = `${dir.path}/server.log`;
    const home = await profileWithRules(dir.path, [
      { id: "no-split", match: { tool: "split" }, decision: "block" },
    ]);
    const peer = new RawPeer(
      throughThoth(faultArgv(["--log", log]), ["--enforcement-mode", "block"]),
      testEnv({ THOTH_HOME: home }),
    );
    const answers: Record<string, unknown>[] = [];
    const lines: Record<string, unknown>[][] = [];
    try {
      const hello = initializeRequest(0);
      await peer.send({ ...hello, params: { ...hello.params, protocolVersion: era } });
      await peer.responseTo(0);
      await peer.send({ jsonrpc: "2.0", method: "notifications/initialized" });
      await peer.send({ jsonrpc: "2.0", id: 1, method: "tools/list" });
      await peer.responseTo(1);
      await peer.sendRaw("[]\n");
      const empty = await peer.next();
      assert.ok(!Array.isArray(empty), "one Response object for `[]`");
      assert.deepEqual([empty["id"], (empty["error"] as { code: number }).code], [null, -32600]);
      assert.match(JSON.stringify(empty), /thoth refused an empty batch/);
      await peer.sendRaw(`[${callText(52, "split")},"tools/call",5,${callText(53, "echo")}]\n`);
      // The blocked call, the echo's answer and the two refusals, in whichever order they come;
      // thoth's two refusals come in one array line (a JSON-RPC batch response).
      while (answers.length < 4) {
        const next: unknown = await peer.next(15_000);
        if (Array.isArray(next) && next.some((a) => a["id"] === null)) lines.push(next);
        answers.push(...(Array.isArray(next) ? next : [next]));
      }
    } finally {
      await peer.finish();
    }
    const refusals = answers.filter((a) => a["id"] === null);
    assert.deepEqual(
      refusals.map((a) => (a["error"] as { code: number }).code),
      [-32600, -32600],
      JSON.stringify(answers),
    );
    assert.equal(lines.length, 1, JSON.stringify(answers));
    assert.equal(lines[0]!.filter((a) => a["id"] === null).length, 2, JSON.stringify(lines));
    assert.match(JSON.stringify(answers.find((a) => a["id"] === 52)), /no-split/);
    assert.match(JSON.stringify(answers.find((a) => a["id"] === 53)), /echo/);
    const received = (await Deno.readTextFile(log)).split("\n").filter((l) => l !== "");
    assert.ok(!received.includes("[]"), received.join("\n"));
    assert.ok(!received.some((l) => l === '"tools/call"' || l === "5"), received.join("\n"));
    assert.ok(!received.some((l) => l.includes('"split"')), "the blocked call stayed back");
    assert.ok(received.includes(`[${callText(53, "echo")}]`), received.join("\n"));
    const requests = (await auditRecords(home)).filter((r) => r["type"] === "request");
    assert.deepEqual(
      requests.map((r) => [r["method"], r["effect"], String(r["reasons"])]),
      [
        ["", "refused", "thoth refused an empty batch (not valid JSON-RPC)"],
        [
          "",
          "refused",
          "thoth refused 2 batch elements that are not JSON objects (not valid JSON-RPC)",
        ],
      ],
    );
    assert.ok(
      requests.every((r) => typeof (r["line"] as { digest?: unknown })?.digest === "string"),
    );
  });
}
