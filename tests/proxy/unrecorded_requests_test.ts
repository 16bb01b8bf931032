/**
 * No evidence, no request: with the audit log unwritable (its folder is a
 * file), a `resources/read`, `resources/subscribe`, `prompts/get` or
 * `completion/complete` is refused as a `tools/call` is, with an error to
 * the client's id that names the problem and what to do (not the rule's
 * internal code, which the stderr line names), and one stderr line; it never
 * reaches the server. Observe mode forwards them, as it does calls. Real
 * `thoth run` sessions with server-everything (and the fault server, whose
 * log shows what reached it).
 */
import assert from "node:assert/strict";
import {
  everythingArgv,
  faultArgv,
  initializeRequest,
  RawPeer,
  tempDir,
  testEnv,
  throughThoth,
} from "../e2e/_harness.ts";

type Message = Record<string, unknown>;

const lines = (...messages: unknown[]) => messages.map((m) => JSON.stringify(m) + "\n").join("");

const request = (id: number, method: string, params: unknown) => ({
  jsonrpc: "2.0",
  id,
  method,
  params,
});

/** The governed requests, under ids 1 to 4. */
const GOVERNED: [number, string, unknown][] = [
  [1, "resources/read", { uri: "demo://resource/static/document/architecture.md" }],
  [2, "resources/subscribe", { uri: "demo://resource/static/document/architecture.md" }],
  [3, "prompts/get", { name: "args-prompt", arguments: { city: "Paris" } }],
  [4, "completion/complete", {
    ref: { type: "ref/prompt", name: "completable-prompt" },
    argument: { name: "department", value: "Eng" },
  }],
];

/** A profile whose audit folder is a file: no record can be written. */
async function unwritableHome(dir: string): Promise<string> {
  const home = `${dir}/home`;
  await Deno.mkdir(home, { recursive: true });
  await Deno.writeTextFile(`${home}/audit`, "not a folder");
  return home;
}

/**
 * Sends the governed requests, a tools/call (id 5) and a ping (id 6) after
 * the handshake; every message up to the ping's answer (the server answers
 * in order, so an answer of its own to a request it got comes before).
 */
async function exchange(peer: RawPeer): Promise<Message[]> {
  await peer.sendRaw(lines(
    initializeRequest(0),
    { jsonrpc: "2.0", method: "notifications/initialized" },
    ...GOVERNED.map(([id, method, params]) => request(id, method, params)),
    request(5, "tools/call", { name: "echo", arguments: { message: "hi" } }),
  ));
  const seen: Message[] = [];
  // The ping goes once the call is answered: a call is answered after its decision.
  let pinged = false;
  for (;;) {
    const message = await peer.next();
    seen.push(message);
    if (message["id"] === 5 && !pinged) {
      pinged = true;
      await peer.send({ jsonrpc: "2.0", id: 6, method: "ping" });
    }
    if (message["id"] === 6 && !("method" in message)) return seen;
  }
}

function answersTo(seen: readonly Message[], id: number): Message[] {
  return seen.filter((m) => m["id"] === id && !("method" in m));
}

/**
 * Runs exchange() through a `thoth run` in `mode` whose audit log cannot be
 * written: what the client saw, the profile, and thoth's stderr.
 */
async function unrecorded(
  mode: "block" | "observe",
): Promise<{ seen: Message[]; home: string; stderr: string }> {
  await using dir = await tempDir();
  const home = await unwritableHome(dir.path);
  const peer = new RawPeer(
    throughThoth(everythingArgv(), ["--agent-id", "everything", "--enforcement-mode", mode]),
    testEnv({ THOTH_HOME: home }),
  );
  let seen: Message[];
  try {
    seen = await exchange(peer);
  } finally {
    await peer.finish();
  }
  return { seen, home, stderr: peer.stderr };
}

