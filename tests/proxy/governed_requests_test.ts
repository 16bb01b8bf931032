/**
 * Requests other than `tools/call` that read what a server holds: a
 * `resources/read` or `resources/subscribe` whose URI reaches thoth's own
 * files is refused with an error that says thoth protects them (and one
 * stderr line), never forwarded; every `resources/read`, `prompts/get` and
 * `completion/complete` the client sends leaves a `request` record (the
 * URI or prompt, a keyed digest of the params, forwarded or refused), and
 * the log still verifies. Real `thoth run` sessions with server-everything.
 */
import assert from "node:assert/strict";
import {
  deviceHmacHex,
  everythingArgv,
  faultArgv,
  initializeRequest,
  RawPeer,
  tempDir,
  testEnv,
  thothArgv,
  throughThoth,
} from "../e2e/_harness.ts";
import { auditRecords } from "../e2e/_governed.ts";
import { canonicalJson } from "../../src/audit/canonical_json.ts";

const lines = (...messages: unknown[]) => messages.map((m) => JSON.stringify(m) + "\n").join("");

const request = (id: number, method: string, params: unknown) => ({
  jsonrpc: "2.0",
  id,
  method,
  params,
});

/** The answers to the requests `ids`, in whatever order they come. */
async function answersTo(
  peer: RawPeer,
  ids: readonly number[],
): Promise<Map<unknown, Record<string, unknown>>> {
  const answers = new Map<unknown, Record<string, unknown>>();
  while (ids.some((id) => !answers.has(id))) {
    // thoth answers what it refuses of a batch in one array line (a batch response).
    const next: unknown = await peer.next();
    for (const message of (Array.isArray(next) ? next : [next]) as Record<string, unknown>[]) {
      if (!("method" in message) && ids.includes(message["id"] as number)) {
        answers.set(message["id"], message);
      }
    }
  }
  return answers;
}

/** A session through thoth (block mode) with server-everything, in a fresh profile. */
function everythingPeer(home: string): RawPeer {
  return new RawPeer(
    throughThoth(everythingArgv(), ["--agent-id", "everything", "--enforcement-mode", "block"]),
    testEnv({ THOTH_HOME: home }),
  );
}

