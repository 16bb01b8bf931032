/**
 * `thoth set-api-key --api-key KEY` (or `--api-key -` to read the key from
 * standard input, keeping it out of shell history): saves the break-glass API
 * key to `THOTH_API_KEY_FILE`, by default `<thothHome>/proxy_api_key.json`,
 * atomically with mode 0600. Prints only the key's fingerprint. Refuses when
 * the environment is invalid (a relative `THOTH_API_KEY_FILE` or `THOTH_HOME`
 * among it): it cannot tell where the key should go, and a key saved where
 * thoth does not look is a key that silently does nothing. Says which
 * credentials are used before the key, the tenant's session file included.
 * Typed at a terminal, the key is not shown; piped, no more than 64 KiB is
 * read. Input of more than one line is refused either way, and so is a key
 * in quotes (as `jq` without `-r` prints it), after `Bearer `, or that is
 * `null`, `true` or a JSON array (see `tokenProblem`). A profile folder (or its `sessions/`) another user owns or others
 * may write to, or one under a folder another user can change, gets no key
 * (`io.shared_profile`): that user could plant a session token used before
 * it. With `THOTH_API_KEY_FILE` set the profile is judged too when a tenant
 * is set, since the tenant's session file is read from it. A
 * `THOTH_API_KEY_FILE` that names a folder is refused before anything is made,
 * and so is one in a folder another user can replace the file in
 * (`credentials.shared_folder`: another user's, or writable by others without
 * the sticky bit), by the rule `thoth doctor` applies to that folder.
 *
 * @example
 * ```sh
 * pbpaste | thoth set-api-key --api-key -
 * ```
 */
import { Command } from "@commander-js/extra-typings";
import { AppError } from "../errors.ts";
import { type RawTerminal, restoreOnSignals, TerminalChunks } from "./raw_terminal.ts";
import { bootstrapProfile } from "../identity/bootstrap_profile.ts";
import { refuseSharedProfile } from "../identity/refuse_shared_profile.ts";
import { Secret } from "../identity/secret.ts";
import { type ThothEnv, validateThothEnv } from "../identity/validate_thoth_env.ts";
import { sessionFilePath } from "../identity/session_file_path.ts";
import { deriveTenantUrls } from "../identity/tenant_urls.ts";
import { writeApiKeyFile } from "../identity/write_api_key_file.ts";
import { joinPath } from "../platform/join_path.ts";
import {
  BEARER_PREFIX_RULE,
  NOT_A_TOKEN_RULE,
  QUOTED_TOKEN_RULE,
  TOKEN_RULE,
  tokenProblem,
} from "../identity/token_problem.ts";
import type { CliIo } from "./cli_io.ts";

/**
 * Reads all of standard input as text; `prompt`, when given, is shown once
 * the terminal no longer shows what is typed.
 */
export type StdinReader = (prompt?: () => void) => Promise<string>;

const MAX_KEY_INPUT = 64 * 1024;

/** What to do about a key {@linkcode tokenProblem} refuses, by the rule it broke. */
const KEY_FIXES: ReadonlyMap<string, string> = new Map([
  [QUOTED_TOKEN_RULE, 'pass the key without the quotes: with jq, use "jq -r"'],
  [BEARER_PREFIX_RULE, 'pass the key alone, without "Bearer " in front'],
  [NOT_A_TOKEN_RULE, "copy the key itself: what was copied holds no key"],
]);

