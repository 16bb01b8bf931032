/**
 * An in-process relay for approval tests: an SDK `Client` and an SDK
 * low-level `Server` talk through a real `RelaySession`, each over a small
 * line transport, with an enforcer that asks for approval on chosen tools.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import {
  CallToolRequestSchema,
  type ClientCapabilities,
  ElicitRequestSchema,
  type ElicitResult,
  type JSONRPCMessage,
  ListToolsRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import type { Enforcer } from "../../src/enforcer/enforcer.ts";
import {
  type ApprovalRequest,
  type Approver,
  RelaySession,
} from "../../src/proxy/relay_session.ts";
import type { ToolCall } from "../../src/policy/tool_call.ts";

export const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

const enc = new TextEncoder();
const dec = new TextDecoder();

/** One side of the relay: the SDK writes lines into `sink`; `deliver` hands lines to the SDK. */
class LineTransport implements Transport {
  onmessage?: (message: JSONRPCMessage) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  #closed = false;
  constructor(readonly sink: (line: Uint8Array) => void) {}
  start(): Promise<void> {
    return Promise.resolve();
  }
  send(message: JSONRPCMessage): Promise<void> {
    if (this.#closed) return Promise.reject(new Error("closed"));
    this.sink(enc.encode(JSON.stringify(message) + "\n"));
    return Promise.resolve();
  }
  deliver(line: Uint8Array): void {
    if (this.#closed) return;
    const message = JSON.parse(dec.decode(line)) as JSONRPCMessage;
    queueMicrotask(() => this.onmessage?.(message));
  }
  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.onclose?.();
    }
    return Promise.resolve();
  }
}

/** Step-up for the tools named, allow for the rest. */
export function stepUpEnforcer(tools: readonly string[]): Enforcer {
  return {
    decide: (call, ids) =>
      tools.includes(call.tool)
        ? {
          decision: "step_up",
          decisionId: ids(),
          ruleIds: ["writes-need-a-person"],
          reasons: ["writing files needs approval"],
        }
        : { decision: "allow", decisionId: ids(), ruleIds: [], reasons: [] },
  };
}

export interface RelayHarness {
  client: Client;
  session: RelaySession;
  /** Tool calls the upstream server actually ran. */
  ran: { name: string; arguments: unknown }[];
  notes: string[];
  close(): Promise<void>;
}

/** Starts server, relay and client; `elicit` answers elicitation when given. */
export async function startRelay(options: {
  approver: Approver;
  elicit?: (message: string, schema: unknown) => Promise<ElicitResult>;
  capabilities?: ClientCapabilities;
}): Promise<RelayHarness> {
  const ran: { name: string; arguments: unknown }[] = [];
  const notes: string[] = [];
  let n = 0;
  // deno-lint-ignore prefer-const
  let session: RelaySession;
  const serverSide = new LineTransport((line) => session.fromServer(line));
  const clientSide = new LineTransport((line) => session.fromClient(line));
  session = new RelaySession(
    {
      toServer: (b) => serverSide.deliver(b),
      toClient: (b) => clientSide.deliver(b),
      note: (m) => notes.push(m),
    },
    {
      server: "files",
      enforcer: stepUpEnforcer(["write_file"]),
      newDecisionId: () => `d-${++n}`,
      nonce: "test",
      approver: options.approver,
    },
  );
  const server = new Server({ name: "upstream", version: "1.0.0" }, {
    capabilities: { tools: {} },
  });
  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: [
      { name: "echo", inputSchema: { type: "object" } },
      { name: "write_file", inputSchema: { type: "object" } },
    ],
  }));
  server.setRequestHandler(
    CallToolRequestSchema,
    (request: { params: { name: string; arguments?: unknown } }) => {
      ran.push({ name: request.params.name, arguments: request.params.arguments });
      return { content: [{ type: "text", text: `ran ${request.params.name}` }] };
    },
  );
  await server.connect(serverSide);
  const capabilities = options.capabilities ??
    (options.elicit ? { elicitation: {} } : {});
  const client = new Client({ name: "approval-test-client", version: "1.0.0" }, { capabilities });
  if (options.elicit) {
    const elicit = options.elicit;
    client.setRequestHandler(
      ElicitRequestSchema,
      (request: { params: { message: string; requestedSchema?: unknown } }) =>
        elicit(request.params.message, request.params.requestedSchema),
    );
  }
  await client.connect(clientSide);
  return {
    client,
    session,
    ran,
    notes,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

/** A temp THOTH_HOME, removed by the returned function. */
export async function tempHome(): Promise<{ home: string; remove: () => Promise<void> }> {
  const home = await Deno.makeTempDir({ prefix: "thoth-approval-" });
  return { home, remove: () => Deno.remove(home, { recursive: true }) };
}

/** Runs the approvals CLI fixture as a separate process. */
export async function approvalsCli(
  home: string,
  args: readonly string[],
  stdin?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      `--config=${ROOT}/deno.json`,
      `--allow-read=${home}`,
      `--allow-write=${home}`,
      "--allow-env",
      // ps by absolute path: thoth approvals reads its process tree (it refuses where it cannot).
      "--allow-run=/bin/ps,/usr/bin/ps",
      `${ROOT}/tests/fixtures/approval/approvals_cli.ts`,
      "approvals",
      ...args,
    ],
    env: { THOTH_HOME: home, USER: "second-process" },
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(enc.encode(stdin));
    await writer.close();
  }
  const out = await child.output();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** A STEP_UP request for an approver, with a client that has no elicitation. */
export function stepUpRequest(
  call: Pick<ToolCall, "server" | "tool" | "era" | "protocolVersion">,
  args: Record<string, unknown>,
  decisionId: string,
  ruleId: string,
): ApprovalRequest {
  return {
    call: { ...call, arguments: args, annotations: undefined, listed: true },
    verdict: { decision: "step_up", decisionId, ruleIds: [ruleId], reasons: [] },
    requestId: 1,
    progressToken: undefined,
    signal: new AbortController().signal,
    client: {
      elicitation: false,
      request: () => Promise.reject(new Error("no")),
      notify: () => {},
    },
  };
}
