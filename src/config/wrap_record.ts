/**
 * The note `wrap-config` leaves in a wrapped entry's `env` so that
 * `unwrap-config` can give back exactly what was there. Pure.
 *
 * Why in the entry's own `env` (key `THOTH_WRAP`) and not in a sidecar file:
 * the record must travel with the config. Admins generate a governed config on
 * one machine and push it to others with MDM; Claude Code rewrites
 * `~/.claude.json` on its own; people copy configs around. A sidecar would be
 * lost or stale in each case, while `env` is the one free-form map every client
 * keeps verbatim and passes to the command, so `thoth run` can also read it and
 * give the upstream server the environment it would have had without thoth.
 * Clients reject unknown keys in an entry, so a `"thoth": {…}` key is out.
 *
 * The record is written only when there is something to remember:
 * - `thoth=PATH`: the thoth the entry runs, when it is not named like a thoth
 *   binary (`/opt/acme/bin/governor`; `%` and `;` are written `%25`, `%3B`).
 *   An entry is taken for thoth's by its record only when the record names
 *   the entry's own `command` this way: a server that merely carries a
 *   `THOTH_WRAP` key (copied, hand-written) is never read as thoth run
 * - `added=K1,K2`: keys `--env` added (unwrap removes them)
 * - `was.K=…`: the original JSON text of a value `--env` replaced (URI-encoded)
 * - `created=env,args`: the `env`/`args` properties did not exist before
 * - `intent=INTENT`: the `--intent` wrap-config took from the intent map's
 *   entry under the server's name (see `intentUnderName`), not one the admin
 *   gave (`--intent`, `--intent-map`): a later wrap-config takes it from the
 *   map again, and `thoth status` reports it as drift once the map gives
 *   that name another intent or none. Records without it (earlier releases)
 *   read as before: their `--intent` counts as the admin's
 *
 * Values themselves never go into the record unless they were overwritten,
 * and then only the user's own original.
 *
 * @example
 * ```ts
 * const record = parseWrapRecord("v1;added=THOTH_USER_ID;created=env");
 * record.added; // ["THOTH_USER_ID"]
 * formatWrapRecord(record); // "v1;added=THOTH_USER_ID;created=env"
 * ```
 */
import { AppError } from "../errors.ts";

/** The env key that holds the record. */
export const WRAP_RECORD_KEY = "THOTH_WRAP";

/** What wrap changed in one entry beyond the command and args. */
export interface WrapRecord {
  /** Env keys wrap added, in the order added. */
  added: string[];
  /**
   * Env keys wrap overwrote, mapped to their original JSON text. The keys
   * are the user's (`constructor`, `__proto__`): read them with
   * {@linkcode replacedValue}, write them with {@linkcode setReplaced}.
   */
  replaced: Record<string, string>;
  /** Whether wrap created the `env` property. */
  createdEnv: boolean;
  /** Whether wrap created the `args` property. */
  createdArgs: boolean;
  /** The thoth path the entry runs, when it is not named like a thoth binary. */
  thoth?: string;
  /** The `--intent` wrap-config took from the intent map under the server's name. */
  intent?: string;
}

/** An empty record. */
export function emptyWrapRecord(): WrapRecord {
  return { added: [], replaced: {}, createdEnv: false, createdArgs: false };
}

/** The original JSON text of an env key wrap overwrote, or undefined (never an inherited name). */
export function replacedValue(record: WrapRecord, key: string): string | undefined {
  return Object.hasOwn(record.replaced, key) ? record.replaced[key] : undefined;
}

