/**
 * Stateless (2026-07-28) era: a call a person allowed once that the server
 * itself answers with `input_required` (its own question, its own
 * `requestState`). The client's retry carries the server's state, not
 * thoth's: it is the call already allowed and must reach the server
 * unchanged, once, instead of being asked about again (which dropped the
 * server's state, so the server started over, forever).
 */
import assert from "node:assert/strict";
import type { ApprovalChannel } from "../../src/approval/approval_channel.ts";
import { createApprover, type SessionApprover } from "../../src/approval/create_approver.ts";
import { APPROVAL_INPUT_KEY } from "../../src/approval/input_required.ts";
import { type ApprovalRequest, RelaySession } from "../../src/proxy/relay_session.ts";
import { stepUpEnforcer, stepUpRequest } from "./_relay_harness.ts";

const META = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientCapabilities": { elicitation: { form: {} } },
};
const APPROVE = { [APPROVAL_INPUT_KEY]: { action: "accept", content: { decision: "approve" } } };
const enc = new TextEncoder();
const dec = new TextDecoder();

// deno-lint-ignore no-explicit-any
type Json = any;

/**
 * A server whose `write_file` asks the client a question of its own
 * (`input_required` with requestState "srv-R") and runs only when retried
 * with that state and the answer.
 */
function askingServer(answer: (line: Uint8Array) => void) {
  const received: string[] = [];
  return {
    received,
    handle(line: Uint8Array) {
      const text = dec.decode(line).replace(/\n$/, "");
      received.push(text);
      const m = JSON.parse(text);
      if (m.method === "tools/list") {
        // thoth lists the tools before the first call: there are none to annotate.
        const list = { jsonrpc: "2.0", id: m.id, result: { tools: [] } };
        queueMicrotask(() => answer(enc.encode(JSON.stringify(list) + "\n")));
        return;
      }
      if (m.method !== "tools/call") return;
      const p = m.params;
      const result = p.requestState === "srv-R" && p.inputResponses?.["srv-q"]
        ? { content: [{ type: "text", text: "written" }] }
        : {
          resultType: "input_required",
          requestState: "srv-R",
          inputRequests: {
            "srv-q": {
              method: "elicitation/create",
              params: {
                mode: "form",
                message: "Keep the old file as a backup?",
                requestedSchema: { type: "object", properties: { keep: { type: "boolean" } } },
              },
            },
          },
        };
      queueMicrotask(() =>
        answer(enc.encode(JSON.stringify({ jsonrpc: "2.0", id: m.id, result }) + "\n"))
      );
    },
  };
}

Deno.test("a once-approved call the server answers input_required runs after one approval, the server's state unchanged", async () => {
  const approver = createApprover({ thothHome: "/nonexistent", env: { USER: "ana" }, os: "linux" });
  const toClient: Json[] = [];
  const waiters: (() => void)[] = [];
  // deno-lint-ignore prefer-const
  let session: RelaySession;
  const server = askingServer((line) => session.fromServer(line));
  session = new RelaySession(
    {
      toServer: (line) => server.handle(line),
      toClient: (line) => {
        for (const l of dec.decode(line).split("\n").filter((x) => x !== "")) {
          toClient.push(JSON.parse(l));
        }
        for (const w of waiters.splice(0)) w();
      },
      note: () => {},
    },
    {
      server: "files",
      enforcer: stepUpEnforcer(["write_file"]),
      newDecisionId: (() => {
        let n = 0;
        return () => `d-${++n}`;
      })(),
      nonce: "test",
      approver,
      // How the session's wiring tells the approver what the server answered.
      events: {
        outcome: (id, tool, _isError, _ms, result) => approver.serverAnswered(id, tool, result),
      },
    },
  );
  const reply = async (id: number): Promise<Json> => {
    for (let i = 0; i < 200; i++) {
      const found = toClient.find((m) => m.id === id);
      if (found !== undefined) return found;
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 10);
      });
    }
    throw new Error(`no reply to ${id}`);
  };
  // A client that follows the spec: fulfil every input request, retry with the state.
  const sent: string[] = [];
  let extra: Record<string, unknown> = {};
  let approvals = 0;
  let final: Json;
  for (let id = 1; id <= 6 && final === undefined; id++) {
    const line = JSON.stringify({
      jsonrpc: "2.0",
      id,
      method: "tools/call",
      params: { name: "write_file", arguments: { path: "/srv/a" }, _meta: META, ...extra },
    });
    sent.push(line);
    session.fromClient(enc.encode(line + "\n"));
    const result = (await reply(id)).result;
    if (result?.resultType !== "input_required") {
      final = result;
      break;
    }
    const responses: Record<string, unknown> = {};
    for (const key of Object.keys(result.inputRequests)) {
      if (key === APPROVAL_INPUT_KEY) approvals++;
      responses[key] = key === APPROVAL_INPUT_KEY
        ? APPROVE[APPROVAL_INPUT_KEY]
        : { action: "accept", content: { keep: true } };
    }
    extra = { requestState: result.requestState, inputResponses: responses };
  }
  assert.deepEqual(final, { content: [{ type: "text", text: "written" }] });
  assert.equal(approvals, 1, "the person was asked once");
  const calls = server.received.filter((l) => l.includes('"tools/call"'));
  assert.equal(calls.length, 2);
  assert.equal(
    JSON.parse(calls[0]!).params.requestState,
    undefined,
    "thoth's own state stays home",
  );
  // The retry answering the server reaches it byte for byte as the client sent it.
  assert.equal(calls[1], sent[2]);
  assert.equal(JSON.parse(calls[1]!).params.requestState, "srv-R");
});