/** Builds the `set-api-key` subcommand. */
export function setApiKeyCommand(io: CliIo, readStdin: StdinReader = readDenoStdin) {
  return new Command("set-api-key")
    .description("save the API key thoth uses when no SSO token is set (mode 0600)")
    .requiredOption("--api-key <key>", 'the key, or "-" to read it from standard input')
    .addHelpText(
      "after",
      '\nUse "--api-key -" to keep the key out of your shell history:\n  pbpaste | thoth set-api-key --api-key -' +
        "\n\nWhere it goes: the file THOTH_API_KEY_FILE names when it is set, else\n" +
        `  ${joinPath(io.thothHome, "proxy_api_key.json")}\n` +
        "(replaced atomically, mode 0600). It is the last credential thoth tries; these are\n" +
        "used before it when present: THOTH_RUNTIME_BEARER_TOKEN, THOTH_AUTH_TOKEN,\n" +
        "THOTH_AUTH_TOKEN_FILE, the tenant's session file (remove it to use the key):\n" +
        "  THOTH_HOME/sessions/<tenant>--<host>--admin-token.jwt\n" +
        'and THOTH_API_KEY. "thoth doctor" shows which one is used.\n' +
        "\nExit status:\n" +
        "  0    saved (notes on stderr say what is used before it)\n" +
        "  1    not saved: an identity variable is invalid, the profile or key file is\n" +
        "       unsafe (others can change it, a link), or the file cannot be written\n" +
        "  2    not saved: the key is refused (empty, quoted, more than one line, too\n" +
        "       long) or the command line is (no --api-key)\n" +
        "  130  not saved: Ctrl-C while the key was typed",
    )
    .action(async ({ apiKey }) => {
      let raw = apiKey;
      if (apiKey === "-") {
        raw = await readStdin(
          io.stdinIsTty
            ? () => io.err("thoth: paste the API key, then press Enter (it is not shown)\n")
            : undefined,
        );
        if (raw.length > MAX_KEY_INPUT) throw tooLong();
        raw = raw.replace(/\r?\n$/, "").trim();
        if (/[\r\n]/.test(raw)) throw moreThanOneLine();
      }
      if (raw === "") {
        throw new AppError("usage.bad_api_key", "the API key is empty", {
          hints: ['pass the key with --api-key, or pipe it to "thoth set-api-key --api-key -"'],
        });
      }
      const key = new Secret(raw);
      const problem = tokenProblem(raw);
      if (problem !== null) {
        throw new AppError(
          "usage.bad_api_key",
          `the API key (fingerprint ${key.fingerprint}) is not valid: it must be ${
            problem === TOKEN_RULE
              ? "1 to 16384 visible ASCII characters with no spaces or line breaks"
              : problem
          }; nothing was saved`,
          { hints: [KEY_FIXES.get(problem) ?? "check that you copied only the key"] },
        );
      }
      const validated = validateThothEnv(io.env);
      const defaultFile = joinPath(io.thothHome, "proxy_api_key.json");
      if (!validated.ok) {
        const variables = validated.problems.map((p) => p.variable).join(", ");
        throw new AppError(
          "identity.invalid_env",
          `not saving the API key: ${validated.problems.map((p) => p.message).join("; ")}`,
          {
            hints: [
              `fix or unset ${variables}, then run the command again (the key goes to ` +
              `THOTH_API_KEY_FILE when it is set, else "${defaultFile}")`,
            ],
          },
        );
      }
      const env = validated.env;
      if (env.apiKeyFile === null || env.tenantId !== null) {
        // Another user who can change the profile could plant a session token used before
        // the key: the tenant's session file is looked for there wherever the key goes.
        await refuseSharedProfile(io.thothHome, "the API key");
      }
      if (env.apiKeyFile === null) {
        const { notices } = await bootstrapProfile(io.thothHome, Deno.build.os);
        for (const notice of notices) io.err(`thoth: ${notice}\n`);
      }
      const path = env.apiKeyFile ?? defaultFile;
      await writeApiKeyFile(
        path,
        key,
        new Date(),
        env.apiKeyFile === null ? undefined : "THOTH_API_KEY_FILE",
      );
      io.out(`saved API key ${key.fingerprint} to "${path}" (mode 0600)\n`);
      if (apiKey !== "-") {
        io.err(
          'thoth: note: the key may now be in your shell history; "--api-key -" reads it from standard input\n',
        );
      }
      const higher = [
        env.runtimeBearerToken === null ? null : "THOTH_RUNTIME_BEARER_TOKEN",
        env.authToken === null ? null : "THOTH_AUTH_TOKEN",
        env.authTokenFile === null ? null : "THOTH_AUTH_TOKEN_FILE",
        env.apiKey === null ? null : "THOTH_API_KEY",
      ].filter((v) => v !== null);
      if (higher.length > 0) {
        io.err(
          `thoth: note: ${higher.join(", ")} ${higher.length === 1 ? "is" : "are"} set and take${
            higher.length === 1 ? "s" : ""
          } precedence over this key\n`,
        );
      }
      const session = await existingSessionFile(io.thothHome, env);
      if (session !== null) {
        io.err(
          `thoth: note: the tenant session file "${session}" exists and takes precedence: ` +
            "this key is never used while that file is there; remove the file to use the key\n",
        );
      }
    });
}

