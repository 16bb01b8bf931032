/**
 * `approvalProgress()`: the `notifications/progress` a held step-up call
 * sends while it waits for a person, when the client sent a progress token.
 * One goes out each time the wait moves to a channel and every `everyMs`
 * after, counting up across channels and saying where to answer and how
 * many seconds are left. Without a token it sends nothing.
 *
 * @example
 * ```ts
 * const reporter = approvalProgress(request, deadline, 5_000, Date.now);
 * reporter.waitingIn("queue"); // "thoth: waiting for a person to approve from a terminal (60 s left)"
 * reporter.stop();
 * ```
 */
import type { ApprovalRequest } from "../proxy/relay_session.ts";

/** Reports a held call's wait; see {@linkcode approvalProgress}. */
export interface ApprovalProgress {
  /** The wait moved to `channel`: report now, then every period. */
  waitingIn(channel: string): void;
  /** The wait ended: report no more. */
  stop(): void;
}

/**
 * Sends `notifications/progress` (when the client sent a token) each time the
 * wait moves to a channel and every `everyMs` after, counting up across channels.
 */
export function approvalProgress(
  request: ApprovalRequest,
  deadline: number,
  everyMs: number,
  now: () => number,
): ApprovalProgress {
  const token = request.progressToken;
  if (token === undefined) return { waitingIn: () => {}, stop: () => {} };
  let count = 0;
  let where = "";
  let interval: ReturnType<typeof setInterval> | undefined;
  const send = () => {
    const left = Math.max(0, Math.ceil((deadline - now()) / 1000));
    request.client.notify("notifications/progress", {
      progressToken: token,
      progress: ++count,
      message: `thoth: waiting for a person to approve ${where} (${left} s left)`,
    });
  };
  return {
    waitingIn: (channel) => {
      where = channel === "elicitation"
        ? "in the client"
        : channel === "dialog"
        ? "in a system dialog"
        : channel === "queue"
        // No command: a client may show this to the model, which could run it (see
        // queue_notes.ts); the person reads the command on stderr.
        ? "from a terminal"
        : `via ${channel}`;
      clearInterval(interval);
      send();
      interval = setInterval(send, everyMs);
    },
    stop: () => clearInterval(interval),
  };
}
