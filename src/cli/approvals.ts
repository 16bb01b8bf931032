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
import {
  ApprovalQueue,
  describeAnswer,
  describeOrphan,
  type QueueItem,
  type Settlement,
} from "../approval/approval_queue.ts";
import { approverName } from "../approval/approver_name.ts";
import { queueApprover } from "../approval/queue_approver.ts";
import { passwdNameOf } from "../platform/passwd_name_of.ts";
import {
  QUEUE_ID,
  QUEUE_ID_ALPHABET,
  QUEUE_ID_LENGTH,
  type QueueAnswer,
} from "../approval/queue_record.ts";
import { looksLikeSecret, showValue } from "../identity/shown_env_value.ts";
import { displayText } from "../approval/display_text.ts";
import { shownName, unusualNameNote } from "../approval/shown_name.ts";
import { AppError, isAppError } from "../errors.ts";
import { readNumberFlag } from "../config/read_number_flag.ts";
import type { CliIo } from "./cli_io.ts";
import { joinPath } from "../platform/join_path.ts";
import { refuseUnsafeForRoot, rootMustNotWrite } from "../platform/root_safe_path.ts";
import { requireProfileFolder } from "../identity/thoth_home_folder.ts";

/** Settled and expired requests are removed this long after they expire. */
const PRUNE_AFTER_MS = 10 * 60_000;

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
 */
function shownAnswer(item: QueueItem): QueueItem["answer"] {
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
  const by = queueApprover({
    claimed: answer.by,
    ownerUid: item.answerOwner,
    ownUid,
    ownName: ownUid === null ? undefined : passwdNameOf(ownUid),
    nameOf: passwdNameOf,
  });
  return { ...answer, by };
}

/**
 * One queued request for a terminal. Every field passes `displayText`: a
 * queue file is data, and control characters in it must not reach the
 * terminal (escape sequences, fake lines).
 */
function describeItem(item: QueueItem, now: number): string {
  const e = item.entry;
  const quoted = (text: string, max: number) => JSON.stringify(displayText(text, max));
  const rules = e.ruleIds.length > 0 ? e.ruleIds.map((r) => quoted(r, 200)).join(", ") : "policy";
  const why = e.reasons.length > 0
    ? ` (${e.reasons.map((r) => displayText(r, 400)).join("; ")})`
    : "";
  const state = item.state === "pending"
    ? left(e.expiresAt - now)
    : item.answerProblem !== undefined
    ? displayText(`refused: ${item.answerProblem}`, 600)
    : item.state === "settled"
    ? displayText(describeAnswer(shownAnswer(item)), 600)
    : item.state === "orphaned"
    ? describeOrphan(e)
    : "expired";
  // Names a server or a model chose, shown as every approval text shows them.
  const note = unusualNameNote([e.tool, e.server]);
  const lines = [
    `${e.id}  tool ${shownName(e.tool)} on server ${shownName(e.server)}  [${state}]`,
    ...(note === undefined ? [] : [`          ${note}`]),
    `          asked by rule ${rules}${why}; decision ${displayText(e.decisionId, 100)}`,
    ...(e.shape.length === 0
      ? ["          arguments: none"]
      : e.shape.map((s) => `          ${displayText(s, 300)}`)),
  ];
  return lines.join("\n") + "\n";
}

/** Reads lines from a byte stream, one at a time; null at the end. */
class LineReader {
  readonly #reader: ReadableStreamDefaultReader<string>;
  #buffer = "";
  #done = false;

