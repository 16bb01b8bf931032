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
import { MAX_KEY_INPUT, moreThanOneLine, tooLong } from "./api_key_input_refusals.ts";
import { readKeyFromStdin } from "./read_key_from_stdin.ts";

/**
 * Reads all of standard input as text; `prompt`, when given, is shown once
 * the terminal no longer shows what is typed.
 */
export type StdinReader = (prompt?: () => void) => Promise<string>;

/** What to do about a key {@linkcode tokenProblem} refuses, by the rule it broke. */
const KEY_FIXES: ReadonlyMap<string, string> = new Map([
  [QUOTED_TOKEN_RULE, 'pass the key without the quotes: with jq, use "jq -r"'],
  [BEARER_PREFIX_RULE, 'pass the key alone, without "Bearer " in front'],
  [NOT_A_TOKEN_RULE, "copy the key itself: what was copied holds no key"],
]);

/** Builds the `set-api-key` subcommand. */
export function setApiKeyCommand(io: CliIo, readStdin: StdinReader = readKeyFromStdin) {
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
