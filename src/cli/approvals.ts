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
import { ApprovalQueue } from "../approval/approval_queue.ts";
import type { Settlement } from "../approval/settlement.ts";
import { approverName } from "../approval/approver_name.ts";
import { fromEarlierRelease, type QueueAnswer } from "../approval/queue_record.ts";
import { displayText } from "../approval/display_text.ts";
import { settledJson, settledLine } from "../approval/settled_line.ts";
import { AppError, isAppError } from "../errors.ts";
import { readNumberFlag } from "../config/read_number_flag.ts";
import type { CliIo } from "./cli_io.ts";
import { joinPath } from "../platform/join_path.ts";
import { effectiveUid, refuseUnsafeForRoot, rootMustNotWrite } from "../platform/root_safe_path.ts";
import { pruneQueue } from "../approval/prune_queue.ts";
import { requireProfileFolder } from "../identity/thoth_home_folder.ts";
import type { KeyTerminal } from "./watch_keys.ts";
import { checkId, ID_SHAPE } from "./approval_id_check.ts";
import { describeItem, shownAnswer } from "./approval_item_text.ts";
import { watchApprovals } from "./approvals_watch.ts";
import { answerGiven } from "./answer_terminal.ts";
import { refuseGovernedCaller } from "./governed_caller_check.ts";
import {
  laterReleaseJson,
  laterReleaseLines,
  laterStillWaiting,
} from "../approval/later_release_request.ts";

/** `watch --interval`: whole milliseconds between looks at the queue, 50 to 60000. */
function readInterval(value: string): number {
  return readNumberFlag("--interval", value, {
    min: 50,
    max: 60_000,
    expected: "whole milliseconds",
    fallback: 500,
  });
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
    // A person answers in a terminal of their own, not a model through a governed server's tool.
    const treeChecked = await refuseGovernedCaller(
      io.env,
      program,
      settlement.decision === "deny" ? "deny" : "approve",
    );
    const given = settlement.given === undefined ? undefined : { ...settlement.given, treeChecked };
    const q = await answeringQueue();
    try {
      return await q.settle(
        checkId(id, program),
        given === undefined ? settlement : { ...settlement, given },
      );
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

Any process running as your OS user can read and answer this queue; see the
README section "Approvals (STEP_UP) and their threat model". Answer in a
terminal of your own: run by an MCP server thoth governs (or anything it
starts), list, approve, deny and watch refuse, and a tool call that runs
them is blocked (rule thoth.approval_command). On Linux and macOS they read
the process tree with ps (/bin/ps or /usr/bin/ps) and refuse when they
cannot; on Windows only the THOTH_GOVERNED_BY variable is checked.

Examples:
  ${program} approvals list                  what is waiting, with rule and argument shape
  ${program} approvals approve k3f9x2qa      let that one call run once
  ${program} approvals approve k3f9x2qa --session
                                        also allow the same tool and arguments until the session ends
  ${program} approvals deny k3f9x2qa --reason "not on production"
  ${program} approvals watch                 ask y/n/s for each request as it arrives`,
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
      // The ids it shows are what an answer needs: not for a model through a governed server.
      await refuseGovernedCaller(io.env, program, "list");
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
      // Queued by a later release: not readable here, but said, with who can answer them.
      const laterRequests = q.laterRequests().filter((l) =>
        options.all || laterStillWaiting(l, now)
      );
      const later = laterReleaseLines(laterRequests, program);
      if (options.json) {
        for (const line of later) io.err(`${program}: note: ${line}\n`);
        io.out(
          JSON.stringify(
            [
              ...items.map((i) => ({
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
                // How a person's answer says it was given (see answer_given.ts), when it says.
                ...(i.answerProblem !== undefined || i.answer?.given === undefined
                  ? {}
                  : { answerTerminal: i.answer.given.terminal }),
                ...(i.answer && i.answerProblem !== undefined
                  ? { answer: { decision: "deny", problem: i.answerProblem } }
                  : i.answer
                  ? {
                    answer: {
                      decision: i.answer.decision,
                      by: shownAnswer(i)?.by ?? i.answer.by,
                      claimedBy: i.answer.by,
                      ...(i.answer.given === undefined ? {} : { given: i.answer.given }),
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
              ...laterRequests.map(laterReleaseJson),
            ],
            null,
            2,
          ) + "\n",
        );
        return;
      }
      if (items.length === 0 && later.length > 0) {
        io.out(`no approval requests this ${program} can read are waiting\n`);
      } else if (items.length === 0) {
        io.out(options.all ? "no approval requests\n" : "no approval requests are waiting\n");
        return;
      }
      for (const item of items) io.out(describeItem(item, now));
      for (const line of later) io.out(`${line}\n`);
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
        given: await answerGiven("cli"),
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
        given: await answerGiven("cli"),
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

Exit status:
  0    stopped with Ctrl-D, or the terminal's input ended (the answers given
       stand)
  1    the approvals queue could not be read or used (a profile that is not a
       folder; run as root, a queue another user keeps)
  2    standard input is not a terminal (nothing was answered), or a bad
       --interval
  130  stopped with Ctrl-C (a question left open still waits); 129 and 143
       when stopped by SIGHUP and SIGTERM

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
      const treeChecked = await refuseGovernedCaller(io.env, program, "watch");
      await watchApprovals(io, program, {
        treeChecked,
        interval: options.interval,
        input,
        answeringQueue,
        user,
      });
    });
  return command;
}
