/**
 * `thoth approvals`: answer step-up approvals from any terminal. A governed
 * call that needs a person and has no client prompt or desktop dialog waits
 * in `<thothHome>/approvals/`; `list` shows it, `approve ID` or `deny ID`
 * settles it, `watch` asks about each one as it arrives.
 *
 * @example
 * ```sh
 * thoth approvals list
 * thoth approvals approve k3f9x2qa
 * thoth approvals deny k3f9x2qa --reason "not on production"
 * ```
 */
import { Command } from "@commander-js/extra-typings";
import { ApprovalQueue, describeAnswer, type Settlement } from "../approval/approval_queue.ts";
import { describeOrphan, type QueueItem } from "../approval/queue_listing.ts";
import { approverName } from "../approval/approver_name.ts";
import { listedApprover, queueApprover } from "../approval/queue_approver.ts";
import { passwdNameOf } from "../platform/passwd_name_of.ts";
import {
  fromEarlierRelease,
  QUEUE_ID,
  QUEUE_ID_ALPHABET,
  QUEUE_ID_LENGTH,
  type QueueAnswer,
} from "../approval/queue_record.ts";
import { earlierReleaseRefusal } from "../approval/earlier_release_request.ts";
import { looksLikeSecret, showValue } from "../identity/shown_env_value.ts";
import { displayText, escapedText } from "../approval/display_text.ts";
import { askedBy, earlierReleaseLines, settledWords } from "../approval/listed_words.ts";
import { shownName, unusualNameNote } from "../approval/shown_name.ts";
import { settledJson, settledLine } from "../approval/settled_line.ts";
import { AppError, isAppError } from "../errors.ts";
import { readNumberFlag } from "../config/read_number_flag.ts";
import type { CliIo } from "./cli_io.ts";
import { joinPath } from "../platform/join_path.ts";
import { effectiveUid, refuseUnsafeForRoot, rootMustNotWrite } from "../platform/root_safe_path.ts";
import { PRUNE_EVERY_MS, pruneQueue } from "../approval/prune_queue.ts";
import { requireProfileFolder } from "../identity/thoth_home_folder.ts";
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

/** `watch --interval`: whole milliseconds between looks at the queue, 50 to 60000. */
function readInterval(value: string): number {
  return readNumberFlag("--interval", value, {
    min: 50,
    max: 60_000,
    expected: "whole milliseconds",
    fallback: 500,
  });
}

/** The lowercase letters and digits an id never holds, as "0, 1, i, l and o". */
const LEFT_OUT = [..."0123456789abcdefghijklmnopqrstuvwxyz"].filter((c) =>
  !QUEUE_ID_ALPHABET.includes(c)
);

/**
 * `text` with ASCII capitals lowercased, and nothing else changed: the
 * Kelvin sign lowercases to "k" too, and is no id's.
 */
function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

/**
 * The request id `id` names. Ids are lowercase, so an id typed in capitals
 * (`K3F9X2QA`, copied from a message that shouted) names exactly one id and
 * is read as that id; anything else that is not an id is refused, saying
 * which characters or how many were wrong and what an id is made of.
 */
function checkId(id: string, program = "thoth"): string {
  if (QUEUE_ID.test(id)) return id;
  const lower = asciiLower(id);
  if (QUEUE_ID.test(lower)) return lower;
  const chars = [...id];
  const strange = [...new Set(chars.filter((c) => !QUEUE_ID_ALPHABET.includes(asciiLower(c))))];
  // What is wrong, except for a value shown by fingerprint: its characters stay unsaid.
  const why = looksLikeSecret(id)
    ? ""
    : strange.length > 0
    ? `: ${strange.map((c) => JSON.stringify(displayText(c))).join(", ")} never ${
      strange.length === 1 ? "appears" : "appear"
    } in one`
    : chars.length !== QUEUE_ID_LENGTH
    ? `: it has ${chars.length} characters, not ${QUEUE_ID_LENGTH}`
    : "";
  throw new AppError("approval.unknown_id", `${showValue(id)} is not an approval id${why}`, {
    hints: [`${ID_SHAPE}; copy it from "${program} approvals list"`],
  });
}

