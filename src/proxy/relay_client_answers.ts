/**
 * The client's answers to the server's own requests: a sampling answer
 * (and the `inputResponses` a request carries) read for the tools a model
 * chose, each decided before the answer may reach the server; an answer
 * JSON-RPC does not allow refused, the server sent an error instead; and
 * the tasks the client created for such requests remembered.
 *
 * @example
 * ```ts
 * const forward = samplingAnswer(state, id, message.value, {}); // a refusal sends the server an error
 * ```
 */
import type { ToolAnnotations, ToolCall } from "../policy/tool_call.ts";
import type { Verdict } from "../policy/verdict.ts";
import { idKey, type JsonRpcId } from "../protocol/jsonrpc_id.ts";
import type { ResponseMessage } from "../protocol/jsonrpc_message.ts";
import { isPlainObject } from "../protocol/mcp_shapes.ts";
import { errorResponse, RPC_SERVER_ERROR } from "../protocol/responses.ts";
import { createdTaskId } from "../protocol/task_shapes.ts";
import {
  gateInputResponse,
  gateSamplingAnswer,
  type SamplingAnswerContext,
  type SamplingAnswerPlan,
} from "./sampling_answer_gate.ts";
import { NO_PERSON_WHY } from "./tool_use_gate.ts";
import { withdrawnReason } from "./relay_withdrawals.ts";
import { failServerRequest } from "./relay_client_line_loss.ts";
import { gateEnforcer } from "./relay_decision_bounds.ts";
import { exactOf } from "./relay_exact_ids.ts";
import { notCarriedOut } from "./not_carried_out.ts";
import { channel } from "./relay_own_client_requests.ts";
import { listTools } from "./relay_own_listing.ts";
import type { InputResponse } from "./relay_requests.ts";
import type { OfferScope } from "./input_offers.ts";

import type {
  ClientTask,
  Forward,
  Refused,
  RelayState,
  ServerRequest,
  ToolUseReading,
} from "./relay_state.ts";

/**
 * The offer of a sampling request thoth never saw (or that offered no
 * tools): none of the tools chosen is in it, so each is read at its strictest.
 */
const NO_OFFER: ReadonlyMap<string, ToolAnnotations> = new Map();

/** The client's tasks for the server's requests remembered; older ones are forgotten (then read). */
const MAX_CLIENT_TASKS = 256;

/** What the server is told when thoth refuses a sampling answer the client can no longer follow. */
const UNREAD_SAMPLING_ANSWER = "thoth refused the client's answer to this request: the client " +
  "stopped reading thoth's output while the tools the model chose in the answer were decided, " +
  "so they would run with no one to see what they do";

/**
 * A client answer JSON-RPC does not allow (`message.defect`: both `result`
 * and `error`, neither (under the id of a request the server waits for),
 * a `method` beside them, no id or one that is not a string or a number,
 * an `error` that is not an object, no `jsonrpc` "2.0"): servers
 * read such a message differently (pydantic takes `{"result":…,"error":null}`
 * for a result, and `"id": false` for the id 0), so it never reaches the
 * server. When its id names a request the server waits for, the server gets
 * an error instead; when it names one the server cancelled, nothing is sent,
 * and the id is free again, as after any late answer (see
 * `relay_server_cancels.ts`). A result it carries under such an id is still read for
 * tools a model chose, and each is decided, for the record; none can run,
 * as the answer goes nowhere.
 */
export function refuseMalformedAnswer(s: RelayState, message: ResponseMessage): false {
  const id = message.id;
  const what = `it is not a response JSON-RPC allows: ${message.defect}`;
  if (id === null) {
    s.ports.note(
      `refused an answer from the client: ${what}; a server might read it as the answer to ` +
        "one of its requests, so it was not forwarded",
    );
    return false;
  }
  const key = idKey(id);
  const asked = s.serverRequests.get(key);
  // It answers a request the server cancelled all the same: that id is free again (as
  // `lateAnswer` frees it), or the server's next request under it would be refused.
  const cancelled = s.cancelledServerRequests.delete(key);
  const failed = failServerRequest(
    s,
    id,
    `thoth refused the client's answer to this request: ${what} ` +
      "(servers read such an answer differently)",
  );
  s.ports.note(
    `refused the client's answer to the server's request ${JSON.stringify(id)}: ${what}; ` +
      (failed
        ? "the server was sent an error instead"
        : cancelled
        ? "the server had cancelled that request, so nothing was sent"
        : "no request of the server's waits for it, so nothing was sent"),
  );
  const reading = "result" in message.value
    ? toolUseReading(s, asked, message.value["result"], false)
    : undefined;
  if (reading !== undefined) {
    const decided: { call: ToolCall; verdict: Verdict }[] = [];
    const ended = () => {
      for (const { call, verdict } of decided) {
        s.opts.events?.toolUseEnded?.(call, verdict, id, false);
      }
    };
    const exact = exactOf(s, message.value);
    // For the record only (the answer goes nowhere): decided on the tools thoth knows.
    const plan = gateSamplingAnswer(
      id,
      message.value["result"],
      isPlainObject(exact) ? exact["result"] : undefined,
      { ...samplingContext(s, id, reading.offered ?? NO_OFFER, decided), listing: undefined },
    );
    if (plan instanceof Promise) void plan.then(ended, ended);
    else ended();
  }
  return false;
}

