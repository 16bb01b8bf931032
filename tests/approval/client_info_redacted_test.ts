/**
 * The client names itself in `initialize` (`clientInfo`), and the client may
 * be anything: a name or version the secret, PII or PHI detectors flag (an
 * AWS key id, an SSN) is not kept in clear in the audit log. The handshake
 * record keeps it as its keyed digest and length (`#k:1a2b3c4d(20)`), as it
 * keeps an unlisted tool name, and an approval's record names the approver
 * with the name's length alone (`ana via #k:(20)`). An ordinary name stays
 * as it is. The real `thoth run` around the fault server.
 */
import assert from "node:assert/strict";
import { auditPaths } from "../../src/audit/log_paths.ts";
import {
  ASK_BEFORE_DELETE,
  auditRecords,
  blockFlags,
  GovernedPeer,
  toolCall,
} from "./_governed_peer.ts";

const KEY_ID = "AKIAQ3EGRBPSXLYH7TNU";
const SSN = "123-45-6789";

/** The whole audit log of `home`, as its files hold it. */
async function logText(home: string): Promise<string> {
  let text = "";
  for await (const entry of Deno.readDir(auditPaths(home).dir)) {
    if (entry.isFile) text += await Deno.readTextFile(`${auditPaths(home).dir}/${entry.name}`);
  }
  return text;
}

Deno.test("a flagged clientInfo name and version are kept as digests, in the handshake and the approver", async () => {
  const peer = await GovernedPeer.start(ASK_BEFORE_DELETE, {
    flags: blockFlags(30),
    capabilities: { elicitation: {} },
    clientName: KEY_ID,
    clientVersion: SSN,
  });
  try {
    await peer.send(toolCall(1, "delete_everything", { path: "/srv/old" }));
    const form = await peer.wait((m) => m.method === "elicitation/create");
    await peer.send({
      jsonrpc: "2.0",
      id: form.id,
      result: { action: "accept", content: { decision: "approve" } },
    });
    await peer.wait((m) => m.id === 1);
  } finally {
    await peer.finish();
  }
  const [handshake] = await auditRecords(peer.home, "handshake");
  assert.match(String(handshake?.clientName), /^#k:[0-9a-f]{8}\(20\)$/, JSON.stringify(handshake));
  assert.match(String(handshake?.clientVersion), /^#k:[0-9a-f]{8}\(11\)$/);
  const [approval] = await auditRecords(peer.home, "approval");
  assert.match(String(approval?.approver), / via #k:\(20\)$/, JSON.stringify(approval));
  const text = await logText(peer.home);
  assert.ok(!text.includes(KEY_ID), "the key id is in the log");
  assert.ok(!text.includes(SSN), "the SSN is in the log");
});

Deno.test("an ordinary clientInfo name and version are kept as they are", async () => {
  const peer = await GovernedPeer.start(ASK_BEFORE_DELETE, {
    flags: blockFlags(30),
    capabilities: { elicitation: {} },
    clientName: "Claude Desktop",
    clientVersion: "0.14.2",
  });
  await peer.finish();
  const [handshake] = await auditRecords(peer.home, "handshake");
  assert.equal(handshake?.clientName, "Claude Desktop");
  assert.equal(handshake?.clientVersion, "0.14.2");
});
