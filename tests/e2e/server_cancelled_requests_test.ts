/**
 * The server's requests to the client that the server itself cancels stop
 * counting toward the 1,024 that may wait for the client's answer: an SDK
 * server that withdrew 1,024 sampling requests (the SDK sends
 * `notifications/cancelled`, and the SDK client then answers none of them)
 * still gets its next one through `thoth run`, and the tool its model
 * chose is decided there. The official SDK client.
 */
import assert from "node:assert/strict";
import { tempDir } from "./_harness.ts";
import { profileWithRules } from "./_governed.ts";
import { research } from "./_cancelling_sampler.ts";

const NO_DELETES = { id: "no-deletes", match: { tool: "delete_everything" }, decision: "block" };

Deno.test("thoth run relays a server's sampling request after 1024 it cancelled itself, and decides the tool its model chose", async () => {
  await using dir = await tempDir();
  const home = await profileWithRules(dir.path, [NO_DELETES]);
  const log = `${dir.path}/server.log`;
  const allowed = await research(home, log, { cancel: 1024 }, "tidy");
  assert.equal(allowed.text, "research done; ran 1 tool(s)", allowed.stderr);
  assert.match(allowed.log, /^RAN tidy$/m);
  assert.doesNotMatch(allowed.stderr, /refused the server's/);
  // The one it kept is still decided: a blocked tool never runs.
  const blockedLog = `${dir.path}/blocked.log`;
  const blocked = await research(home, blockedLog, { cancel: 1024 }, "delete_everything");
  assert.match(
    blocked.text,
    /sampling failed: .*thoth refused the client's answer/,
    blocked.stderr,
  );
  assert.doesNotMatch(blocked.log, /RAN delete_everything/);
});