/** Remembers the original JSON text of `key`, as an own property even for `__proto__`. */
export function setReplaced(record: WrapRecord, key: string, text: string): void {
  Object.defineProperty(record.replaced, key, {
    value: text,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** Whether a record has anything to remember. */
export function isEmptyWrapRecord(record: WrapRecord): boolean {
  return record.added.length === 0 && Object.keys(record.replaced).length === 0 &&
    !record.createdEnv && !record.createdArgs && record.thoth === undefined &&
    record.intent === undefined;
}

/** Serialises a record into the env value. */
export function formatWrapRecord(record: WrapRecord): string {
  const parts = ["v1"];
  if (record.thoth !== undefined) {
    parts.push(`thoth=${record.thoth.replaceAll("%", "%25").replaceAll(";", "%3B")}`);
  }
  if (record.intent !== undefined) parts.push(`intent=${encodeURIComponent(record.intent)}`);
  if (record.added.length > 0) parts.push(`added=${record.added.join(",")}`);
  const created = [record.createdEnv ? "env" : "", record.createdArgs ? "args" : ""].filter(
    (word) => word !== "",
  );
  if (created.length > 0) parts.push(`created=${created.join(",")}`);
  for (const [key, text] of Object.entries(record.replaced)) {
    parts.push(`was.${key}=${encodeURIComponent(text)}`);
  }
  return parts.join(";");
}

const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parses the env value; throws `config.bad_wrap_record` when it was tampered
 * with: an unknown version or part, a part given twice, a value it cannot
 * decode. The message quotes the whole value (`unwrap-config` shows what it
 * could not restore); {@linkcode wrapRecordFault} says what is wrong without it.
 */
export function parseWrapRecord(value: string): WrapRecord {
  const read = readWrapRecord(value);
  if ("record" in read) return read.record;
  throw new AppError(
    "config.bad_wrap_record",
    `cannot read ${WRAP_RECORD_KEY} "${value}": ${read.fault}`,
    {
      hints: [
        `remove ${WRAP_RECORD_KEY} and restore the entry by hand, or from the .thoth-backup file`,
      ],
    },
  );
}

/**
 * What is wrong with a record, naming the part at fault but not quoting the
 * value (a `was.K` part holds a server's own original, which may be a
 * secret); undefined when it can be read.
 *
 * @example
 * ```ts
 * wrapRecordFault("v1;intent=%E0"); // '"intent" is not URI-encoded'
 * wrapRecordFault("v1;added=A"); // undefined
 * ```
 */
export function wrapRecordFault(value: string): string | undefined {
  const read = readWrapRecord(value);
  return "fault" in read ? read.fault : undefined;
}

/**
 * What to do about a record `thoth run` cannot read. `wrap-config` and
 * `unwrap-config` skip such an entry, so it is fixed by hand or from the
 * backup first.
 */
export const UNREADABLE_WRAP_RECORD_FIX = `fix ${WRAP_RECORD_KEY} in the server's "env" by hand ` +
  "(wrap-config and unwrap-config cannot read it either), or restore the entry from the " +
  'config\'s .thoth-backup file and run "thoth wrap-config" again';

/**
 * The error `thoth run` refuses to start a server with when the
 * `THOTH_WRAP` record it is given cannot be read (`config.bad_wrap_record`),
 * naming the part at fault; undefined when it can be read. Without the
 * record thoth cannot give the server the environment it had before
 * `wrap-config` (its originals, without the keys thoth added), so it starts
 * none (fail closed).
 *
 * @example
 * ```ts
 * unreadableWrapRecord("v1;intent=a;intent=b")?.message;
 * // 'THOTH_WRAP in the server\'s "env" cannot be read: "intent" is given more than once; …'
 * unreadableWrapRecord("v1;added=A"); // undefined
 * ```
 */
export function unreadableWrapRecord(value: string): AppError | undefined {
  const fault = wrapRecordFault(value);
  if (fault === undefined) return undefined;
  return new AppError(
    "config.bad_wrap_record",
    `${WRAP_RECORD_KEY} in the server's "env" cannot be read: ${fault}; without it thoth ` +
      "cannot give the server back the environment wrap-config changed",
    { hints: [UNREADABLE_WRAP_RECORD_FIX] },
  );
}

/** Reads a record, or says what is wrong with it. */
function readWrapRecord(value: string): { record: WrapRecord } | { fault: string } {
  const record = emptyWrapRecord();
  const [version, ...parts] = value.split(";");
  if (version !== "v1") return { fault: `unknown version ${quotedWord(version!)}` };
  const seen = new Set<string>();
  for (const part of parts) {
    const eq = part.indexOf("=");
    const name = part.slice(0, eq);
    const body = part.slice(eq + 1);
    if (eq < 0) return { fault: `${quotedWord(part)} is not name=value` };
    // Each release writes a part once: a second one is a hand edit, and neither may win.
    if (seen.has(name)) return { fault: `${quotedWord(name)} is given more than once` };
    seen.add(name);
    if (name === "thoth") {
      const path = decoded(body);
      if (path === undefined) return { fault: `"thoth" is not URI-encoded` };
      if (path === "") return { fault: `"thoth" names no path` };
      record.thoth = path;
    } else if (name === "intent") {
      const intent = decoded(body);
      if (intent === undefined) return { fault: `"intent" is not URI-encoded` };
      if (intent === "") return { fault: `"intent" names no intent` };
      record.intent = intent;
    } else if (name === "added") {
      record.added = body.split(",").filter((key) => key !== "");
      if (!record.added.every((key) => ENV_KEY.test(key))) {
        return { fault: `"added" lists a key that is not a variable name` };
      }
    } else if (name === "created") {
      for (const word of body.split(",")) {
        if (word === "env") record.createdEnv = true;
        else if (word === "args") record.createdArgs = true;
        else return { fault: `unknown "created" value ${quotedWord(word)}` };
      }
    } else if (name.startsWith("was.") && ENV_KEY.test(name.slice(4))) {
      const text = decoded(body);
      if (text === undefined) return { fault: `"${name}" is not URI-encoded` };
      if (!isJsonStringToken(text)) return { fault: `"${name}" is not a JSON string` };
      setReplaced(record, name.slice(4), text);
    } else {
      return { fault: `unknown part ${quotedWord(name)}` };
    }
  }
  return { record };
}

/** `decodeURIComponent`, or undefined for text that is not URI-encoded. */
function decoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** A word of a hand-edited record as a message quotes it (JSON quotes, escapes shown). */
function quotedWord(word: string): string {
  return JSON.stringify(word);
}

/**
 * The thoth path a record names (`thoth=…`); undefined when it names none or
 * cannot be read. Recognition by record compares it with the entry's command.
 */
export function recordedThothPath(value: string): string | undefined {
  try {
    return parseWrapRecord(value).thoth;
  } catch {
    return undefined;
  }
}

/** Only a single JSON string literal may be written back into the file. */
function isJsonStringToken(text: string): boolean {
  if (!text.startsWith('"') || /[\r\n]/.test(text)) return false;
  try {
    return typeof JSON.parse(text) === "string";
  } catch {
    return false;
  }
}