/** The tenant's session file when it exists (it is used before any API key), else null. */
async function existingSessionFile(thothHome: string, env: ThothEnv): Promise<string | null> {
  if (env.tenantId === null || env.apexDomain === null) return null;
  const path = sessionFilePath(
    thothHome,
    env.tenantId,
    deriveTenantUrls(env.tenantId, env.apexDomain).govapiHost,
  );
  try {
    await Deno.lstat(path);
    return path;
  } catch {
    return null;
  }
}

function moreThanOneLine(): AppError {
  return new AppError(
    "usage.bad_api_key",
    "the API key on standard input is more than one line: nothing was saved",
    { hints: ["paste or pipe only the key, on one line"] },
  );
}

function tooLong(): AppError {
  return new AppError("usage.bad_api_key", "the API key on standard input is too long", {
    hints: ["pipe only the key itself"],
  });
}

/**
 * Standard input as text: typed at a terminal without being shown (see
 * {@linkcode readHiddenLine}), else read in chunks and refused as soon as it
 * is past the limit (a key is short; what is piped may not be).
 */
async function readDenoStdin(prompt?: () => void): Promise<string> {
  if (Deno.stdin.isTerminal()) return await readHiddenLine(Deno.stdin, prompt);
  prompt?.();
  const decoder = new TextDecoder();
  const buffer = new Uint8Array(16 * 1024);
  let text = "";
  let total = 0;
  for (;;) {
    const n = await Deno.stdin.read(buffer);
    if (n === null) break;
    total += n;
    if (total > MAX_KEY_INPUT) throw tooLong();
    text += decoder.decode(buffer.subarray(0, n), { stream: true });
  }
  return text + decoder.decode();
}

/** The terminal {@linkcode readHiddenLine} reads from. */
export type HiddenLineTerminal = RawTerminal;

/** How long the terminal must stay quiet before what was pasted counts as all there. */
const QUIET_MS = 100;
/** The longest thoth keeps discarding input that goes on arriving (a paste, a stuck key). */
const DISCARD_MS = 3_000;
/** The longest thoth reads on to the end of a line past the limit. */
const TOO_LONG_MS = 10_000;

/** The longest escape sequence kept whole; a longer one ends there. */
const MAX_ESCAPE = 16;

/** What a drain read and dropped, and whether input was still arriving when it gave up. */
interface Drained {
  dropped: Uint8Array[];
  stillArriving: boolean;
}

/**
 * Reads a terminal one chunk at a time, with an optional wait: a read that
 * has not finished when the wait ends stays pending and is the next read's
 * (a read that fails is thrown to whoever waits).
 */
class TerminalInput extends TerminalChunks {
  constructor(terminal: HiddenLineTerminal) {
    super(terminal, { failedReadEnds: false });
  }

  /**
   * Reads and drops whatever arrives until the terminal is quiet, for no
   * longer than `boundMs`: says what it dropped, and whether input was still
   * arriving when the bound ended (what comes after is left for the shell).
   */
  async discardPending(quietMs = QUIET_MS, boundMs = DISCARD_MS): Promise<Drained> {
    const end = Date.now() + boundMs;
    const dropped: Uint8Array[] = [];
    for (;;) {
      let chunk: Uint8Array | null | "quiet";
      try {
        chunk = await this.next(quietMs);
      } catch {
        // Nothing more can be read: nothing is left for the shell either.
        return { dropped, stillArriving: false };
      }
      if (chunk === null || chunk === "quiet") return { dropped, stillArriving: false };
      dropped.push(chunk);
      if (Date.now() >= end) return { dropped, stillArriving: true };
    }
  }
}

