/**
 * Why the private audit keys beside a log that holds records would not let
 * the next session write it, for `thoth doctor` and `thoth health`: the
 * signing key or the HMAC key is missing (the writer then refuses with
 * `audit.key_missing` rather than make one anew), cannot be used
 * (`audit.bad_key`), or the signing key is not one the log trusts: neither
 * the first key its keys list names nor one a key rotation led to from it
 * (each rotation retires the key it replaces in the list), so `thoth audit
 * verify` reports what it signs as signed by an unknown key. Reads the key
 * files (regular files only: a FIFO is never opened); a key it may not read
 * is left to the profile check, which names its mode.
 *
 * @example
 * ```ts
 * const problem = await privateKeysProblem("/home/ana/.thoth", 7);
 * problem?.message; // 'the audit log holds 7 record(s), but its signing key "…" is missing: …'
 * ```
 */
import { fromBase64 } from "./encoding.ts";
import { auditPaths } from "./log_paths.ts";
import { damagedHmacKeyHints, keepLogCommand, lostKeyHints } from "./lost_key_remedy.ts";
import { readRegularFile } from "../platform/read_regular_file.ts";
import { shellQuote } from "../doctor/shell_quote.ts";

/** A problem in words, with what to do. */
export interface KeyProblem {
  readonly message: string;
  readonly hint: string;
}

/** One entry of the keys list, as far as this check reads it. */
interface ListedKey {
  readonly name?: unknown;
  readonly keyHash?: unknown;
  readonly publicKey?: unknown;
  readonly retired?: unknown;
}

/** What a session does while it cannot write the log, in every mode. */
const CONSEQUENCE = "every governed session now records nothing and blocks every tool call " +
  "(observe mode forwards them, unrecorded)";

/**
 * The problem with the private keys of the log under `thothHome`, which
 * holds `size` records, or undefined when the writer could use them. The
 * keys list itself is taken as readable (the caller checked it first).
 */
export async function privateKeysProblem(
  thothHome: string,
  size: number,
): Promise<KeyProblem | undefined> {
  const paths = auditPaths(thothHome);
  const held = `the audit log holds ${size} record(s)`;
  const listed = await readListed(paths.publicKeys);
  const trusted = trustedKeys(listed);
  const current = trusted[trusted.length - 1];
  const currentName = current === undefined ? null : keyLabel(current);
  const problems: string[] = [];
  const hints: string[] = [];
  const signing = await readKey(paths.signingKey);
  if (signing === "missing") {
    problems.push(
      `its signing key "${paths.signingKey}" is missing (audit.key_missing): rather than ` +
        `sign with a new key "thoth audit verify" would not trust, ${CONSEQUENCE}`,
    );
    hints.push(...lostKeyHints(thothHome, "signing", currentName));
  } else if (signing !== "unreadable") {
    const key = signingKeyOf(signing.text);
    if (key === undefined) {
      problems.push(
        `its signing key "${paths.signingKey}" is damaged (audit.bad_key): ${CONSEQUENCE}`,
      );
      hints.push(...lostKeyHints(thothHome, "signing", currentName));
    } else if (!trusted.some((entry) => sameKey(entry, key))) {
      problems.push(
        `its signing key "${paths.signingKey}" (${keyLabel(key)}) is not a key the log ` +
          `trusts (the first in "${paths.publicKeys}", or one a key rotation led to): ` +
          '"thoth audit verify" reports the checkpoints it signs as signed by an unknown key ' +
          "(tampering)",
      );
      hints.push(
        `restore the log's own key${currentName === null ? "" : ` ${currentName}`} to ` +
          `${shellQuote(paths.signingKey)} from a backup of this profile, then run "thoth ` +
          'audit verify" (the checkpoints the other key signed stay reported)',
        "if the log's key is lost for good, keep this log as evidence and let the next " +
          `session start a new one: ${keepLogCommand(thothHome)}`,
      );
    }
  }
  const hmac = await readKey(paths.hmacKey);
  if (hmac === "missing" || (hmac !== "unreadable" && !isHmacKey(hmac.text))) {
    problems.push(
      hmac === "missing"
        ? `its HMAC key "${paths.hmacKey}" is missing (audit.key_missing): rather than make ` +
          "a new key, which would leave the argument digests in the log unmatchable against " +
          `values, ${CONSEQUENCE}`
        : `its HMAC key "${paths.hmacKey}" is damaged (audit.bad_key): ${CONSEQUENCE}`,
    );
    hints.push(
      ...(hmac === "missing" ? lostKeyHints(thothHome, "hmac") : damagedHmacKeyHints(thothHome)),
    );
  }
  if (problems.length === 0) return undefined;
  return { message: `${held}, but ${problems.join("; and ")}`, hint: hints.join("; ") };
}

/**
 * The keys the log trusts, in list order: the first listed, then each key
 * listed right after a trusted key that a rotation retired. Pure.
 */
function trustedKeys(listed: readonly ListedKey[]): ListedKey[] {
  const trusted: ListedKey[] = [];
  for (const [i, entry] of listed.entries()) {
    const before = listed[i - 1];
    if (i === 0 || (before !== undefined && trusted.includes(before) && isText(before.retired))) {
      trusted.push(entry);
    } else break;
  }
  return trusted;
}

function sameKey(a: ListedKey, b: ListedKey): boolean {
  return isText(a.publicKey) && a.publicKey === b.publicKey && a.name === b.name;
}

/** `name+keyHash`, as `thoth audit verify` names a key. */
function keyLabel(key: ListedKey): string {
  return `${String(key.name)}+${String(key.keyHash)}`;
}

function isText(value: unknown): value is string {
  return typeof value === "string" && value !== "";
}

async function readListed(path: string): Promise<ListedKey[]> {
  const read = await readKey(path);
  if (typeof read === "string") return [];
  try {
    const value: unknown = JSON.parse(read.text);
    return Array.isArray(value)
      ? value.filter((entry): entry is ListedKey => entry !== null && typeof entry === "object")
      : [];
  } catch {
    return [];
  }
}

/** The signing key file's public half, or undefined when it is not a key file thoth can use. */
function signingKeyOf(text: string): ListedKey | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== "object") return undefined;
  const key = value as Record<string, unknown>;
  const publicKey = isText(key["publicKey"]) ? fromBase64(key["publicKey"]) : undefined;
  const pkcs8 = isText(key["pkcs8"]) ? fromBase64(key["pkcs8"]) : undefined;
  if (!isText(key["name"]) || publicKey?.length !== 32 || pkcs8 === undefined) return undefined;
  return { name: key["name"], keyHash: key["keyHash"], publicKey: key["publicKey"] };
}

function isHmacKey(text: string): boolean {
  return fromBase64(text.trim())?.length === 32;
}

/** The file's text; "missing"; or "unreadable" (not this check's to report). */
async function readKey(path: string): Promise<{ text: string } | "missing" | "unreadable"> {
  try {
    return { text: new TextDecoder().decode(await readRegularFile(path, { limit: 64 * 1024 })) };
  } catch (error) {
    return error instanceof Deno.errors.NotFound ? "missing" : "unreadable";
  }
}