/** A STEP_UP request with the client's JSON-RPC id `id`. */
function request(args: Record<string, unknown>, id: number): ApprovalRequest {
  return {
    ...stepUpRequest(
      { server: "fs", tool: "write_file", era: "stateless", protocolVersion: "2026-07-28" },
      args,
      `d-${id}`,
      "w",
    ),
    requestId: id,
  };
}

const SERVER_ASKS = (state: string) => ({
  resultType: "input_required",
  requestState: state,
  inputRequests: { q: { method: "elicitation/create", params: {} } },
});

/** The person allows `args` once (call `id + 1`); the server answers it with `answer`. */
async function allowedOnceThenServerAsks(
  approver: SessionApprover,
  args: Record<string, unknown>,
  id: number,
  state: string,
  answer: unknown = SERVER_ASKS(state),
): Promise<void> {
  const asked = await approver.stateless(request(args, id), { arguments: args, _meta: META });
  assert.equal(asked.kind, "input_required");
  const thothState = (asked as unknown as { result: { requestState: string } }).result.requestState;
  const allowed = await approver.stateless(request(args, id + 1), {
    arguments: args,
    _meta: META,
    requestState: thothState,
    inputResponses: APPROVE,
  });
  assert.equal(allowed.kind === "decided" && allowed.outcome.approved, true);
  approver.serverAnswered(id + 1, "write_file", answer);
}

const retry = (args: Record<string, unknown>, state: string) => ({
  arguments: args,
  _meta: META,
  requestState: state,
  inputResponses: { q: { action: "accept", content: {} } },
});

