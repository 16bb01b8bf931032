/**
 * A `RelaySession` driven with raw lines: what each side was sent, the notes,
 * the calls the enforcer decided and the events the relay reported.
 */
import type { Enforcer } from "../../src/enforcer/enforcer.ts";
import type { ToolCall } from "../../src/policy/tool_call.ts";
import type { Verdict } from "../../src/policy/verdict.ts";
import {
  type ApprovalOutcome,
  type ApprovalRequest,
  type Approver,
  RelaySession,
  type RelaySessionOptions,
} from "../../src/proxy/relay_session.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** One message as a line. */
export const line = (value: unknown): Uint8Array => enc.encode(JSON.stringify(value) + "\n");

/** A `tools/call` request. */
export const call = (id: unknown, name: string, args: unknown = {}, extra = {}) =>
  line({ jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: args, ...extra } });

/** A tool result answering `id`. */
export const result = (id: unknown, text: string) =>
  line({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text }] } });

/** Verdicts by tool name; any other tool is allowed. */
export function enforcerOf(
  verdicts: Record<string, Verdict["decision"]>,
  later = false,
): Enforcer & { calls: ToolCall[] } {
  const calls: ToolCall[] = [];
  return {
    calls,
    decide: (call, ids) => {
      calls.push(call);
      const decision = verdicts[call.tool] ?? "allow";
      const verdict: Verdict = {
        decision,
        decisionId: ids(),
        ruleIds: decision === "allow" ? [] : [`rule-${call.tool}`],
        reasons: decision === "allow" ? [] : [`${call.tool} is governed`],
      };
      return later ? Promise.resolve(verdict) : verdict;
    },
  };
}

/** An approver that answers every request with `outcome` (after `wait` resolves, if given). */
export function approverOf(
  outcome: (request: ApprovalRequest) => ApprovalOutcome,
  wait?: Promise<unknown>,
): Approver & { asked: ApprovalRequest[] } {
  const asked: ApprovalRequest[] = [];
  const approver = (async (request: ApprovalRequest) => {
    asked.push(request);
    await wait;
    return outcome(request);
  }) as Approver & { asked: ApprovalRequest[] };
  approver.asked = asked;
  return approver;
}

/**
 * Has `session`'s client list the server's tools (none), as a client does
 * before its calls: thoth then lists none itself. Its lines go through the
 * session's ports like any other; a harness clears them after.
 */
export function listTools(session: RelaySession): void {
  session.fromClient(line({ jsonrpc: "2.0", id: "harness-tools", method: "tools/list" }));
  session.fromServer(line({ jsonrpc: "2.0", id: "harness-tools", result: { tools: [] } }));
}

/**
 * A relay whose output is kept, with a clock the test moves. Its client has
 * listed the server's tools (none) unless `unlisted` (see {@linkcode listTools}).
 */
export function rawRelay(options: Partial<RelaySessionOptions> = {}, unlisted = false) {
  const toServer: Uint8Array[] = [];
  const toClient: Uint8Array[] = [];
  const notes: string[] = [];
  const events: string[] = [];
  const clock = { now: 0 };
  let n = 0;
  const session = new RelaySession({
    toServer: (bytes) => toServer.push(bytes),
    toClient: (bytes) => toClient.push(bytes),
    note: (message) => notes.push(message),
  }, {
    server: "srv",
    enforcer: enforcerOf({}),
    newDecisionId: () => `d-${++n}`,
    nonce: "n",
    now: () => clock.now,
    events: {
      decision: (call, verdict, id) =>
        events.push(`decision ${JSON.stringify(id)} ${call.tool} ${verdict.decisionId}`),
      outcome: (id, tool, isError, _ms, value) =>
        events.push(`outcome ${JSON.stringify(id)} ${tool} ${isError} ${JSON.stringify(value)}`),
      cancelled: (id, tool) => events.push(`cancelled ${JSON.stringify(id)} ${tool}`),
      lateOutcome: (id, decisionId, tool, isError, _ms, value) =>
        events.push(
          `late outcome ${JSON.stringify(id)} ${decisionId} ${tool} ${isError} ${
            JSON.stringify(value)
          }`,
        ),
      answered: (id) => events.push(`answered ${JSON.stringify(id)}`),
      approval: (call, _verdict, outcome) =>
        events.push(`approval ${call.tool} ${outcome.approved}`),
    },
    ...options,
  });
  if (!unlisted) {
    listTools(session);
    toServer.length = 0;
    toClient.length = 0;
  }
  const json = (list: Uint8Array[]) => list.map((bytes) => JSON.parse(dec.decode(bytes)));
  return { session, toServer, toClient, notes, events, clock, json };
}

/** Lets the relay act on promises that have settled. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** `_meta` that puts a request in the stateless era (2026-07-28). */
export const STATELESS = { "io.modelcontextprotocol/protocolVersion": "2026-07-28" };

/** A `tool_use` block a model wrote in a sampling result. */
export const toolUse = (name: unknown, input: unknown = { path: "/data" }) => ({
  type: "tool_use",
  id: `tu-${String(name)}`,
  name,
  input,
});

/** A sampling result whose model stopped to use tools, with `content`. */
export const sampled = (content: unknown) => ({
  role: "assistant",
  model: "m",
  stopReason: "toolUse",
  content,
});