/** What an id is made of, for the help of `approve` and `deny` and the hint of a wrong one. */
const ID_SHAPE = `an id is ${QUEUE_ID_LENGTH} characters from "${QUEUE_ID_ALPHABET}" (lowercase ` +
  `letters and digits without ${LEFT_OUT.slice(0, -1).join(", ")} and ${LEFT_OUT.at(-1)})`;

function left(ms: number): string {
  return ms <= 0 ? "expired" : `${Math.ceil(ms / 1000)} s left`;
}

/**
 * A settled request's answer with its writer as the audit names it: the
 * account that owns the answer file, the name in the file only as a claim.
 * `listed` adds, for a person, the password file's name of a uid other
 * than this user's (`uid 65534 (nobody)`); the audit and `--json` give the
 * uid alone, as the sandboxed core (which cannot read the password file)
 * records it.
 */
function shownAnswer(item: QueueItem, listed = false): QueueItem["answer"] {
  const answer = item.answer;
  // A link, a folder or FIFO, or a malformed file: no one answered, thoth refused the call.
  if (item.answerProblem !== undefined) return answer;
  if (answer === undefined || item.answerOwner === undefined) return answer;
  if (
    answer.decision !== "approve" && answer.decision !== "session" && answer.decision !== "deny"
  ) {
    return answer;
  }
  const ownUid = Deno.build.os === "windows" ? null : Deno.uid();
  const answerer = {
    claimed: answer.by,
    ownerUid: item.answerOwner,
    ownUid,
    ownName: ownUid === null ? undefined : passwdNameOf(ownUid),
    nameOf: passwdNameOf,
  };
  return { ...answer, by: listed ? listedApprover(answerer) : queueApprover(answerer) };
}

/**
 * One queued request for a terminal. Every field passes `displayText`, or
 * `escapedText` where what a field says must stay readable (the policy's
 * reasons, the argument shape): a queue file is data, and control
 * characters in it must not reach the terminal (escape sequences, fake
 * lines).
 */
function describeItem(item: QueueItem, now: number): string {
  const e = item.entry;
  const asked = askedBy(e);
  const state = item.state === "pending"
    ? left(e.expiresAt - now)
    : item.answerProblem !== undefined
    ? displayText(`refused: ${item.answerProblem}`, 600)
    : item.state === "settled"
    ? settledWords(item, describeAnswer(shownAnswer(item, true)))
    : item.state === "orphaned"
    ? describeOrphan(e)
    : "expired";
  // Names a server or a model chose, shown as every approval text shows them.
  const note = unusualNameNote([e.tool, e.server]);
  const lines = [
    `${e.id}  tool ${shownName(e.tool)} on server ${shownName(e.server)}  [${state}]`,
    ...(note === undefined ? [] : [`          ${note}`]),
    ...earlierReleaseLines(item).map((line) => `          ${line}`),
    `          asked by ${asked}; decision ${displayText(e.decisionId, 100)}`,
    // Only a pending request is still waited on; any other was asked by that thoth.
    `          ${item.state === "pending" ? "waiting in" : "asked by"} the thoth with pid ${e.pid}`,
    ...(e.shape.length === 0
      ? ["          arguments: none"]
      : e.shape.map((s) => `          ${escapedText(s, 300)}`)),
  ];
  return lines.join("\n") + "\n";
}

/** The answer the key `key` (lowercased) gives, when it is one watch accepts. */
function watchDecision(key: string, allowSession: boolean): Settlement["decision"] | undefined {
  if (key === "y") return "approve";
  if (key === "s" && allowSession) return "session";
  if (key === "n") return "deny";
  return undefined;
}

/**
 * Builds the `approvals` command. `input` is the terminal `watch` reads keys
 * from (default standard input); a byte stream given there stands for keys
 * typed at a terminal, one chunk per read (for tests).
 */
