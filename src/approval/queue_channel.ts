/**
 * Channel 3: the local queue. Puts the question in `<thothHome>/approvals/`
 * and polls for the answer a person writes with `thoth approvals approve ID`
 * or `deny ID` (from any terminal, or `thoth approvals watch`). Always
 * available. While it waits it refreshes the request file's time, so a
 * request left by a thoth that died shows as orphaned. When the wait ends
 * without an answer, the proxy claims the request as expired (or
 * withdrawn), so a late approval is refused. A symbolic link or a file with
 * more than one link where the answer goes is no answer (its owner need not
 * have written it), nor is a folder, FIFO or device, nor a malformed file
 * (not JSON, a field missing or wrong), nor a person's answer without a MAC
 * made with this profile's key beside it (see `answer_mac.ts`): the call is
 * refused, with a warning on stderr that says which. A queue that cannot
 * take a request refuses the call too; a session tells stderr why once per
 * cause, not at every call (see `queue_failure_notes.ts`), and the
 * model hears of a folder the system would not write in only that the
 * queue could not be written (no path, no system error: see
 * `queue_write_problem.ts`). An answer
 * that cannot be marked taken once its record is written is told on stderr,
 * and the session refuses the call if it was approved (see `AnswerTaken`).
 *
 * @example
 * ```ts
 * const channel = queueChannel({ queue: ApprovalQueue.forHome(home), onQueued: (id) => note(id) });
 * ```
 */
import type { AnswerUnused, ApprovalChannel, ChannelAnswer } from "./approval_channel.ts";
import type { ApprovalQueue } from "./approval_queue.ts";
import type { OwnedAnswer } from "./read_owned_answer.ts";
import { REFRESH_MS } from "./waiter_watch.ts";
import { type HostIdentity, readHostIdentity } from "./host_identity.ts";
import type { QueueAnswer, QueueEntry } from "./queue_record.ts";
import { queueApprover } from "./queue_approver.ts";
import { passwdNameOf } from "../platform/passwd_name_of.ts";
import { displayText } from "./display_text.ts";
import { joinPath } from "../platform/join_path.ts";
import { AppError } from "../errors.ts";
import { PRUNE_PER_REQUEST, pruneQueue } from "./prune_queue.ts";
import { type AnswerMacKey, answerNeedsMac } from "./answer_mac.ts";
import { deviceAnswerKey } from "./device_answer_key.ts";
import { thothClose, toAnswer } from "./queue_answer_outcome.ts";
import { bindingMismatch } from "./answer_binding.ts";
import { queueRefusalNote, withRefusalNote } from "./refusal_note.ts";
import { QUEUE_UNWRITABLE_FOR_MODEL, queueUnwritable } from "./queue_write_problem.ts";

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
   * reader knows whether the pid names it (the sandboxed core gets it from
   * the thread that started it; default: read from `/proc` where Deno
   * allows it, else unknown; see `host_identity.ts`).
   */
  host?: HostIdentity;
  /**
   * The OS user this thoth runs as, resolved by uid and the password file
   * (`approverName()`): the approver of an answer whose file that user owns.
   */
  user?: string;
  /** Told when the queue cannot take the request (a broken folder), before the channel fails. */
  onFailure?: (error: unknown) => void;
  /**
   * Told why the file found where the answer goes is no answer (a symbolic
   * link, a file with more than one link, a folder, FIFO or device, or a
   * malformed file), before the channel fails (default: a warning on
   * stderr).
   */
  onRefused?: (message: string) => void;
  /**
   * Told, as lines (`error: …`, then `hint: …`), that the answer to a
   * request could not be marked taken (see `AnswerTaken`), before the
   * session refuses an approved call for it (default: on stderr).
   */
  onUnmarked?: (lines: string[]) => void;
}

/** Writes `message` to stderr as a thoth warning. */
function warnOnStderr(message: string): void {
  try {
    Deno.stderr.writeSync(new TextEncoder().encode(`thoth: warning: ${message}\n`));
  } catch {
    // stderr is gone: the audit and the model still hear why.
  }
}

