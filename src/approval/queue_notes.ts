/**
 * The queue channel as a session asks through it: the stderr lines that tell
 * the person which call waits and how to answer it, and why a call no one
 * answered from a terminal was not approved, as the model is told it.
 *
 * @example
 * ```ts
 * const channel = queueNotes((onQueued) => queueChannel({ queue, host, onQueued }), "thoth approvals", Date.now, note);
 * const why = queueTimeoutWhy(seconds(45_000));
 * ```
 */
import type { ApprovalChannel } from "./approval_channel.ts";
import { seconds } from "./seconds.ts";
import { shownName } from "./shown_name.ts";

/**
 * Why a call whose queued request no one answered in `within` was not
 * approved, as the model is told it: no request id and no command, since a
 * model with a shell could answer its own request with them. The person
 * hears both on stderr (see {@linkcode queueNotes}).
 */
export function queueTimeoutWhy(within: string): string {
  return `no one answered the approval request within ${within} (it waited for an answer ` +
    "from a terminal), so it timed out";
}

/**
 * The queue channel, built by `make` for each question with the `onQueued`
 * that names its call: a stderr line says which call waits (its tool and
 * server, never its arguments) and how to answer it, and one more when that
 * request times out or is withdrawn before anyone answered.
 */
export function queueNotes(
  make: (onQueued: (id: string, deadline: number) => void) => ApprovalChannel,
  approvals: string,
  now: () => number,
  note: ((message: string) => void) | undefined,
): ApprovalChannel {
  const quiet = () => {};
  return {
    name: "queue",
    available: (request) => make(quiet).available(request),
    ask: async (ask) => {
      const call = `tool ${shownName(ask.question.tool)} on server ${
        shownName(ask.question.server)
      }`;
      let queued: string | undefined;
      const channel = make((id, deadline) => {
        queued = id;
        note?.(
          `a call to ${call} waits for approval: run "${approvals} approve ${id}" or ` +
            // The time left: a channel before it may have used some (see ask_channels.ts).
            `"${approvals} deny ${id}" within ${seconds(Math.max(0, deadline - now()))}`,
        );
      });
      const answer = await channel.ask(ask);
      if (queued !== undefined && answer.kind === "timeout") {
        note?.(
          ask.request.signal.aborted
            ? `approval request ${queued} (${call}) was withdrawn before anyone answered ` +
              "(the client cancelled the call or the session ended); the call did not run"
            : `approval request ${queued} (${call}) timed out: no one answered, so the call ` +
              `did not run; to answer it when it is asked again, run "${approvals} watch" in a ` +
              "terminal",
        );
      }
      return answer;
    },
  };
}
