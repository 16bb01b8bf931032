/**
 * `thoth approvals watch`: asks about each approval request as it arrives,
 * one key pressed at a terminal for each (y, n, or s where offered), and
 * writes the answer (see `watch_keys.ts` for how keys are read).
 *
 * @example
 * ```ts
 * await watchApprovals(io, "thoth", {
 *   interval: 500,
 *   input: () => Deno.stdin,
 *   answeringQueue: () => Promise.resolve(ApprovalQueue.forHome(io.thothHome)),
 *   user: () => approverName(io.env),
 * });
 * ```
 */
import type { ApprovalQueue } from "../approval/approval_queue.ts";
import { describeAnswer } from "../approval/describe_answer.ts";
import type { Settlement } from "../approval/settlement.ts";
import { answerGiven } from "./answer_terminal.ts";
import type { QueueItem } from "../approval/queue_listing.ts";
import { fromEarlierRelease } from "../approval/queue_record.ts";
import { earlierReleaseRefusal } from "../approval/earlier_release_request.ts";
import { displayText } from "../approval/display_text.ts";
import { AppError } from "../errors.ts";
import type { CliIo } from "./cli_io.ts";
import { effectiveUid } from "../platform/root_safe_path.ts";
import { PRUNE_EVERY_MS, pruneQueue } from "../approval/prune_queue.ts";
import {
  ANSWER_DELAY_MS,
  KeyInput,
  type KeyPress,
  keyPress,
  type KeyTerminal,
  QUIET_MS,
  RawGuard,
  SETTLE_QUIET_MS,
  streamKeys,
} from "./watch_keys.ts";
import { describeItem } from "./approval_item_text.ts";
import { laterReleaseLines, laterStillWaiting } from "../approval/later_release_request.ts";

/** What {@linkcode watchApprovals} works with. */
export interface WatchOptions {
  /** Milliseconds between looks at the queue (`--interval`). */
  interval: number;
  /** The terminal keys are read from; a byte stream stands for keys typed at one (for tests). */
  input: () => ReadableStream<Uint8Array> | KeyTerminal;
  /** The queue answers are written to (refused to root in a queue another user keeps). */
  answeringQueue: () => Promise<ApprovalQueue>;
  /** Who answers, as the answer file names them. */
  user: () => string;
  /** Whether the self-approval check read the process tree (recorded with each answer). */
  treeChecked?: boolean;
}

/** The answer the key `key` (lowercased) gives, when it is one watch accepts. */
function watchDecision(key: string, allowSession: boolean): Settlement["decision"] | undefined {
  if (key === "y") return "approve";
  if (key === "s" && allowSession) return "session";
  if (key === "n") return "deny";
  return undefined;
}

/**
 * Runs `watch` until the input ends, Ctrl-D is pressed or Ctrl-C stops it
 * (`usage.cancelled`). Refuses to start when the input is not a terminal
 * (`usage.watch_needs_terminal`).
 */