Deno.test("thoth run refuses a resources/read or resources/subscribe of thoth's own key file, and records it", async () => {
  await using dir = await tempDir();
  const home = `${dir.path}/home`;
  const keyUri = `file://${home}/keys/audit-hmac.key`;
  const peer = everythingPeer(home);
  try {
    await peer.sendRaw(lines(
      initializeRequest(0),
      { jsonrpc: "2.0", method: "notifications/initialized" },
      request(1, "resources/read", { uri: keyUri }),
      request(2, "resources/subscribe", { uri: `file://${home}/state/progressive.json` }),
      // Percent escapes read as the path they spell.
      request(3, "resources/read", { uri: `file://${home}/%6beys/audit-hmac.key` }),
    ));
    const answers = await answersTo(peer, [1, 2, 3]);
    for (const id of [1, 2, 3]) {
      const answer = answers.get(id)!;
      const error = answer["error"] as { code: number; message: string } | undefined;
      assert.ok(error !== undefined, JSON.stringify(answer));
      assert.match(error.message, /thoth's own files, which thoth protects in every mode/);
      assert.match(error.message, /thoth\.own_files/);
      // The wire names no path.
      assert.ok(!error.message.includes(home), error.message);
    }
  } finally {
    await peer.finish();
  }
  for (const [method, id] of [["resources/read", 1], ["resources/subscribe", 2]] as const) {
    const said = peer.stderr.split("\n").filter((line) =>
      line.includes(`refused the client's ${method} request ${id} (rule thoth.own_files)`)
    );
    assert.equal(said.length, 1, peer.stderr);
  }
  const refused = (await auditRecords(home)).filter((r) => r["type"] === "request");
  assert.deepEqual(
    refused.map((r) => [r["method"], r["requestId"], r["effect"], r["ruleIds"]]),
    [
      ["resources/read", 1, "refused", ["thoth.own_files"]],
      ["resources/subscribe", 2, "refused", ["thoth.own_files"]],
      ["resources/read", 3, "refused", ["thoth.own_files"]],
    ],
  );
  assert.equal(refused[0]!["uri"], keyUri);
  assert.equal(refused[0]!["server"], "everything");
});

Deno.test("thoth run records each resources/read, prompts/get and completion/complete the client sends", async () => {
  await using dir = await tempDir();
  const home = `${dir.path}/home`;
  const read = { uri: "demo://resource/static/document/architecture.md" };
  // The server finds no such resource; the request went to it all the same.
  const secret = { uri: "demo://resource/dynamic/text/7?token=s3cr3t#top" };
  const prompt = { name: "args-prompt", arguments: { city: "Paris" } };
  const complete = {
    ref: { type: "ref/prompt", name: "completable-prompt" },
    argument: { name: "department", value: "Eng" },
  };
  const peer = everythingPeer(home);
  try {
    await peer.sendRaw(lines(
      initializeRequest(0),
      { jsonrpc: "2.0", method: "notifications/initialized" },
      request(1, "resources/read", read),
      request(2, "prompts/get", prompt),
      request(3, "completion/complete", complete),
      request(4, "resources/read", secret),
    ));
    const answers = await answersTo(peer, [1, 2, 3, 4]);
    for (const id of [1, 2, 3]) {
      assert.ok("result" in answers.get(id)!, JSON.stringify(answers.get(id)));
    }
    // The server's own answer: it does not know the resource.
    assert.match(
      JSON.stringify(answers.get(4)),
      /Unknown resource: demo:\/\/resource\/dynamic\/text\/7/,
    );
  } finally {
    await peer.finish();
  }
  const records = (await auditRecords(home)).filter((r) => r["type"] === "request");
  assert.deepEqual(
    records.map((r) => [r["method"], r["requestId"], r["effect"], r["uri"], r["prompt"]]),
    [
      [
        "resources/read",
        1,
        "forwarded",
        "demo://resource/static/document/architecture.md",
        undefined,
      ],
      ["prompts/get", 2, "forwarded", undefined, "args-prompt"],
      ["completion/complete", 3, "forwarded", undefined, "completable-prompt"],
      // The URI is kept without its query and fragment; the digest covers them.
      ["resources/read", 4, "forwarded", "demo://resource/dynamic/text/7", undefined],
    ],
  );
  const encoder = new TextEncoder();
  const sent: unknown[] = [read, prompt, complete, secret];
  for (const [index, params] of sent.entries()) {
    const record = records[index]!;
    const kept = record["params"] as { digest: string };
    assert.equal(kept.digest, await deviceHmacHex(home, encoder.encode(canonicalJson(params))));
    // No value in clear.
    assert.ok(!/Paris|Eng"|s3cr3t/.test(JSON.stringify(record)), JSON.stringify(record));
  }
  // The log with its new records still verifies.
  const [command, ...args] = thothArgv(["audit", "verify"]);
  const verified = await new Deno.Command(command!, {
    args,
    env: testEnv({ THOTH_HOME: home }),
    stdin: "null",
  }).output();
  assert.equal(verified.code, 0, new TextDecoder().decode(verified.stdout));
});

Deno.test("thoth run refuses such a resources/read inside a batch, under a key a lenient server reads as uri", async () => {
  await using dir = await tempDir();
  const home = `${dir.path}/home`;
  const log = `${dir.path}/server.log`;
  const peer = new RawPeer(
    throughThoth(faultArgv(["--log", log]), ["--agent-id", "fault", "--enforcement-mode", "block"]),
    testEnv({ THOTH_HOME: home }),
  );
  try {
    await peer.send(initializeRequest(0));
    await peer.responseTo(0);
    await peer.send([
      request(1, "resources/read", {
        uri: "demo://harmless",
        URI: `file://${home}/keys/audit-hmac.key`,
      }),
      { jsonrpc: "2.0", id: 2, method: "ping" },
    ]);
    const answers = await answersTo(peer, [1, 2]);
    assert.match(JSON.stringify(answers.get(1)), /thoth protects in every mode/);
    assert.deepEqual(answers.get(2)!["result"], {});
  } finally {
    await peer.finish();
  }
  const received = await Deno.readTextFile(log);
  assert.ok(received.includes('"ping"'), received);
  assert.ok(!received.includes("resources/read"), received);
});