/** Writes each of `lines` to stderr as a thoth line. */
function linesOnStderr(lines: string[]): void {
  try {
    for (const line of lines) Deno.stderr.writeSync(new TextEncoder().encode(`thoth: ${line}\n`));
  } catch {
    // stderr is gone: the audit and the model still hear why.
  }
}

/** What stderr is told of the answer to request `id` that could not be marked taken. */
function unmarkedLines(id: string, error: unknown): string[] {
  const text = error instanceof Error ? error.message : String(error);
  return [
    `error: cannot mark the answer to request ${id} taken in the approval queue: ` +
    `${displayText(text, 400)}; thoth runs no approved call whose answer it could not mark ` +
    "(a request whose thoth ended without that mark is listed as not run), so this call, " +
    "if approved, was refused",
    ...(error instanceof AppError ? error.hints : []).map((hint) => `hint: ${hint}`),
  ];
}

/** Resolves after `ms`, or at once when `signal` aborts. */
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

/** Builds the queue channel. */
export function queueChannel(options: QueueChannelOptions): ApprovalChannel {
  const pollMs = options.pollMs ?? 250;
  const host = options.host ?? readHostIdentity();
  let keyNow: Promise<AnswerMacKey> | undefined;
  // Got once; a failure is tried again at the next request.
  const answerKey = (): Promise<AnswerMacKey> => {
    const getting = keyNow ??= deviceAnswerKey(options.queue.thothHome);
    getting.catch(() => {
      if (keyNow === getting) keyNow = undefined;
    });
    return getting;
  };
  return {
    name: "queue",
    available: () => true,
    ask: async ({ question, request, signal, deadline, allowSession }): Promise<ChannelAnswer> => {
      let entry: QueueEntry;
      let key: AnswerMacKey;
      try {
        key = await answerKey();
        entry = await options.queue.submit({
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
      } catch (error) {
        options.onFailure?.(error);
        // The person hears the folder, the system's words and the remedy (onFailure, on
        // stderr); the model only that the queue could not be written.
        if (queueUnwritable(error)) return { kind: "error", message: QUEUE_UNWRITABLE_FOR_MODEL };
        throw error;
      }
      options.onQueued?.(entry.id, deadline);
      // The waiting thoth's own uid: an answer whose file it owns is its own user's.
      const ownUid = await options.queue.requestOwner(entry.id);
      // Requests long expired go, a few each time one is filed (see prune_queue.ts): only
      // files of this thoth's own user (where uids are unknown, none).
      if (ownUid !== null || Deno.build.os === "windows") {
        await pruneQueue(options.queue, { ownerUid: ownUid, limit: PRUNE_PER_REQUEST })
          .catch(() => 0);
      }
      const approverOf = (ownerUid: number | null, claimed: string) => () =>
        queueApprover({ claimed, ownerUid, ownUid, ownName: options.user, nameOf: passwdNameOf });
      // A link where the answer goes is no answer: its owner did not write it (see
      // open_answer_file.ts); nor is a folder, FIFO or device. A malformed file is none
      // either, and no one is its approver. What is said names nothing the file holds
      // (see answer_file_problem.ts): it reaches the model and the audit.
      const refuse = (owned: OwnedAnswer): ChannelAnswer => {
        const answerFile = joinPath(options.queue.dir, `${entry.id}.answer.json`);
        const what = owned.refused !== undefined
          ? `is not an answer: ${owned.refused}`
          : owned.malformed !== undefined
          ? `is malformed: ${owned.malformed}`
          : `is not signed: ${owned.unsigned}`;
        (options.onRefused ?? warnOnStderr)(
          displayText(`the answer file "${answerFile}" ${what}`, 800) +
            "; the call was not approved",
        );
        // The model hears why, without the path of this machine's profile.
        return {
          kind: "error",
          message: owned.refused !== undefined
            ? `the answer to request ${entry.id} is not one: ${owned.refused}`
            : owned.malformed !== undefined
            ? `the answer file of request ${entry.id} is malformed: ${owned.malformed}`
            : `the answer to request ${entry.id} is not signed: ${owned.unsigned}`,
        };
      };
      // A person's answer the approver did not use (the call was withdrawn first):
      // recorded next to the request, for `thoth approvals list` (best effort).
      const unused: AnswerUnused = (reason) =>
        options.queue.recordOutcome(entry.id, question.digest, reason).catch(() => {});
      // A person's answer counts only for what this thoth queued, as it holds it: the request
      // file has no MAC, and one rewritten after it was queued showed the person another call.
      // The refusal is noted next to the request first (best effort), so that `thoth approvals
      // list` does not call approved what this thoth refused (see queue_listing.ts).
      const misbound = async (answer: QueueAnswer): Promise<ChannelAnswer | undefined> => {
        // One for other arguments is refused as such (see toAnswer).
        const why = answerNeedsMac(answer) && answer.digest === entry.digest
          ? bindingMismatch(answer, entry)
          : undefined;
        if (why === undefined) return undefined;
        const unnoted = await options.queue.recordOutcome(entry.id, entry.digest, why, "misbound")
          .then(
            () => "",
            (error) =>
              "; the queue could not note this refusal, so thoth approvals list may still show " +
              `the answer as given: ${displayText(String(error?.message ?? error), 300)}`,
          );
        (options.onRefused ?? warnOnStderr)(
          `the answer to request ${entry.id} is not for this call: ${why}; nothing was ` +
            `approved as shown, and the call was not run${unnoted}`,
        );
        return {
          kind: "error",
          message: `the answer to request ${entry.id} is not for this call: ${why}`,
        };
      };
      const unusable = (owned: OwnedAnswer): boolean =>
        owned.refused !== undefined || owned.malformed !== undefined ||
        owned.unsigned !== undefined;
      // The answer read is marked taken only once its approval record is written (the
      // session's audit calls this): a thoth killed before that leaves the answer unmarked,
      // and pruning keeps it (see prune_queue.ts). Only a read marks it, never a refresh.
      // A mark that cannot be made is said here; the session then refuses an approved call.
      // An approved call the session refuses after all (its approval could not be recorded)
      // is noted beside its request through the same `taken` (see refusal_note.ts).
      const taken = withRefusalNote(
        async (): Promise<boolean> => {
          try {
            await options.queue.markTaken(entry.id);
            return true;
          } catch (error) {
            (options.onUnmarked ?? linesOnStderr)(unmarkedLines(entry.id, error));
            return false;
          }
        },
        queueRefusalNote(options.queue, entry, options.onRefused ?? warnOnStderr),
      );
      let refreshed = Date.now();
      while (!signal.aborted) {
        const owned = await options.queue.ownedAnswer(entry.id, { key });
        if (owned !== undefined && unusable(owned)) return { ...refuse(owned), taken };
        if (owned !== undefined) {
          const { answer, ownerUid } = owned;
          const wrong = await misbound(answer);
          if (wrong !== undefined) return { ...wrong, taken };
          const heard = toAnswer(
            answer,
            question.digest,
            allowSession,
            approverOf(ownerUid, answer.by),
            unused,
          );
          return { ...heard, taken };
        }
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
      // A person's answer that won over the close is weighed by its file's owner too.
      const owned = await options.queue.ownedAnswer(entry.id, { key }).catch(() => undefined);
      if (owned !== undefined && unusable(owned)) return { ...refuse(owned), taken };
      // This thoth's own close is no one's answer (pruning counts it taken with or without
      // the marker): marked at once. A person's answer that won waits for its record.
      if (thothClose(standing)) await options.queue.markTaken(entry.id).catch(() => {});
      const wrong = await misbound(standing);
      if (wrong !== undefined) return { ...wrong, taken };
      const heard = toAnswer(
        standing,
        question.digest,
        allowSession,
        approverOf(owned?.ownerUid ?? null, standing.by),
        unused,
      );
      return thothClose(standing) ? heard : { ...heard, taken };
    },
  };
}
