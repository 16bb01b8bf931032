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
 * read. A profile folder (or its `sessions/`) another user owns or others
 * may write to gets no key (`io.shared_profile`): that user could plant a
 * session token used before it. A `THOTH_API_KEY_FILE` that names a folder
 * is refused before anything is made.
 *
 * @example
 * ```sh
 * pbpaste | thoth set-api-key --api-key -
 * ```
 */
import { Command } from "@commander-js/extra-typings";
import { AppError } from "../errors.ts";
import { bootstrapProfile } from "../identity/bootstrap_profile.ts";
import { refuseSharedProfile } from "../identity/refuse_shared_profile.ts";
import { Secret } from "../identity/secret.ts";
import { type ThothEnv, validateThothEnv } from "../identity/validate_thoth_env.ts";
import { sessionFilePath } from "../identity/session_file_path.ts";
import { deriveTenantUrls } from "../identity/tenant_urls.ts";
import { writeApiKeyFile } from "../identity/write_api_key_file.ts";
import { joinPath } from "../platform/join_path.ts";
import type { CliIo } from "./cli_io.ts";

/** Reads all of standard input as text. */
export type StdinReader = () => Promise<string>;

const MAX_KEY_INPUT = 64 * 1024;
const TOKEN = /^[\x21-\x7e]{1,16384}$/;

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
        "THOTH_AUTH_TOKEN_FILE, the tenant's session file\n" +
        "  (THOTH_HOME/sessions/<tenant>--<host>--admin-token.jwt; remove it to use the key),\n" +
        'and THOTH_API_KEY. "thoth doctor" shows which one is used.',
    )
    .action(async ({ apiKey }) => {
      let raw = apiKey;
      if (apiKey === "-") {
        if (io.stdinIsTty) {
          io.err("thoth: paste the API key, then press Enter (it is not shown)\n");
        }
        raw = await readStdin();
        if (raw.length > MAX_KEY_INPUT) throw tooLong();
        raw = raw.replace(/\r?\n$/, "").trim();
      }
      if (raw === "") {
        throw new AppError("usage.bad_api_key", "the API key is empty", {
          hints: ['pass the key with --api-key, or pipe it to "thoth set-api-key --api-key -"'],
        });
      }
      const key = new Secret(raw);
      if (!TOKEN.test(raw)) {
        throw new AppError(
          "usage.bad_api_key",
          `the API key (fingerprint ${key.fingerprint}) must be 1 to 16384 visible ASCII characters with no spaces`,
          { hints: ["check that you copied only the key"] },
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
      if (env.apiKeyFile === null) {
        // Another user who can change the profile could plant a session token used before it.
        await refuseSharedProfile(io.thothHome, "the API key");
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
async function readDenoStdin(): Promise<string> {
  if (Deno.stdin.isTerminal()) return await readHiddenLine(Deno.stdin);
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
export interface HiddenLineTerminal {
  setRaw(mode: boolean): void;
  read(buffer: Uint8Array): Promise<number | null>;
}

/**
 * One line typed or pasted at a terminal, with echo off: the terminal is put
 * in raw mode, so this handles the keys itself: Enter (or Ctrl-D) ends the
 * line, Backspace takes back a character, Ctrl-U the whole line, arrow
 * keys are ignored, and Ctrl-C cancels (`usage.cancelled`, exit 130). The terminal is restored however it
 * ends. A line past the limit is refused.
 *
 * @example
 * ```ts
 * const key = await readHiddenLine(Deno.stdin);
 * ```
 */
export async function readHiddenLine(terminal: HiddenLineTerminal): Promise<string> {
  const buffer = new Uint8Array(1024);
  const line: number[] = [];
  // Inside an escape sequence (an arrow key): 1 after ESC, 2 after "ESC [".
  let escape = 0;
  terminal.setRaw(true);
  try {
    for (;;) {
      const n = await terminal.read(buffer);
      if (n === null) break;
      for (const byte of buffer.subarray(0, n)) {
        if (escape === 1) {
          escape = byte === 0x5b || byte === 0x4f ? 2 : 0;
          continue;
        }
        if (escape === 2) {
          if (byte >= 0x40 && byte <= 0x7e) escape = 0;
          continue;
        }
        if (byte === 0x1b) {
          escape = 1;
          continue;
        }
        if (byte === 0x0d || byte === 0x0a || byte === 0x04) {
          return new TextDecoder().decode(Uint8Array.from(line));
        }
        if (byte === 0x03) {
          throw new AppError("usage.cancelled", "cancelled: no API key was saved", {
            exitCode: 130,
          });
        }
        if (byte === 0x7f || byte === 0x08) line.pop();
        else if (byte === 0x15) line.length = 0;
        else if (byte >= 0x20) {
          line.push(byte);
          if (line.length > MAX_KEY_INPUT) throw tooLong();
        }
      }
    }
    return new TextDecoder().decode(Uint8Array.from(line));
  } finally {
    terminal.setRaw(false);
    // Raw mode leaves the cursor where the line ended: the next line starts afresh.
    try {
      Deno.stderr.writeSync(new TextEncoder().encode("\n"));
    } catch {
      // stderr closed: nothing to tidy.
    }
  }
}
