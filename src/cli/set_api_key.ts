/**
 * `thoth set-api-key --api-key KEY` (or `--api-key -` to read the key from
 * standard input, keeping it out of shell history): saves the break-glass API
 * key to `THOTH_API_KEY_FILE`, by default `<thothHome>/proxy_api_key.json`,
 * atomically with mode 0600. Prints only the key's fingerprint.
 *
 * @example
 * ```sh
 * pbpaste | thoth set-api-key --api-key -
 * ```
 */
import { Command } from "@commander-js/extra-typings";
import { AppError } from "../errors.ts";
import { bootstrapProfile } from "../identity/bootstrap_profile.ts";
import { Secret } from "../identity/secret.ts";
import { validateThothEnv } from "../identity/validate_thoth_env.ts";
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
      '\nUse "--api-key -" to keep the key out of your shell history:\n  pbpaste | thoth set-api-key --api-key -',
    )
    .action(async ({ apiKey }) => {
      let raw = apiKey;
      if (apiKey === "-") {
        if (io.stdinIsTty) io.err("thoth: paste the API key, then press Enter and Ctrl-D\n");
        raw = await readStdin();
        if (raw.length > MAX_KEY_INPUT) {
          throw new AppError("usage.bad_api_key", "the API key on standard input is too long", {
            hints: ["pipe only the key itself"],
          });
        }
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
      const explicitFile = validated.ok ? validated.env.apiKeyFile : null;
      if (explicitFile === null) {
        const { notices } = await bootstrapProfile(io.thothHome, Deno.build.os);
        for (const notice of notices) io.err(`thoth: ${notice}\n`);
      }
      const path = explicitFile ?? joinPath(io.thothHome, "proxy_api_key.json");
      await writeApiKeyFile(path, key, new Date());
      io.out(`saved API key ${key.fingerprint} to "${path}" (mode 0600)\n`);
      if (apiKey !== "-") {
        io.err(
          'thoth: note: the key may now be in your shell history; "--api-key -" reads it from standard input\n',
        );
      }
      if (validated.ok) {
        const e = validated.env;
        const higher = [
          e.runtimeBearerToken === null ? null : "THOTH_RUNTIME_BEARER_TOKEN",
          e.authToken === null ? null : "THOTH_AUTH_TOKEN",
          e.authTokenFile === null ? null : "THOTH_AUTH_TOKEN_FILE",
          e.apiKey === null ? null : "THOTH_API_KEY",
        ].filter((v) => v !== null);
        if (higher.length > 0) {
          io.err(`thoth: note: ${higher.join(", ")} is set and takes precedence over this key\n`);
        }
      }
    });
}

async function readDenoStdin(): Promise<string> {
  return await new Response(Deno.stdin.readable).text();
}