  constructor(stream: ReadableStream<Uint8Array>) {
    this.#reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  }

  async next(): Promise<string | null> {
    while (true) {
      const cut = this.#buffer.indexOf("\n");
      if (cut >= 0) {
        const line = this.#buffer.slice(0, cut).replace(/\r$/, "");
        this.#buffer = this.#buffer.slice(cut + 1);
        return line;
      }
      if (this.#done) {
        if (this.#buffer === "") return null;
        const rest = this.#buffer;
        this.#buffer = "";
        return rest;
      }
      const { value, done } = await this.#reader.read();
      if (done) this.#done = true;
      else this.#buffer += value;
    }
  }

  cancel(): void {
    this.#reader.cancel().catch(() => {});
  }
}

/** Builds the `approvals` command; `input` is where `watch` reads answers (default stdin). */
export function approvalsCommand(
  io: CliIo,
  input: () => ReadableStream<Uint8Array> = () => Deno.stdin.readable,
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
  /** An answer as `approve --json` and `deny --json` print it. */
  const answerJson = (answer: QueueAnswer): string =>
    JSON.stringify(
      {
        id: answer.id,
        decision: answer.decision,
        by: answer.by,
        ...(answer.reason === undefined ? {} : { reason: answer.reason }),
        at: new Date(answer.at).toISOString(),
      },
      null,
      2,
    ) + "\n";
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
    .action(async (options) => {
      const q = await queue();
      // Pruning removes files: not as root in a queue another user keeps.
      if (!(await rootMustNotWrite(io.thothHome))) await q.prune(PRUNE_AFTER_MS).catch(() => 0);
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
              arguments: i.entry.shape,
              allowSession: i.entry.allowSession,
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
    .addHelpText("after", `\n${ID_SHAPE[0]!.toUpperCase()}${ID_SHAPE.slice(1)}; case is ignored.`)
    .option("--session", "also allow the same tool with the same arguments until the session ends")
    .option("--json", "print the answer written as JSON")
    .action(async (id, options) => {
      const answer = await settle(id, {
        decision: options.session ? "session" : "approve",
        by: user(),
      });
      io.out(options.json ? answerJson(answer) : `${answer.id}: ${describeAnswer(answer)}\n`);
    });

  command.command("deny")
    .description("refuse a waiting call; the model is told a person denied it")
    .argument("<id>", `the request id from "${program} approvals list"`)
    .addHelpText("after", `\n${ID_SHAPE[0]!.toUpperCase()}${ID_SHAPE.slice(1)}; case is ignored.`)
    .option("--reason <text>", "a short reason passed on to the model")
    .option("--json", "print the answer written as JSON")
    .action(async (id, options) => {
      const answer = await settle(id, {
        decision: "deny",
        by: user(),
        ...(options.reason === undefined ? {} : { reason: options.reason }),
      });
      io.out(options.json ? answerJson(answer) : `${answer.id}: ${describeAnswer(answer)}\n`);
    });

  command.command("watch")
    .description(
      "ask about each request as it arrives: y = allow once, s = allow for the session, n = deny",
    )
    .option(
      "--interval <ms>",
      "how often to look for new requests, 50 to 60000 ms",
      readInterval,
      500,
    )
    .action(async (options) => {
      const interval = options.interval;
      const q = await answeringQueue();
      const lines = new LineReader(input());
      const asked = new Set<string>();
      io.err(
        `${program}: watching ${q.dir} for approval requests (end input or press Ctrl-C to stop)\n`,
      );
      // One read is always outstanding, so the end of input is seen even while idle.
      let nextLine = lines.next();
      try {
        while (true) {
          const pending = (await q.list()).filter((i) =>
            i.state === "pending" && !asked.has(i.entry.id)
          );
          const item = pending[0];
          if (item === undefined) {
            let timer: ReturnType<typeof setTimeout> | undefined;
            const idle = await Promise.race([
              nextLine.then((line) => ({ line })),
              new Promise<undefined>((resolve) =>
                timer = setTimeout(() => resolve(undefined), interval)
              ),
            ]);
            clearTimeout(timer);
            if (idle !== undefined) {
              if (idle.line === null) return;
              nextLine = lines.next(); // typed with nothing asked: ignored
            }
            continue;
          }
          asked.add(item.entry.id);
          io.out(describeItem(item, Date.now()));
          const choices = item.entry.allowSession ? "y/n/s" : "y/n";
          io.out(`allow it? [${choices}, Enter skips] `);
          const line = await nextLine;
          if (line === null) {
            io.out("\n");
            return;
          }
          nextLine = lines.next();
          const key = line.trim().toLowerCase();
          const decision = key === "y" || key === "yes"
            ? "approve"
            : (key === "s" || key === "session") && item.entry.allowSession
            ? "session"
            : key === "n" || key === "no"
            ? "deny"
            : undefined;
          if (decision === undefined) {
            io.out(`${item.entry.id}: skipped (still waiting for someone else)\n`);
            continue;
          }
          try {
            const answer = await q.settle(item.entry.id, { decision, by: user() });
            io.out(`${answer.id}: ${describeAnswer(answer)}\n`);
          } catch (error) {
            if (!(error instanceof AppError)) throw error;
            io.err(`${program}: ${error.message}\n`);
          }
        }
      } finally {
        lines.cancel();
      }
    });
  return command;
}