/** A bracketed paste's start or end marker, which terminals put around what is pasted. */
const PASTE_MARKERS = new Set(["\x1b[200~", "\x1b[201~"]);

/** Whether `chunks`, joined, hold more than white space and paste markers. */
function holdsText(chunks: readonly Uint8Array[]): boolean {
  const text = chunks.map((chunk) => String.fromCharCode(...chunk)).join("");
  return /[^ \t\r\n]/.test(text.replaceAll("\x1b[200~", "").replaceAll("\x1b[201~", ""));
}

/** Refused when input went on arriving past the limit: what followed went to the shell. */
function stillArriving(when: string): AppError {
  return new AppError(
    "usage.bad_api_key",
    `input was still arriving ${when} after ${
      DISCARD_MS / 1000
    } seconds: nothing was saved, and what came after that went to the shell`,
    { hints: ["paste only the key, then press Enter; check what the shell ran"] },
  );
}

/** Writes `text` to stderr, as is (in raw mode a line ends with "\r\n"). */
function writeErr(text: string): void {
  try {
    Deno.stderr.writeSync(new TextEncoder().encode(text));
  } catch {
    // stderr closed: nothing to tell.
  }
}

/**
 * One line typed or pasted at a terminal, with echo off. The terminal is put
 * in raw mode before `prompt` is shown (what was typed earlier, and shown, is
 * dropped), so this handles the keys itself: Enter (or Ctrl-D) ends the line
 * (empty lines before it are skipped: a paste may bring its own line end
 * first), Backspace takes back a character, Ctrl-U the whole line, and
 * Ctrl-C cancels (`usage.cancelled`, exit 130). Bracketed-paste markers are
 * dropped; any other control character or key (Tab, an arrow key) is kept,
 * so the key is refused rather than saved other than it was typed; a control
 * character (Enter, Ctrl-C, Ctrl-D) ends an escape sequence under way and
 * then does what it does, and a sequence ends after 16 bytes. Before the
 * terminal is restored, whatever else arrives is read and dropped until the
 * terminal is quiet, so none of it reaches the shell; a line past the limit
 * is read to its end first, then refused. More than white space after the
 * line (a paste of several lines) refuses the key, as piped input of several
 * lines is; what was typed before the prompt is dropped, and said to be.
 * Input still arriving after 3 seconds of dropping refuses the key, saying
 * that what came after went to the shell. A SIGHUP, SIGINT, SIGQUIT or
 * SIGTERM while it reads restores the terminal and exits with 128 + its
 * number; a SIGTSTP restores it and stops, and on SIGCONT (after any stop)
 * the terminal is put back in raw mode and the prompt shown again.
 *
 * @example
 * ```ts
 * const key = await readHiddenLine(Deno.stdin);
 * ```
 */
