/**
 * The warning `wrap-config` and `unwrap-config` print after an `--api-key`
 * was taken out of an entry's args: the key was saved nowhere, and exactly
 * these files still hold it in plain text. The key itself is never printed.
 *
 * @example
 * ```ts
 * warnKeyLeft(io, ["db"], "c.json", "c.json", { written: "c.json", backupCreated: "c.json.thoth-backup" });
 * // thoth: warning: the API key taken out of the args of "db" was not saved anywhere, and is
 * //   still in plain text in the backup "c.json.thoth-backup" (mode 0600, readable by its owner only)
 * ```
 */
import type { CliIo } from "./cli_io.ts";
import type { WriteResult } from "../config/write_config.ts";
import { joinPath } from "../platform/join_path.ts";
import { displayText } from "../approval/display_text.ts";
import type { JudgedProfileFacts } from "./judged_profile.ts";

/** Where `thoth set-api-key` run in this shell saves a key. */
export function apiKeyFile(io: Pick<CliIo, "env" | "thothHome">): string {
  const named = io.env["THOTH_API_KEY_FILE"];
  return named === undefined || named === "" ? joinPath(io.thothHome, "proxy_api_key.json") : named;
}

/**
 * Where the key of the servers judged by `profile` belongs, and who saves
 * it there: this shell's {@linkcode apiKeyFile}, except when the servers are
 * judged by the config owner's profile (run as root, see
 * `judged_profile.ts`): then `proxy_api_key.json` in that profile (null when
 * the owner's profile is not known), saved by `thoth set-api-key` run as the
 * owner (`runAs`). This shell's `THOTH_API_KEY_FILE` is root's, not the
 * owner's, so it is not used then.
 *
 * @example
 * ```ts
 * keyStoreFor(io, { path: "/home/ana/.thoth", source: "owner", ownerUid: 1000, config: "/home/ana/c.json", notRead: [] });
 * // { file: "/home/ana/.thoth/proxy_api_key.json", runAs: 'uid 1000, who owns "/home/ana/c.json"' }
 * ```
 */
export function keyStoreFor(
  io: Pick<CliIo, "env" | "thothHome">,
  profile?: JudgedProfileFacts,
): KeyStore {
  if (profile?.source !== "owner") return { file: apiKeyFile(io), runAs: null };
  return {
    file: profile.path === null ? null : joinPath(profile.path, "proxy_api_key.json"),
    runAs: `uid ${profile.ownerUid}, who owns "${profile.config}"`,
  };
}

/** Where an API key belongs, and who must save it there (null: this user). */
export interface KeyStore {
  /** The file `thoth set-api-key` saves it to; null when not known. */
  file: string | null;
  /** Who must run `thoth set-api-key`, when not the user running this command. */
  runAs: string | null;
}

/**
 * What `wrap-config --api-key KEY` says: the key is saved nowhere (not
 * written into the config, not stored), and where it belongs (`store`, in the profile the servers are
 * judged by: `profile`, whose folder is named when it is the owner's).
 */
export function noteApiKeyFlag(io: CliIo, store: KeyStore, profile: JudgedProfileFacts): void {
  const home = store.runAs === null
    ? io.thothHome
    : `the thoth profile of ${store.runAs} (${
      profile.path === null ? "not known" : `"${profile.path}"`
    })`;
  const say = (line: string) => io.err(`${displayText(line, Infinity)}\n`);
  say(
    "thoth: note: the key given to --api-key was not saved anywhere: it is not written into " +
      `the config (credentials stay under ${home}, never in a client's args)`,
  );
  // "-": read from standard input, so the key stays out of shell history.
  say(`thoth: hint: save it with ${saveWith(store)}, which reads it from standard input`);
}

/** `"thoth set-api-key --api-key -"`, with who runs it and where it goes, as a hint names it. */
function saveWith(store: KeyStore): string {
  const runAs = store.runAs === null ? "" : ` run as ${store.runAs}`;
  const where = store.file === null
    ? " (it goes to proxy_api_key.json in that user's thoth profile)"
    : ` (it goes to "${store.file}")`;
  return `"thoth set-api-key --api-key -"${runAs}${where}`;
}

/**
 * After `--api-key` was taken out of the args of `servers`: exactly where the
 * key is still in plain text (the backup made now; the backup kept from an
 * earlier run when it holds the key, else the new backup made beside it; the
 * input, when --output wrote elsewhere), and how to save it (`store`, by
 * default this shell's: see {@linkcode keyStoreFor}). All backups holding it
 * are 0600 (the write was asked for a private backup). Prints nothing when
 * no file holds it.
 */
export function warnKeyLeft(
  io: CliIo,
  servers: readonly string[],
  input: string,
  output: string,
  written: WriteResult,
  store: KeyStore = keyStoreFor(io),
): void {
  const places: string[] = [];
  const owner = "(mode 0600, readable by its owner only)";
  if (written.backupCreated !== undefined) {
    places.push(`the backup "${written.backupCreated}" ${owner}`);
  } else if (written.secretBackupCreated !== undefined) {
    places.push(
      `the new backup "${written.secretBackupCreated}" ${owner}, made because the backup ` +
        `"${written.backupKept}" from an earlier run does not hold it`,
    );
  } else if (written.backupKept !== undefined && output === input) {
    places.push(`the backup "${written.backupKept}" kept from an earlier run ${owner}`);
  }
  if (output !== input) places.push(`the input "${input}"`);
  if (places.length === 0) return;
  const names = servers.map((name) => `"${name}"`).join(", ");
  // Server names and paths come from the config: no control character reaches the terminal.
  const say = (line: string) => io.err(`${displayText(line, Infinity)}\n`);
  say(
    `thoth: warning: the API key taken out of the args of ${names} was not saved anywhere, ` +
      `and is still in plain text in ${places.join(" and ")}`,
  );
  say(
    `thoth: hint: save it with ${saveWith(store)}, then remove it from ${
      places.length === 1 ? "that file" : "those files"
    }`,
  );
}