/**
 * Whether the client's answer to the server's request `asked` may hold
 * tools a model chose: an answer to `sampling/createMessage`; to a
 * `tasks/result` or `tasks/get` for a task such a request created (a
 * task-augmented sampling request is answered with its task, and the
 * message comes with the task's result); and, failing closed, to a
 * request or a task thoth does not know. Undefined when it cannot; else
 * the tools the sampling request offered. Remembers the tasks the answer
 * creates, unless `remember` is false (an answer that goes nowhere).
 */
export function toolUseReading(
  s: RelayState,
  asked: ServerRequest | undefined,
  result: unknown,
  remember = true,
): ToolUseReading | undefined {
  if (asked === undefined) return {};
  switch (asked.method) {
    case "sampling/createMessage": {
      const taskId = remember ? createdTaskId(result) : undefined;
      if (taskId !== undefined) {
        rememberClientTask(s, taskId, { sampling: true, offered: asked.offered });
      }
      return { offered: asked.offered };
    }
    case "tasks/result":
    case "tasks/get": {
      const task = asked.taskId === undefined ? undefined : s.clientTasks.get(asked.taskId);
      return task?.sampling === false ? undefined : { offered: task?.offered };
    }
    default: {
      // A task of another request's (an elicitation's): its result chooses no tools.
      const taskId = asked.task && remember ? createdTaskId(result) : undefined;
      if (taskId !== undefined && !s.clientTasks.has(taskId)) {
        rememberClientTask(s, taskId, { sampling: false });
      }
      return undefined;
    }
  }
}

/** Remembers a task of the client's (bounded: the oldest goes, and is then read as unknown). */
function rememberClientTask(s: RelayState, taskId: string, task: ClientTask): void {
  const tasks = s.clientTasks;
  const had = tasks.get(taskId);
  if (had !== undefined) {
    tasks.delete(taskId);
    s.liveOffers.release(had);
  }
  if (tasks.size >= MAX_CLIENT_TASKS) {
    const [oldest, forgotten] = tasks.entries().next().value!;
    tasks.delete(oldest);
    s.liveOffers.release(forgotten);
  }
  tasks.set(taskId, task);
  // Counted toward the bound on all live offers, as its request's offer was.
  s.liveOffers.hold(task);
}

/**
 * A client's answer to the server's `sampling/createMessage` request (or to
 * a `tasks/result` of such a request's task): each tool the model chose in
 * it is decided (see `sampling_answer_gate.ts`); when one is refused, the
 * server gets an error instead of the answer.
 */
export function samplingAnswer(
  s: RelayState,
  id: JsonRpcId,
  value: Record<string, unknown>,
  reading: ToolUseReading,
): Forward {
  const exact = exactOf(s, value);
  const events = s.opts.events;
  const decided: { call: ToolCall; verdict: Verdict }[] = [];
  const plan = gateSamplingAnswer(
    id,
    value["result"],
    isPlainObject(exact) ? exact["result"] : undefined,
    // A request that offered no tools (or one thoth does not know): each tool read at its strictest.
    samplingContext(s, id, reading.offered ?? NO_OFFER, decided),
  );
  const apply = (next: SamplingAnswerPlan): boolean => {
    // Not sent once the client stopped reading: the tools it chose would run unseen
    // (as a call is not sent then: see `forwardCall`).
    const unread = next.pass && decided.length > 0 && s.clientNotReading;
    for (const { call, verdict } of decided) {
      events?.toolUseEnded?.(call, verdict, id, next.pass && !unread);
      // Once the client stopped reading, no tool it chose runs: none of them happened.
      notCarriedOut(s, verdict.decisionId);
    }
    if (unread) {
      s.ports.note(
        `refused the client's answer to the server's sampling request ${JSON.stringify(id)}: ` +
          "the client stopped reading thoth's output while the tools the model chose in it " +
          "were decided; the server was sent an error instead",
      );
      s.ports.toServer(errorResponse(id, RPC_SERVER_ERROR, UNREAD_SAMPLING_ANSWER));
      return false;
    }
    if (next.pass) return true;
    s.ports.note(next.note);
    s.ports.toServer(next.error);
    return false;
  };
  return plan instanceof Promise ? plan.then(apply) : apply(plan);
}

