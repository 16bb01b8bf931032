/**
 * Channel 3: the local queue. Puts the question in `<thothHome>/approvals/`
 * and polls for the answer a person writes with `thoth approvals approve ID`
 * or `deny ID` (from any terminal, or `thoth approvals watch`). Always
 * available. While it waits it refreshes the request file's time, so a
 * request left by a thoth that died shows as orphaned. When the wait ends
 * without an answer, the proxy claims the request as expired (or
 * withdrawn), so a late approval is refused.
 *
 * @example
 * ```ts
 * const channel = queueChannel({ queue: ApprovalQueue.forHome(home), onQueued: (id) => note(id) });
 * ```
 */
import type { ApprovalChannel, ChannelAnswer } from "./approval_channel.ts";
import { type ApprovalQueue, REFRESH_MS } from "./approval_queue.ts";
import { type HostIdentity, readHostIdentity } from "./host_identity.ts";
import type { QueueAnswer } from "./queue_record.ts";

/** Options of {@linkcode queueChannel}. */
export interface QueueChannelOptions {
  queue: ApprovalQueue;
  /** How often to look for an answer, in milliseconds (default 250). */
  pollMs?: number;
  /** Told the id of each queued request (the CLI notes it on stderr). */
  /** Called once the request is queued, with its id and its deadline (epoch ms). */
  onQueued?: (id: string, deadline: number) => void;
  /**
   * This thoth's PID namespace and boot, recorded with each request so a
   * reader knows whether the pid names it (default: read from `/proc`
   * where Deno allows it, else unknown; see `host_identity.ts`).
   */
  host?: HostIdentity;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/**
 * The channel's answer to a queue answer for `digest`. A `session` answer
 * covers the session only where that choice was offered (`allowSession`):
 * an older `thoth approvals approve --session`, or a file written by hand,
 * may carry one where it was not (progressive mode); it then allows once.
 */
function toAnswer(answer: QueueAnswer, digest: string, allowSession: boolean): ChannelAnswer {
  if (answer.digest !== digest) {
    return { kind: "error", message: "the queued answer does not match this call's arguments" };
  }
  switch (answer.decision) {
    case "approve":
    case "session":
      return {
        kind: "approve",
        scope: answer.decision === "session" && allowSession ? "session" : "once",
        approver: answer.by,
        digest: answer.digest,
        ...(answer.decision === "session" && !allowSession ? { said: "session" as const } : {}),
      };
    case "deny":
      return {
        kind: "deny",
        approver: answer.by,
        ...(answer.reason ? { reason: answer.reason } : {}),
      };
    case "expired":
    case "withdrawn":
      return { kind: "timeout" };
  }
}

/** Builds the queue channel. */
export function queueChannel(options: QueueChannelOptions): ApprovalChannel {
  const pollMs = options.pollMs ?? 250;
  const host = options.host ?? readHostIdentity();
  return {
    name: "queue",
    available: () => true,
    ask: async ({ question, request, signal, deadline, allowSession }): Promise<ChannelAnswer> => {
      const entry = await options.queue.submit({
        expiresAt: deadline,
        server: question.server,
        tool: question.tool,
        ruleIds: question.ruleIds,
        reasons: question.reasons,
        decisionId: question.decisionId,
        shape: question.shape,
        digest: question.digest,
        allowSession,
        pid: Deno.pid,
        pidNamespace: host.pidNamespace,
        bootId: host.bootId,
      });
      options.onQueued?.(entry.id, deadline);
      let refreshed = Date.now();
      while (!signal.aborted) {
        const answer = await options.queue.answer(entry.id);
        if (answer !== undefined) return toAnswer(answer, question.digest, allowSession);
        // Still waiting: `thoth approvals` tells a live request from an orphaned one by this.
        if (Date.now() - refreshed >= REFRESH_MS) {
          refreshed = Date.now();
          await options.queue.refresh(entry.id);
        }
        await sleep(pollMs, signal);
      }
      const standing = await options.queue.close(
        entry.id,
        request.signal.aborted ? "withdrawn" : "expired",
        question.digest,
      );
      return toAnswer(standing, question.digest, allowSession);
    },
  };
}