export async function watchApprovals(
  io: CliIo,
  program: string,
  options: WatchOptions,
): Promise<void> {
  const { interval, input, answeringQueue, user } = options;
  const source = input();
  const terminal = source instanceof ReadableStream ? streamKeys(source) : source;
  // A pipe cannot tell a question on screen from a line written before it: `yes | watch`
  // would approve everything. A script answers by id instead.
  if (!terminal.isTerminal()) {
    throw new AppError(
      "usage.watch_needs_terminal",
      "watch answers at a terminal, and standard input is not one: nothing was answered",
      {
        hints: [
          `a script answers with "${program} approvals approve ID" or ` +
          `"${program} approvals deny ID"; "${program} approvals list" shows what waits`,
        ],
      },
    );
  }
  const q = await answeringQueue();
  const keys = new KeyInput(terminal);
  // A person's keys: one counts a reaction time after its question, and a held key's
  // repeats end before the next question.
  const person = terminal.personTimed !== false;
  const answerDelayMs = person ? ANSWER_DELAY_MS : 0;
  const settleQuietMs = person ? SETTLE_QUIET_MS : QUIET_MS;
  const asked = new Set<string>();
  let prompt = "";
  /** The request a question is open for: a signal that ends watch says it still waits. */
  let open: string | undefined;
  const guard = new RawGuard(terminal, () => io.out(`\r\n${prompt}`), () => {
    if (open !== undefined) {
      io.err(`\r\n${program}: cancelled: watch stopped, and request ${open} still waits\r\n`);
    }
  });
  io.err(
    `${program}: watching ${q.dir} for approval requests (press Ctrl-C or Ctrl-D to stop)\n`,
  );
  /**
   * Asks about `item` in cbreak mode: drops what was typed before the
   * question (waiting for the terminal to be quiet, so a held key's
   * repeats are dropped too), shows the prompt, and takes one key pressed
   * at least ANSWER_DELAY_MS after it; a key sooner is dropped. After
   * anything that is no answer, what follows it at once is dropped too
   * and the question is asked again. "skip" for Enter (or input that
   * would not stop arriving), "end" when the input ended or Ctrl-D was
   * pressed. The terminal is restored before it returns or throws.
   */
  const ask = async (
    item: QueueItem,
  ): Promise<Settlement["decision"] | "skip" | "end"> => {
    const allowSession = item.entry.allowSession;
    guard.raw(true);
    open = item.entry.id;
    try {
      // Cbreak mode makes a line the terminal held back readable: it was typed before
      // the question, so it is dropped with the rest.
      const early = await keys.discardPending(settleQuietMs);
      if (early.stillArriving) {
        io.err(
          `${program}: input kept arriving before this question, so it was not asked ` +
            `(the request still waits)\r\n`,
        );
        return "skip";
      }
      if (early.text) {
        io.err(
          `${program}: ignored input typed before this question; answer after it ` +
            `(a script answers with "${program} approvals approve ID" or "deny ID")\r\n`,
        );
      }
      prompt = `allow it? [${allowSession ? "y/n/s" : "y/n"}, Enter skips] `;
      let toldTooSoon = false;
      while (true) {
        io.out(prompt);
        const askedAt = Date.now();
        let press: KeyPress;
        while (true) {
          const chunk = await keys.read();
          if (chunk === null) return "end";
          press = keyPress(chunk);
          // Stopping is never too soon: Ctrl-C (where it reaches here as a key) and Ctrl-D.
          if (press.kind === "cancel" || press.kind === "end") break;
          if (Date.now() - askedAt >= answerDelayMs) break;
          // Sooner than a person reacts to the question: meant for something else, as is
          // what follows it at once (the rest of a paste, a key's repeats).
          await keys.discardPending();
          if (!toldTooSoon) {
            toldTooSoon = true;
            io.err(
              `\r\n${program}: ignored a key pressed too soon after the question; ` +
                `press your answer again\r\n${prompt}`,
            );
          }
        }
        if (press.kind === "cancel") {
          io.out("^C\r\n");
          throw new AppError(
            "usage.cancelled",
            `cancelled: watch stopped, and request ${item.entry.id} still waits`,
            { exitCode: 130 },
          );
        }
        if (press.kind === "end") {
          io.out("\r\n");
          return "end";
        }
        if (press.kind === "enter") {
          io.out("\r\n");
          return "skip";
        }
        const typed = press.kind === "key" ? press.key : press.text;
        const decision = press.kind === "key" ? watchDecision(press.key, allowSession) : undefined;
        if (decision !== undefined) {
          io.out(`${typed}\r\n`);
          return decision;
        }
        // No answer (a paste, an escape sequence, another key): what comes with it or right
        // after it is part of it, so it is dropped, and only a key after the question asked
        // again counts.
        await keys.discardPending();
        io.out("\r\n");
        prompt = `${displayText(JSON.stringify(typed), 80)} is not an answer; press ` +
          (allowSession
            ? "y (allow once), s (allow for the session) or n (deny)"
            : "y (allow once) or n (deny); the session choice is not offered here") +
          `, or Enter to skip: `;
      }
    } finally {
      open = undefined;
      guard.raw(false);
    }
  };
  // Requests long expired go on start and then every minute (see prune_queue.ts), as
  // "list" removes them: the queue keeps about ten minutes of requests, not all ever made.
  let prunedAt: number | undefined;
  const prune = async () => {
    if (prunedAt !== undefined && Date.now() - prunedAt < PRUNE_EVERY_MS) return;
    prunedAt = Date.now();
    await pruneQueue(q, { ownerUid: effectiveUid() }).catch(() => 0);
  };
  try {
    while (true) {
      await prune();
      const pending = (await q.list()).filter((i) =>
        i.state === "pending" && !asked.has(i.entry.id)
      );
      // Queued by a later release: said once each, with who can answer them.
      const later = q.laterRequests().filter((l) =>
        laterStillWaiting(l, Date.now()) && !asked.has(l.id)
      );
      for (const l of later) asked.add(l.id);
      for (const line of laterReleaseLines(later, program)) io.out(`${line}\n`);
      const item = pending[0];
      if (item === undefined) {
        // Typed with nothing asked: read and dropped, one chunk at a time.
        if ((await keys.next(interval)) === null) return;
        continue;
      }
      asked.add(item.entry.id);
      io.out(describeItem(item, Date.now()));
      // Its thoth would refuse this release's answer: not asked, said why once.
      if (fromEarlierRelease(item.entry)) {
        const refusal = earlierReleaseRefusal(item.entry, program);
        io.err(`${program}: ${refusal.message}\n`);
        for (const hint of refusal.hints) io.err(`${program}: hint: ${hint}\n`);
        continue;
      }
      const decision = await ask(item);
      if (decision === "end") return;
      if (decision === "skip") {
        io.out(`${item.entry.id}: skipped (still waiting for someone else)\n`);
        continue;
      }
      try {
        const shown = item.entry;
        const given = await answerGiven("watch", options.treeChecked);
        const answer = await q.settle(item.entry.id, { decision, by: user(), shown, given });
        io.out(`${answer.id}: ${describeAnswer(answer)}\n`);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        io.err(`${program}: ${error.message}\n`);
      }
    }
  } finally {
    guard.dispose();
  }
}