/** The one answer to the governed request `id` (`method`), asserted to be one. */
function onlyAnswer(seen: readonly Message[], id: number, method: string): Message {
  const answers = answersTo(seen, id);
  assert.equal(answers.length, 1, `one answer to ${method}: ${JSON.stringify(answers)}`);
  return answers[0]!;
}

Deno.test("thoth run refuses resources/read, resources/subscribe, prompts/get and completion/complete it cannot record, and never forwards them", async () => {
  const { seen, home, stderr } = await unrecorded("block");
  for (const [id, method] of GOVERNED) {
    const answer = onlyAnswer(seen, id, method);
    const error = answer["error"] as { code: number; message: string } | undefined;
    assert.ok(error !== undefined, `${method} was refused: ${JSON.stringify(answer)}`);
    assert.equal(error.code, -32000);
    assert.equal(
      error.message,
      `thoth refused this ${method}: thoth cannot record it in its audit log on this machine ` +
        "(the log or its spool cannot be written), and thoth forwards no request it cannot " +
        "record. This is not a server failure: do not retry it now; tell the user that " +
        "thoth's audit log on this machine needs attention.",
    );
    assert.ok(!error.message.includes(home), "the wire names no path");
    // The rule's code is for the person, on stderr (below), not in what the model may read.
    assert.doesNotMatch(error.message, /audit\.unwritable/);
    const said = stderr.split("\n").filter((line) =>
      line.includes(`refused the client's ${method} request ${id} (rule audit.unwritable)`)
    );
    assert.equal(said.length, 1, stderr);
    assert.match(said[0]!, /it was not forwarded \(run "thoth doctor"/);
  }
  // The same rule as a tools/call's, whose text for the model leaves the rule's code to stderr.
  const call = JSON.stringify(answersTo(seen, 5));
  assert.match(call, /thoth cannot record this call in its audit log on this machine/);
  assert.doesNotMatch(call, /audit\.unwritable/);
  assert.deepEqual(answersTo(seen, 6)[0]!["result"], {}, "an ungoverned ping still goes");
});

Deno.test("thoth run in observe mode forwards the requests it cannot record, as it does calls", async () => {
  const { seen } = await unrecorded("observe");
  for (const [id, method] of GOVERNED) {
    const answer = onlyAnswer(seen, id, method);
    assert.ok("result" in answer, `${method} reached the server: ${JSON.stringify([answer])}`);
  }
  assert.match(JSON.stringify(answersTo(seen, 5)), /Echo: hi/);
});

Deno.test("a resources/read thoth cannot record, alone or in a batch, never reaches the server", async () => {
  await using dir = await tempDir();
  const home = await unwritableHome(dir.path);
  const log = `${dir.path}/server.log`;
  const peer = new RawPeer(
    throughThoth(faultArgv(["--log", log]), ["--agent-id", "fault", "--enforcement-mode", "block"]),
    testEnv({ THOTH_HOME: home }),
  );
  try {
    await peer.send(initializeRequest(0));
    await peer.responseTo(0);
    await peer.send(request(1, "resources/read", { uri: "demo://alone" }));
    assert.match(JSON.stringify(await peer.responseTo(1)), /cannot record it in its audit log/);
    await peer.send([
      request(2, "prompts/get", { name: "in-a-batch", arguments: {} }),
      { jsonrpc: "2.0", id: 3, method: "ping" },
    ]);
    const seen: Message[] = [];
    while (![2, 3].every((id) => seen.some((m) => m["id"] === id))) {
      // thoth's refusal of the batch's prompts/get comes in an array line (a batch response).
      const next: unknown = await peer.next();
      seen.push(...(Array.isArray(next) ? next : [next]) as Message[]);
    }
    assert.match(
      JSON.stringify(seen.find((m) => m["id"] === 2)),
      /thoth refused this prompts\/get: thoth cannot record it/,
    );
  } finally {
    await peer.finish();
  }
  const received = await Deno.readTextFile(log);
  assert.ok(received.includes('"ping"'), received);
  assert.ok(!received.includes("resources/read"), received);
  assert.ok(!received.includes("prompts/get"), received);
});