export function approvalsCommand(
  io: CliIo,
  input: () => ReadableStream<Uint8Array> | KeyTerminal = () => Deno.stdin,
  program = "thoth",
) {
  // A profile that is a file is named as such, not as a failed read of the queue folder.
  const queue = async () => {
    await requireProfileFolder(io.thothHome, io.env);
    return ApprovalQueue.forHome(io.thothHome);
  };
  // An answer root wrote into a queue another user keeps would be root's, and the
  // user's session could not read it: root answers only in a place it may write.
  const answeringQueue = async () => {
    await requireProfileFolder(io.thothHome, io.env);
    await refuseUnsafeForRoot(joinPath(io.thothHome, "approvals"), "the approval queue");
    return ApprovalQueue.forHome(io.thothHome);
  };
  const user = () => approverName(io.env);
  /**
   * Settles `id`; an id not found is named with the folder looked in, and
   * with THOTH_HOME when set (a thoth run under another profile queues there).
   */
  const settle = async (id: string, settlement: Settlement): Promise<QueueAnswer> => {
    const q = await answeringQueue();
    try {
      return await q.settle(checkId(id, program), settlement);
    } catch (error) {
      if (!isAppError(error, "approval.unknown_id")) throw error;
      const home = io.env["THOTH_HOME"];
      throw new AppError("approval.unknown_id", error.message, {
        hints: [
          ...error.hints,
          home !== undefined && home !== ""
            ? `THOTH_HOME is set to ${
              JSON.stringify(displayText(home, 400))
            } here; a request queued by a thoth run under another profile waits in that ` +
              "profile's approvals folder: answer it with the same THOTH_HOME"
            : "THOTH_HOME is not set here; a request queued by a thoth run with THOTH_HOME set " +
              "waits in that profile's approvals folder: answer it with the same THOTH_HOME",
        ],
      });
    }
  };
  const command = new Command("approvals")
    .description("list and answer tool calls waiting for a person's approval (step-up)")
    .addHelpText(
      "after",
      `
A call the policy marks step-up waits for a yes. When the MCP client cannot
ask (Claude Desktop's chat) and no desktop dialog is available, the request
waits here, under ${io.thothHome}/approvals, until it is answered or times out.

Examples:
  ${program} approvals list                  what is waiting, with rule and argument shape
  ${program} approvals approve k3f9x2qa      let that one call run once
  ${program} approvals approve k3f9x2qa --session
                                        also allow the same tool and arguments until the session ends
  ${program} approvals deny k3f9x2qa --reason "not on production"
  ${program} approvals watch                 ask y/n/s for each request as it arrives

Any process running as your OS user can read and answer this queue; see the
README section "Approvals (STEP_UP) and their threat model".`,
    );

  command.command("list")
    .description("show the requests waiting for an answer")
    .option("--json", "print JSON (one array) instead of text")
    .option("--all", "include settled and expired requests")
    .addHelpText(
      "after",
      `
Examples:
  # what is waiting; then answer one by its id
  ${program} approvals list
  ${program} approvals approve k3f9x2qa

  # everything still on file, answered and expired too, for a script
  ${program} approvals list --all --json`,
    )
    .action(async (options) => {
      const q = await queue();
      // Pruning removes files: not as root in a queue another user keeps.
      if (!(await rootMustNotWrite(io.thothHome))) {
        await pruneQueue(q, { ownerUid: effectiveUid() }).catch(() => 0);
      }
      const now = Date.now();
      // An orphaned request is shown too, so no one waits on it or approves it in vain.
      const items = (await q.list()).filter((i) =>
        options.all || i.state === "pending" || i.state === "orphaned"
      );
      if (options.json) {
        io.out(
          JSON.stringify(
            items.map((i) => ({
              id: i.entry.id,
              state: i.state,
              server: i.entry.server,
              tool: i.entry.tool,
              ruleIds: i.entry.ruleIds,
              reasons: i.entry.reasons,
              decisionId: i.entry.decisionId,
              pid: i.entry.pid,
              arguments: i.entry.shape,
              allowSession: i.entry.allowSession,
              // Queued by a thoth of an earlier release: this release does not answer it.
              earlierRelease: fromEarlierRelease(i.entry),
              createdAt: new Date(i.entry.createdAt).toISOString(),
              expiresAt: new Date(i.entry.expiresAt).toISOString(),
              // `by` as the audit names the writer; `claimedBy` what the answer file says.
              // No one answered (a link, not a regular file, or a malformed file): thoth
              // refused the call.
              ...(i.answer && i.answerProblem !== undefined
                ? { answer: { decision: "deny", problem: i.answerProblem } }
                : i.answer
                ? {
                  answer: {
                    decision: i.answer.decision,
                    by: shownAnswer(i)?.by ?? i.answer.by,
                    claimedBy: i.answer.by,
                    // The answer did not decide the call. `withdrawn` and `misbound` (refused
                    // as given for another call) are what the waiting thoth noted in its
                    // outcome file (`callOutcomeSource` "waiting-thoth-note"),
                    // a claim any process of this user could write; `refused` the list sees
                    // itself, from the request's and the answer's digests ("digest-mismatch");
                    // `orphaned` too, from the missing taken marker and the pid ("waiter-gone");
                    // `refused` from the request's version and the answer's form, when an
                    // earlier release's thoth asked and this release's answer reached it
                    // ("earlier-release").
                    ...(i.callFate === undefined ? {} : {
                      callRan: false,
                      callOutcome: i.callFate.outcome,
                      callOutcomeReason: i.callFate.reason,
                      callOutcomeSource: i.callFate.source,
                    }),
                  },
                }
                : {}),
            })),
            null,
            2,
          ) + "\n",
        );
        return;
      }
      if (items.length === 0) {
        io.out(options.all ? "no approval requests\n" : "no approval requests are waiting\n");
        return;
      }
      for (const item of items) io.out(describeItem(item, now));
    });

  command.command("approve")
    .description("let a waiting call run (once, or with --session for this session)")
    .argument("<id>", `the request id from "${program} approvals list"`)
    .addHelpText(
      "after",
      `\n${ID_SHAPE[0]!.toUpperCase()}${ID_SHAPE.slice(1)}; case is ignored.

Examples:
  # let the call run once
  ${program} approvals approve k3f9x2qa

  # also allow the same tool with the same arguments until the session ends
  ${program} approvals approve k3f9x2qa --session`,
    )
    .option("--session", "also allow the same tool with the same arguments until the session ends")
    .option("--json", "print the answer written as JSON")
    .action(async (id, options) => {
      const answer = await settle(id, {
        decision: options.session ? "session" : "approve",
        by: user(),
      });
      io.out(options.json ? settledJson(answer) : settledLine(answer));
    });

  command.command("deny")
    .description("refuse a waiting call; the model is told a person denied it")
    .argument("<id>", `the request id from "${program} approvals list"`)
    .addHelpText(
      "after",
      `\n${ID_SHAPE[0]!.toUpperCase()}${ID_SHAPE.slice(1)}; case is ignored.

Examples:
  ${program} approvals deny k3f9x2qa --reason "not on production"`,
    )
    .option("--reason <text>", "a short reason passed on to the model")
    .option("--json", "print the answer written as JSON")
    .action(async (id, options) => {
      const answer = await settle(id, {
        decision: "deny",
        by: user(),
        ...(options.reason === undefined ? {} : { reason: options.reason }),
      });
      io.out(options.json ? settledJson(answer) : settledLine(answer));
    });

  command.command("watch")
    .description(
      "ask about each request as it arrives: y = allow once, s = allow for the session, n = deny",
    )
    .addHelpText(
      "after",
      `
watch answers at a terminal only: each answer is one key pressed at least
0.4 s after the question is on screen (y, n, or s where offered; Enter skips;
Ctrl-C stops, Ctrl-Z suspends). A key pressed sooner, what was typed before a
question, a held key's repeat and a paste are dropped, and any other key is
asked again. With standard input not a terminal (a pipe, a file) watch refuses
to start: a script answers with "${program} approvals approve ID" or
"${program} approvals deny ID" instead.

Examples:
  # answer each request as it comes, in a terminal beside the MCP client
  ${program} approvals watch

  # look less often
  ${program} approvals watch --interval 2000`,
    )
    .option(
      "--interval <ms>",
      "how often to look for new requests, 50 to 60000 ms",
      readInterval,
      500,
    )
    .action(async (options) => {
      const interval = options.interval;
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
            const decision = press.kind === "key"
              ? watchDecision(press.key, allowSession)
              : undefined;
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
            const answer = await q.settle(item.entry.id, { decision, by: user(), shown });
            io.out(`${answer.id}: ${describeAnswer(answer)}\n`);
          } catch (error) {
            if (!(error instanceof AppError)) throw error;
            io.err(`${program}: ${error.message}\n`);
          }
        }
      } finally {
        guard.dispose();
      }
    });
  return command;
}