export async function readHiddenLine(
  terminal: HiddenLineTerminal,
  prompt?: () => void,
): Promise<string> {
  const input = new TerminalInput(terminal);
  const restore = () => {
    terminal.setRaw(false);
    // Raw mode leaves the cursor where the line ended: the next line starts afresh.
    try {
      Deno.stderr.writeSync(new TextEncoder().encode("\n"));
    } catch {
      // stderr closed: nothing to tidy.
    }
  };
  let reading = false;
  terminal.setRaw(true);
  const stopListening = restoreOnSignals({
    end: restore,
    stop: restore,
    // Not stopped: the terminal is raw again.
    notStopped: () => terminal.setRaw(true),
    continued: () => {
      try {
        terminal.setRaw(true);
      } catch {
        return; // Not the terminal's foreground: the next SIGCONT (fg) tries again.
      }
      if (reading) prompt?.();
    },
  });
  let drained = false;
  try {
    // Typed before the prompt, it was shown: it is no part of the key.
    const early = await input.discardPending(QUIET_MS / 2);
    if (early.stillArriving) {
      drained = true;
      throw stillArriving("before thoth asked for the key");
    }
    if (holdsText(early.dropped)) {
      writeErr("thoth: what was typed before this prompt was dropped (it was shown)\r\n");
    }
    reading = true;
    prompt?.();
    const { line, rest } = await readLine(input);
    reading = false;
    const after = await input.discardPending();
    drained = true;
    if (after.stillArriving) throw stillArriving("after the key");
    if (holdsText([rest, ...after.dropped])) throw moreThanOneLine();
    return line;
  } finally {
    reading = false;
    try {
      if (!drained) {
        const after = await input.discardPending();
        if (after.stillArriving) {
          writeErr(
            `thoth: input was still arriving after ${
              DISCARD_MS / 1000
            } seconds: what came after that went to the shell\r\n`,
          );
        }
      }
    } finally {
      stopListening();
      restore();
    }
  }
}

/**
 * The keys of {@linkcode readHiddenLine}, from `input` in raw mode: the line,
 * and what came after its end in the same read.
 */
async function readLine(input: TerminalInput): Promise<{ line: string; rest: Uint8Array }> {
  const line: number[] = [];
  const done = (rest: Uint8Array) => ({
    line: new TextDecoder().decode(Uint8Array.from(line)),
    rest,
  });
  // An escape sequence under way ("ESC", "ESC [", "ESC [ 2 0 0"…).
  let escape: number[] = [];
  for (;;) {
    const chunk = await input.read();
    if (chunk === null) break;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (escape.length > 0 && byte >= 0x20) {
        escape.push(byte);
        const final = escape.length === 2
          ? !(byte === 0x5b || byte === 0x4f)
          : byte >= 0x40 && byte <= 0x7e;
        if (!final && escape.length < MAX_ESCAPE) continue;
        const sequence = String.fromCharCode(...escape);
        // An arrow key or any other key sent as a sequence: kept, so the key is refused.
        if (!PASTE_MARKERS.has(sequence)) line.push(...escape);
        escape = [];
      } else if (escape.length > 0 && byte !== 0x1b) {
        // A control character ends the sequence (kept, so the key is refused), then counts.
        line.push(...escape);
        escape = [];
        i--;
        continue;
      } else if (byte === 0x1b) {
        line.push(...escape);
        escape = [byte];
      } else if (byte === 0x0d || byte === 0x0a) {
        // An empty line before the key: a paste that brings its own line end first.
        if (line.length > 0) return done(chunk.subarray(i + 1));
      } else if (byte === 0x04) {
        return done(chunk.subarray(i + 1));
      } else if (byte === 0x03) {
        throw new AppError("usage.cancelled", "cancelled: no API key was saved", {
          exitCode: 130,
        });
      } else if (byte === 0x7f || byte === 0x08) {
        line.pop();
      } else if (byte === 0x15) {
        line.length = 0;
      } else {
        line.push(byte);
      }
      if (line.length > MAX_KEY_INPUT) {
        await readToLineEnd(input, chunk.subarray(i + 1));
        throw tooLong();
      }
    }
  }
  line.push(...escape);
  return done(new Uint8Array());
}

/**
 * Reads and drops the rest of a line past the limit (`rest` is what came
 * with its last part), for no longer than a bound: none of it is left for the
 * shell.
 */
async function readToLineEnd(input: TerminalInput, rest: Uint8Array): Promise<void> {
  const ends = (chunk: Uint8Array) =>
    chunk.some((b) => b === 0x0d || b === 0x0a || b === 0x03 || b === 0x04);
  if (ends(rest)) return;
  const end = Date.now() + TOO_LONG_MS;
  for (;;) {
    const left = end - Date.now();
    if (left <= 0) return;
    const chunk = await input.next(left);
    if (chunk === null || chunk === "quiet" || ends(chunk)) return;
  }
}
