/**
 * What is said and done when a private audit key is gone from beside a log
 * that holds records. thoth makes no new key there: a new signing key is one
 * no key rotation endorses (a rotation is signed by the old key), so `thoth
 * audit verify` would report every checkpoint it signs as signed by an
 * unknown key (tampering); a new HMAC key would leave the argument digests
 * already in the log unmatchable against values. The remedies: restore the
 * key from a backup; a signing key lost for good ends the log, which is
 * kept as evidence (with its keys, so `verify` still checks it) while the
 * next session starts a new one; an HMAC key lost for good is replaced on
 * purpose, by hand. Pure.
 *
 * @example
 * ```ts
 * throw keyMissingError("/home/ana/.thoth", "signing"); // audit.key_missing
 * keepLogCommand("/home/ana/.thoth");
 * // "mkdir -m 700 '/home/ana/.thoth/audit-key-lost' && mv '/home/ana/.thoth/audit' '/home/ana/.thoth/keys' '/home/ana/.thoth/audit-key-lost/'"
 * ```
 */
import { AppError } from "../errors.ts";
import { shellQuote } from "../doctor/shell_quote.ts";
import { auditPaths } from "./log_paths.ts";

/** Which private key: the Ed25519 key that signs checkpoints, or the HMAC key of digests. */
export type AuditKeyKind = "signing" | "hmac";

/** The folder, in the profile, that a log whose signing key is lost is kept in. */
export const KEPT_LOG_FOLDER = "audit-key-lost";

/**
 * The command that moves the log and its keys into a new folder of the
 * profile, {@linkcode KEPT_LOG_FOLDER} (it fails, moving nothing, when that
 * folder exists): the next governed session then starts a new log with new
 * keys, and `THOTH_HOME=<that folder> thoth audit verify` still checks the
 * old one.
 */
export function keepLogCommand(thothHome: string): string {
  const paths = auditPaths(thothHome);
  const kept = keptLogFolder(thothHome);
  return `mkdir -m 700 ${shellQuote(kept)} && ` +
    `mv ${shellQuote(paths.dir)} ${shellQuote(paths.keysDir)} ${shellQuote(`${kept}/`)}`;
}

/** Where {@linkcode keepLogCommand} keeps the log. */
export function keptLogFolder(thothHome: string): string {
  return `${auditPaths(thothHome).dir.slice(0, -"/audit".length)}/${KEPT_LOG_FOLDER}`;
}

/**
 * What to do about the private key of `kind` missing (or not the log's)
 * beside a log that holds records: restore it (`keyName`, when known, names
 * the key to restore), or what to do when it is lost for good.
 */
export function lostKeyHints(
  thothHome: string,
  kind: AuditKeyKind,
  keyName: string | null = null,
): string[] {
  const paths = auditPaths(thothHome);
  const path = kind === "signing" ? paths.signingKey : paths.hmacKey;
  const restore = `restore ${shellQuote(path)} from a backup of this profile` +
    (keyName === null ? "" : ` (the key ${keyName})`) + ', then run "thoth audit verify"';
  if (kind === "hmac") {
    return [
      restore,
      `if it is lost for good, write a new key on purpose: ${newHmacKeyCommand(path)}; the ` +
      "argument digests already in the log can then no longer be matched against values",
    ];
  }
  return [
    restore,
    "if it is lost for good, no key rotation can endorse a new key without it: keep this log " +
    `as evidence and let the next session start a new one: ${keepLogCommand(thothHome)} ` +
    `("THOTH_HOME=${shellQuote(keptLogFolder(thothHome))} thoth audit verify" still checks ` +
    "the old log)",
  ];
}

/**
 * What to do about an HMAC key that is empty or damaged: restore it; or keep
 * it as evidence and write a new one on purpose (thoth writes none over it,
 * and none beside a log that holds records).
 */
export function damagedHmacKeyHints(thothHome: string): string[] {
  const path = auditPaths(thothHome).hmacKey;
  return [
    `restore ${shellQuote(path)} from a backup of this profile`,
    `or move it aside, keeping it as evidence (mv ${shellQuote(path)} ` +
    `${shellQuote(`${path}.damaged`)}), and write a new key on purpose: ${
      newHmacKeyCommand(path)
    }; ` +
    "argument digests made with the old one can then no longer be matched against values",
  ];
}

/** The command that writes a new HMAC key at `path`: 32 random bytes, base64, mode 0600. */
function newHmacKeyCommand(path: string): string {
  return `(umask 077 && head -c 32 /dev/urandom | base64 > ${shellQuote(path)})`;
}

/**
 * The error of a writer that finds the private key of `kind` missing beside
 * a log that holds records (`audit.key_missing`). Its message names the code
 * and the first remedy too: a session that cannot open its log passes on the
 * message alone (with the hint to run `thoth doctor`, which says the rest).
 */
export function keyMissingError(thothHome: string, kind: AuditKeyKind): AppError {
  const paths = auditPaths(thothHome);
  const why = kind === "signing"
    ? `the audit signing key "${paths.signingKey}" is missing beside an audit log that ` +
      "holds records (audit.key_missing): thoth makes no new one there, since " +
      '"thoth audit verify" would not trust what it signs'
    : `the audit HMAC key "${paths.hmacKey}" is missing beside an audit log that holds ` +
      "records (audit.key_missing): thoth makes no new one in silence, since the log's " +
      "argument digests could then no longer be matched against values";
  return new AppError("audit.key_missing", `${why}; restore it from a backup of this profile`, {
    hints: lostKeyHints(thothHome, kind),
  });
}