/**
 * How the tools chosen in an answer to the server's sampling request are
 * decided: `id` is the message that carries the answer (the client's
 * response, or its retried `tools/call`); each decision is pushed on `decided`.
 */
function samplingContext(
  s: RelayState,
  id: JsonRpcId,
  offered: ReadonlyMap<string, ToolAnnotations>,
  decided: { call: ToolCall; verdict: Verdict }[],
  version?: string,
): SamplingAnswerContext {
  const events = s.opts.events;
  return {
    server: s.opts.server,
    // Read once a fresh listing is done: it replaces the map.
    get tools() {
      return s.tools;
    },
    listing: (names) => freshListing(s, names, version),
    offered,
    chosen: (call) => events?.toolUse?.(call, id),
    decided: (call, verdict) => decided.push({ call, verdict }),
    protocolVersion: s.negotiatedVersion,
    enforcer: gateEnforcer(s, id),
    newDecisionId: s.opts.newDecisionId,
    approver: s.opts.approver,
    // No person can be asked: the approver sees the signal aborted (a grant still counts).
    request: (call, verdict) => ({
      call,
      verdict,
      requestId: id,
      progressToken: undefined,
      signal: AbortSignal.abort(withdrawnReason(NO_PERSON_WHY)),
      client: channel(s),
    }),
    approval: (call, verdict, outcome) => events?.approval?.(call, verdict, outcome),
    note: (message) => s.ports.note(message),
  };
}

/**
 * The fresh listing the tools `names` a model chose wait for, as a
 * `tools/call` to them would (see `toolCall`): when the server said its
 * tools changed, no listing came yet, or the one thoth knows may miss one
 * of them; undefined when what thoth knows is current. `version`: a
 * stateless-era request's protocol version (see `listTools`). Counted as
 * held while it runs.
 */
function freshListing(
  s: RelayState,
  names: readonly string[],
  version: string | undefined,
): Promise<string | undefined> | undefined {
  const current = s.toolsListSeen &&
    (!s.toolsListPartial || names.every((name) => s.tools.has(name)));
  if (current) return undefined;
  const listing = listTools(s, version);
  s.opts.holding?.(listing);
  return listing;
}

/**
 * Decides the tools chosen in the answers to the server's own requests a
 * client request `id` carries (`responses`, see `inputResponseEntries`), as
 * in a live sampling answer (see `samplingAnswer`): the first refusal, when
 * one is refused, and each decision made. Each answer's tools are decided
 * with the tools its sampling request offered, read from what thoth read
 * of the server's `inputRequests` (see `input_offers.ts`) in `scope` (the
 * retried request's round trip, or a `tasks/update`'s task; null when the
 * request names no task it can place). An answer under a key thoth never
 * saw there, or not under a key, fails closed, and so does a tool chosen
 * that its request did not offer: every hint of it is read at its
 * strictest. `version`: the protocol version of a
 * stateless-era request, for a listing thoth needs first.
 */
export function gateInputResponses(
  s: RelayState,
  id: JsonRpcId,
  responses: readonly InputResponse[],
  scope: OfferScope | null,
  version?: string,
): {
  decided: { call: ToolCall; verdict: Verdict }[];
  refused: Refused | undefined | Promise<Refused | undefined>;
} {
  const decided: { call: ToolCall; verdict: Verdict }[] = [];
  const plans = responses.map(({ key, entry }) => {
    const offered = key === undefined || scope === null
      ? undefined
      : s.inputOffers.offer(scope, key);
    // Unseen: an empty offer, under which every tool chosen is read at its strictest.
    const context = samplingContext(s, id, offered ?? NO_OFFER, decided, version);
    return gateInputResponse(id, entry, undefined, context);
  });
  const first = (all: readonly SamplingAnswerPlan[]) =>
    all.find((plan): plan is Refused => !plan.pass);
  const refused = plans.every((plan) => !(plan instanceof Promise))
    ? first(plans as SamplingAnswerPlan[])
    : Promise.all(plans).then(first);
  return { decided, refused };
}