Deno.test("a server's follow-up passes once, for the same arguments, before it expires", async () => {
  let clock = 1_000_000;
  const approver = createApprover({
    thothHome: "/nonexistent",
    env: { USER: "ana" },
    os: "linux",
    stateTtlMs: 300_000,
    now: () => clock,
  });
  const args = { path: "/srv/a" };
  await allowedOnceThenServerAsks(approver, args, 1, "R1");
  const through = await approver.stateless(request(args, 3), retry(args, "R1"));
  assert.equal(through.kind, "decided");
  if (through.kind !== "decided") return;
  assert.equal(through.outcome.approved, true);
  assert.equal(through.outcome.channel, "follow-up");
  assert.equal(through.outcome.scope, "once");
  assert.equal(through.outcome.askedDecisionId, "d-1", "recorded against the decision allowed");
  assert.equal(through.outcome.approver, "ana via the MCP client");
  assert.match(through.outcome.why, /allowed it once; this retry answers the server's own request/);
  assert.equal(through.forwardParams, undefined, "forwarded as the client sent it");
  // Single use per server state.
  const replay = await approver.stateless(request(args, 4), retry(args, "R1"));
  assert.equal(replay.kind, "input_required", "the same state again is asked about");
  // The server may ask again on the follow-up it let through (a chain of questions).
  approver.serverAnswered(3, "write_file", SERVER_ASKS("R2"));
  const chained = await approver.stateless(request(args, 5), retry(args, "R2"));
  assert.equal(chained.kind === "decided" && chained.outcome.approved, true);

  // Other arguments: not this call; and the state is spent by the attempt.
  await allowedOnceThenServerAsks(approver, args, 10, "R3");
  const other = await approver.stateless(
    request({ path: "/etc" }, 12),
    retry({ path: "/etc" }, "R3"),
  );
  assert.equal(other.kind, "input_required");
  assert.equal(
    (await approver.stateless(request(args, 13), retry(args, "R3"))).kind,
    "input_required",
  );

  // Expired.
  await allowedOnceThenServerAsks(approver, args, 20, "R4");
  clock += 300_001;
  assert.equal(
    (await approver.stateless(request(args, 22), retry(args, "R4"))).kind,
    "input_required",
  );

  // A state the server never issued, or issued for another tool, or not input_required.
  await allowedOnceThenServerAsks(approver, args, 30, "R5");
  assert.equal(
    (await approver.stateless(request(args, 32), retry(args, "R6"))).kind,
    "input_required",
  );
  const otherTool = createApprover({ thothHome: "/nonexistent", env: { USER: "a" }, os: "linux" });
  const asked = await otherTool.stateless(request(args, 1), { arguments: args, _meta: META });
  const thothState = (asked as unknown as { result: { requestState: string } }).result.requestState;
  await otherTool.stateless(request(args, 2), {
    arguments: args,
    requestState: thothState,
    inputResponses: APPROVE,
  });
  otherTool.serverAnswered(2, "read_file", SERVER_ASKS("R7"));
  assert.equal(
    (await otherTool.stateless(request(args, 3), retry(args, "R7"))).kind,
    "input_required",
  );
  await allowedOnceThenServerAsks(otherTool, args, 40, "ignored", { content: [] });
  assert.equal(
    (await otherTool.stateless(request(args, 42), retry(args, "ignored"))).kind,
    "input_required",
  );
  // The session's end forgets every follow-up.
  await allowedOnceThenServerAsks(otherTool, args, 50, "R8");
  otherTool.endSession();
  assert.equal(
    (await otherTool.stateless(request(args, 52), retry(args, "R8"))).kind,
    "input_required",
  );
});

Deno.test("a call allowed once in the dialog or queue is not asked about again when the server asks", async () => {
  const asked: string[] = [];
  const queue: ApprovalChannel = {
    name: "queue",
    available: () => true,
    ask: ({ question }) => {
      asked.push(question.tool);
      return Promise.resolve({
        kind: "approve",
        scope: "once",
        approver: "ana",
        digest: question.digest,
      });
    },
  };
  const approver = createApprover({
    thothHome: "/nonexistent",
    env: { USER: "ana" },
    os: "linux",
    channels: [queue],
  });
  const args = { path: "/srv/a" };
  // No elicitation declared: the call is held and asked about in the queue.
  assert.equal((await approver.stateless(request(args, 1), { arguments: args })).kind, "hold");
  assert.equal((await approver(request(args, 1))).approved, true);
  approver.serverAnswered(1, "write_file", SERVER_ASKS("R1"));
  const retried = await approver.stateless(request(args, 2), {
    arguments: args,
    requestState: "R1",
    inputResponses: { q: { action: "accept", content: {} } },
  });
  assert.equal(retried.kind === "decided" && retried.outcome.approved, true);
  assert.deepEqual(asked, ["write_file"], "asked once");
});

Deno.test("a follow-up is void once its request id is reused, cancelled or refused", async () => {
  const approver = createApprover({
    thothHome: "/nonexistent",
    env: { USER: "ana" },
    os: "linux",
    stateTtlMs: 300_000,
    now: () => 1_000_000,
  });
  const args = { path: "/etc/A" };
  // Allowed once and forwarded as call 2 ...
  const asked = await approver.stateless(request(args, 1), { arguments: args, _meta: META });
  const thothState = (asked as unknown as { result: { requestState: string } }).result.requestState;
  await approver.stateless(request(args, 2), {
    arguments: args,
    _meta: META,
    requestState: thothState,
    inputResponses: APPROVE,
  });
  // ... then cancelled; the client reuses id 2 for a call the policy allows, and the
  // server asks its own question about that one.
  approver.callEnded(2);
  approver.callDecided(2, "d-other");
  approver.serverAnswered(2, "write_file", SERVER_ASKS("srv-R"));
  const replay = await approver.stateless(request(args, 3), retry(args, "srv-R"));
  assert.equal(replay.kind, "input_required", "the person is asked again");
  // A reused id alone (no cancellation seen) voids it too.
  const again = await approver.stateless(request(args, 4), { arguments: args, _meta: META });
  const state2 = (again as unknown as { result: { requestState: string } }).result.requestState;
  await approver.stateless(request(args, 5), {
    arguments: args,
    _meta: META,
    requestState: state2,
    inputResponses: APPROVE,
  });
  approver.callDecided(5, "d-reused");
  approver.serverAnswered(5, "write_file", SERVER_ASKS("srv-S"));
  assert.equal(
    (await approver.stateless(request(args, 6), retry(args, "srv-S"))).kind,
    "input_required",
  );
});

Deno.test("follow-ups take a request id past 2^53 as the relay keeps it", () => {
  const approver = createApprover({ thothHome: "/nonexistent", env: { USER: "ana" }, os: "linux" });
  const id = (JSON as unknown as { rawJSON(text: string): number }).rawJSON("12345678901234567890");
  approver.serverAnswered(id, "write_file", { content: [] });
  approver.callDecided(id, "d-1");
  approver.callEnded(id);
});
