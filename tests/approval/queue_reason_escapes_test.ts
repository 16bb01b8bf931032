/**
 * What `thoth approvals list` shows of a request a real step-up queued: the
 * rule's reason with every character a screen would hide or act on (a bell,
 * a line separator, an emoji's variation selector or joiner) written as a
 * `\uXXXX` escape and each `\` as `\\` (so no escape can be faked), never
 * as `?`, in the text and in `--json` alike; the argument shape with its key
 * names, never a value. Real processes: `thoth run` around
 * server-everything, the SDK client, and the real `thoth approvals` CLI.
 */
import assert from "node:assert/strict";
import { everythingArgv } from "../e2e/_harness.ts";
import type { Json } from "./_governed_peer.ts";
import { queueSession } from "./_real_server_queue.ts";

/** Written as a policy author might: an emoji, a stray control character, a Windows path. */
const REASON =
  "echo\u0007 needs a person\u2028now \u26a0\ufe0f \u{1f469}\u200d\u{1f4bb} in C:\\data";
/** The same, as the queue shows it. */
const SHOWN = 'rule "ask-echo": echo\\u0007 needs a person\\u2028now \u26a0\\ufe0f ' +
  "\u{1f469}\\u200d\u{1f4bb} in C:\\\\data";

Deno.test("thoth approvals list: a rule's reason shows escapes, not '?', and the argument shape its key names and no value", async () => {
  const policy = {
    version: 1,
    default: "allow",
    rules: [{ id: "ask-echo", match: { tool: "echo" }, decision: "step_up", reason: REASON }],
  };
  const session = await queueSession(policy, () => everythingArgv(), "everything");
  let text: string;
  let json: Json;
  let file: Json;
  try {
    const call = session.call("echo", { message: "a secret value", count: 3 });
    const id = await session.queuedId();
    text = (await session.approvals(["list"])).stdout;
    json = JSON.parse((await session.approvals(["list", "--json"])).stdout);
    file = JSON.parse(await Deno.readTextFile(`${session.home}/approvals/${id}.request.json`));
    const denied = await session.approvals(["deny", id]);
    assert.equal(denied.code, 0, denied.stderr);
    const { result } = await call;
    assert.equal(result?.isError, true, JSON.stringify(result));
  } finally {
    await session.close();
  }
  assert.ok(text.includes(`asked by ${SHOWN}; decision d-`), text);
  assert.doesNotMatch(text, /\?/, "nothing shows as '?'");
  assert.deepEqual(json[0].reasons, [SHOWN], "--json says what the list shows");
  assert.deepEqual(file.reasons, [SHOWN], "the queue keeps it so");
  assert.match(text, /^ {10}message: string \(14 chars\)$/m);
  assert.match(text, /^ {10}count: integer$/m);
  assert.doesNotMatch(JSON.stringify(file), /a secret value/, "no value is stored");
});
