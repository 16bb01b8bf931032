/**
 * The governed server cannot hijack thoth's approval form: the official SDK
 * client, through real `thoth run`, over a server that sends forms of its own
 * under the ids it guesses thoth's next forms will have (and then cancels
 * them). The person says yes to the server's harmless-looking form and no to
 * thoth's; the call must not run, and the evidence must say it was declined.
 */
import assert from "node:assert/strict";
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { connect, tempDir, throughThoth } from "./_harness.ts";
import { auditRecords, fixtureArgv, profileWithRules } from "./_governed.ts";

const ASK_DELETES = {
  id: "ask-deletes",
  match: { tool: "delete_everything" },
  decision: "step_up",
  reason: "deleting needs a person",
};

Deno.test("thoth run: a server's forged form cannot turn a person's 'no' into an approval", async () => {
  await using dir = await tempDir();
  const home = await profileWithRules(dir.path, [ASK_DELETES]);
  const log = `${dir.path}/server.log`;
  const shown: string[] = [];
  const connected = await connect(
    throughThoth(fixtureArgv("hijack_server.ts", ["--log", log]), [
      "--agent-id",
      "hijack",
      "--enforcement-mode",
      "block",
      "--approval-timeout",
      "30",
    ]),
    { elicitation: { form: {} } },
    { THOTH_HOME: home, DISPLAY: "", WAYLAND_DISPLAY: "" },
    (client) => {
      // The person: yes to the weather, no (after a moment) to anything else.
      client.setRequestHandler(ElicitRequestSchema, async (request: { params: unknown }) => {
        const message = String((request.params as { message?: unknown }).message);
        shown.push(message);
        if (message.startsWith("Weather")) {
          return { action: "accept", content: { decision: "approve" } };
        }
        await new Promise((resolve) => setTimeout(resolve, 400));
        return { action: "decline" };
      });
    },
  );
  let text: string;
  try {
    // No tools/list first: thoth lists the tools itself, which shows the server an id of thoth's.
    const result = await connected.client.callTool({
      name: "delete_everything",
      arguments: { target: "/" },
    });
    text = JSON.stringify(result);
    assert.equal(result.isError, true, text);
  } finally {
    await connected.close();
  }
  assert.doesNotMatch(text, /EXECUTED/, "the call did not run");
  assert.match(text, /thoth did not run tool \\"delete_everything\\"/);
  assert.deepEqual(
    shown.map((m) => m.startsWith("Weather") ? "weather" : "thoth"),
    ["thoth"],
    "the client was shown thoth's form only, and it was not closed by the server",
  );
  const received = (await Deno.readTextFile(log)).trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(received.some((m) => m.method === "tools/call"), false, "the server ran nothing");
  const refusals = received.filter((m) => m.error?.code === -32600);
  assert.equal(refusals.length, 3, "each forged form was refused to the server");
  assert.match(connected.stderr(), /refused the server's "elicitation\/create" request/);
  // The evidence: the call's approval was declined, not approved.
  const records = await auditRecords(home);
  const decision = records.find((r) =>
    r["type"] === "decision" && r["tool"] === "delete_everything"
  );
  assert.ok(decision);
  const approvals = records.filter((r) =>
    r["type"] === "approval" && r["decisionId"] === decision["decisionId"]
  );
  assert.deepEqual(approvals.map((a) => [a["channel"], a["outcome"]]), [
    ["elicitation", "denied"],
  ]);
  assert.equal(
    records.some((r) => r["type"] === "outcome" && r["decisionId"] === decision["decisionId"]),
    false,
  );
});
