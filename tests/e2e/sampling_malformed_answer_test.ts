/**
 * A client's answer to the server's `sampling/createMessage` that JSON-RPC
 * does not allow, yet a lenient server (pydantic's message union) takes for
 * its result: a `result` beside `"error": null` or `"error": 0`, or an id of
 * `false` or `true` (read as 0 or 1). thoth never forwards it, alone or in a
 * batch: the server never receives the tool the model chose, nothing runs,
 * and a tool chosen under a usable id is still decided and recorded. A raw
 * client against a raw server that reads answers as such servers do.
 */
import assert from "node:assert/strict";
import { RawPeer, tempDir, testEnv, throughThoth } from "./_harness.ts";
import { auditRecords, fixtureArgv, profileWithRules } from "./_governed.ts";

const NO_DELETES = {
  id: "no-deletes",
  match: { tool: "delete_everything" },
  decision: "block",
  reason: "never delete",
};

const RESULT = {
  role: "assistant",
  model: "test-model",
  stopReason: "toolUse",
  content: [{ type: "tool_use", id: "tu-0", name: "delete_everything", input: { path: "/data" } }],
};

const CHANGED = { jsonrpc: "2.0", method: "notifications/roots/list_changed" };

interface Variant {
  name: string;
  /** The id the server's first sampling request has. */
  firstId: number;
  answer: (asked: unknown) => unknown;
  /** Whether the answer's id is one thoth can place (the server is then sent an error). */
  placed: boolean;
  /** What thoth's note and the server's error name (for a placed answer). */
  defect?: RegExp;
  /** Whether the server tells requests from answers as Go's SDK does (`--go-rule`). */
  goRule?: boolean;
}

const BOTH = /it has both result and error/;

const VARIANTS: Variant[] = [
  {
    name: '"error": null',
    firstId: 0,
    answer: (id) => ({ jsonrpc: "2.0", id, result: RESULT, error: null }),
    placed: true,
  },
  {
    name: '"error": 0 in a batch',
    firstId: 0,
    answer: (id) => [CHANGED, { jsonrpc: "2.0", id, result: RESULT, error: 0 }],
    placed: true,
  },
  {
    name: '"id": false',
    firstId: 0,
    answer: () => ({ jsonrpc: "2.0", id: false, result: RESULT }),
    placed: false,
  },
  {
    name: '"id": true in a batch',
    firstId: 1,
    answer: () => [CHANGED, { jsonrpc: "2.0", id: true, result: RESULT }],
    placed: false,
  },
  {
    name: '"method": "" (read as an answer by Go\'s rule)',
    firstId: 0,
    answer: (id) => ({ jsonrpc: "2.0", id, method: "", result: RESULT }),
    placed: true,
    defect: /it has a method \(an empty string\) beside its result/,
    goRule: true,
  },
  {
    name: '"method": "" in a batch (read as an answer by Go\'s rule)',
    firstId: 1,
    answer: (id) => [CHANGED, { jsonrpc: "2.0", id, method: "", result: RESULT }],
    placed: true,
    defect: /it has a method \(an empty string\) beside its result/,
    goRule: true,
  },
];

for (const variant of VARIANTS) {
  Deno.test(`thoth run never lets a sampling answer with ${variant.name} reach the server`, async () => {
    await using dir = await tempDir();
    const home = await profileWithRules(dir.path, [NO_DELETES]);
    const log = `${dir.path}/server.log`;
    const peer = new RawPeer(
      throughThoth(
        fixtureArgv("lenient_sampling_server.ts", [
          "--log",
          log,
          "--first-id",
          String(variant.firstId),
          ...(variant.goRule ? ["--go-rule"] : []),
        ]),
        ["--agent-id", "agent", "--enforcement-mode", "block"],
      ),
      testEnv({ THOTH_HOME: home }),
    );
    let reply: Record<string, unknown>;
    try {
      await peer.send({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: {
          protocolVersion: "2025-11-25",
          capabilities: { sampling: { tools: {} } },
          clientInfo: { name: "raw-e2e", version: "1.0.0" },
        },
      });
      await peer.responseTo(1);
      await peer.send({ jsonrpc: "2.0", method: "notifications/initialized" });
      await peer.send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
      await peer.responseTo(2);
      await peer.send({
        jsonrpc: "2.0",
        id: 3,
        method: "tools/call",
        params: { name: "research", arguments: {} },
      });
      let ask: Record<string, unknown>;
      do ask = await peer.next(); while (ask["method"] !== "sampling/createMessage");
      assert.equal(ask["id"], variant.firstId);
      await peer.send(variant.answer(ask["id"]));
      // Then a well-formed refusal, which ends the server's wait when nothing else did.
      await peer.send({
        jsonrpc: "2.0",
        id: ask["id"],
        error: { code: -1, message: "declined by the test" },
      });
      reply = await peer.responseTo(3);
    } finally {
      await peer.finish();
    }
    const seen = await Deno.readTextFile(log);
    assert.doesNotMatch(seen, /^RAN /m, "no tool ran");
    assert.ok(!seen.includes("tool_use"), `the server never received the tool_use:\n${seen}`);
    assert.match(JSON.stringify(reply), /sampling failed: /);
    const decisions = (await auditRecords(home)).filter((r) => r["type"] === "decision");
    if (variant.placed) {
      const defect = (variant.defect ?? BOTH).source;
      assert.match(
        JSON.stringify(reply),
        new RegExp(
          "thoth refused the client's answer to this request: it is not a response JSON-RPC " +
            `allows: ${defect}`,
        ),
      );
      assert.match(
        peer.stderr,
        new RegExp(
          "refused the client's answer to the server's request \\d+: it is not a response " +
            `JSON-RPC allows: ${defect}; the server was sent an error instead`,
        ),
      );
      // The tool the model chose was decided, and its refusal recorded.
      assert.deepEqual(
        decisions.map((d) => [d["tool"], d["effect"]]),
        [["research", "forwarded"], ["delete_everything", "blocked"]],
      );
    } else {
      assert.match(
        peer.stderr,
        /refused an answer from the client: it is not a response JSON-RPC allows: its id (false|true) is not a string or a number/,
      );
      assert.deepEqual(decisions.map((d) => [d["tool"], d["effect"]]), [["research", "forwarded"]]);
    }
  });
}
