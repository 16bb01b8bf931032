/**
 * The lost tally: a small file of fixed size ({@linkcode LOST_TALLY_BYTES})
 * a session makes when it starts, while the disk has room, and rewrites in
 * place each time a decision or approval is lost (neither its spool nor the
 * log took it). A session killed before the log heard of those losses (its
 * `decisions_lost` record) still leaves their count on the disk, which
 * `thoth audit verify` reports until the next session takes it into the
 * log (see `take_in_lost_tallies.ts`); rewriting bytes a file already has needs no
 * new room on a full disk, and no new name in an unwritable folder.
 *
 * Its first line is the tally's JSON, a tab and its MAC (hex HMAC-SHA256
 * over the JSON, a tab and the file's name, keyed by HMAC(device audit key,
 * "thoth lost tally mac v1")): only a thoth holding the device's audit key
 * writes one that verifies. Spaces and a newline fill the rest. A tally made
 * before the session had its key counts nothing and carries no MAC. Pure.
 *
 * @example
 * ```ts
 * const mac = new LostTallyMac(keys.hmacRaw);
 * const bytes = encodeLostTally(tally, "s-1a2b.tally", mac); // LOST_TALLY_BYTES long
 * const read = decodeLostTally(bytes, "s-1a2b.tally", mac);  // { tally, mac: "verified" }
 * ```
 */
import { hmacSha256, HmacSha256Key } from "./sha256.ts";
import { toHex } from "./encoding.ts";

/** The size of every lost tally file, in bytes. */
export const LOST_TALLY_BYTES = 4096;

/**
 * The name of a lost tally file: `<session>.tally` (see `LostTallyFile`), at
 * most 200 characters before the suffix.
 */
export const LOST_TALLY_NAME = /^.{1,200}\.tally$/;

/** The most decision ids a tally names (fewer when they do not fit). */
export const LOST_TALLY_IDS_MAX = 50;

/** What a tally's MAC key is bound to, for this use only. */
const LABEL = "thoth lost tally mac v1";

/** The longest reason a tally keeps, in characters. */
const REASON_MAX = 500;

const encoder = new TextEncoder();

/** The decisions and approvals one session lost, as its tally counts them. */
export interface LostTally {
  session: string;
  /** How many were lost. */
  count: number;
  /** How many of each record type (`decision`, `approval`). */
  types: Record<string, number>;
  /** The decision ids of the first of them (at most {@linkcode LOST_TALLY_IDS_MAX}). */
  decisionIds: string[];
  /** When the first and the last of them were lost (ISO 8601); empty when none was. */
  from: string;
  until: string;
  /** Why the first of them could not be written. */
  reason: string;
}

/** A tally as read, and whether its MAC verified under the device's key. */
export interface LostTallyRead {
  tally: LostTally;
  /** `unchecked`: no key to check it with; `none`: the tally carries no MAC. */
  mac: "verified" | "failed" | "unchecked" | "none";
}

/** The key of the lost tallies' MACs, derived from the device's audit key. */
export class LostTallyMac {
  readonly #key: HmacSha256Key;

  /** `auditKey`: the device's audit HMAC key, raw (`DeviceKeys.hmacRaw`). */
  constructor(auditKey: Uint8Array) {
    this.#key = new HmacSha256Key(hmacSha256(auditKey, encoder.encode(LABEL)));
  }

  /** The MAC (hex) of the tally JSON `text` in the file named `file`. */
  sign(text: string, file: string): string {
    return toHex(this.#key.mac(encoder.encode(`${text}\t${file}`)));
  }
}

/** The tally of a session that has lost nothing yet. */
export function emptyTally(session: string): LostTally {
  return { session, count: 0, types: {}, decisionIds: [], from: "", until: "", reason: "" };
}

/**
 * The bytes of the file named `file` that holds `tally`, exactly
 * {@linkcode LOST_TALLY_BYTES} long: MAC'd with `mac`, or without a MAC when
 * there is none (a tally that counts nothing). Decision ids that do not fit
 * are left out (the count still counts them), then the reason is cut.
 */
export function encodeLostTally(tally: LostTally, file: string, mac?: LostTallyMac): Uint8Array {
  let ids = tally.decisionIds.slice(0, LOST_TALLY_IDS_MAX);
  let reason = tally.reason.slice(0, REASON_MAX);
  for (;;) {
    const text = JSON.stringify({ v: 1, ...tally, decisionIds: ids, reason });
    const line = mac === undefined ? text : `${text}\t${mac.sign(text, file)}`;
    const bytes = encoder.encode(line);
    if (bytes.length < LOST_TALLY_BYTES) {
      const out = new Uint8Array(LOST_TALLY_BYTES).fill(0x20);
      out.set(bytes);
      out[bytes.length] = 0x0a;
      out[LOST_TALLY_BYTES - 1] = 0x0a;
      return out;
    }
    if (ids.length > 0) ids = ids.slice(0, ids.length - 1);
    else if (reason.length > 0) reason = reason.slice(0, Math.floor(reason.length / 2));
    else throw new Error(`the lost tally of session ${JSON.stringify(tally.session)} does not fit`);
  }
}

/**
 * The tally the bytes of the file named `file` hold, with its MAC checked
 * under `mac` (none: unchecked); a problem (in words) when they hold none.
 */
export function decodeLostTally(
  bytes: Uint8Array,
  file: string,
  mac?: LostTallyMac,
): LostTallyRead | { problem: string } {
  const end = bytes.indexOf(0x0a);
  const line = new TextDecoder().decode(end < 0 ? bytes : bytes.subarray(0, end));
  const tab = line.lastIndexOf("\t");
  const text = tab < 0 ? line : line.slice(0, tab);
  const signed = tab < 0 ? undefined : line.slice(tab + 1);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: "it holds no tally" };
  }
  const tally = asTally(value);
  if (tally === undefined) return { problem: "it holds no tally" };
  if (signed === undefined) return { tally, mac: "none" };
  if (mac === undefined) return { tally, mac: "unchecked" };
  return { tally, mac: sameText(signed, mac.sign(text, file)) ? "verified" : "failed" };
}

function asTally(value: unknown): LostTally | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  const count = v["count"];
  if (typeof v["session"] !== "string" || typeof count !== "number") return undefined;
  if (!Number.isSafeInteger(count) || count < 0) return undefined;
  const types: Record<string, number> = {};
  const rawTypes = v["types"];
  if (rawTypes !== null && typeof rawTypes === "object" && !Array.isArray(rawTypes)) {
    for (const [type, n] of Object.entries(rawTypes)) {
      if (typeof n === "number" && Number.isSafeInteger(n) && n >= 0) types[type] = n;
    }
  }
  const ids = Array.isArray(v["decisionIds"])
    ? v["decisionIds"].filter((id): id is string => typeof id === "string")
    : [];
  const text = (key: string) => typeof v[key] === "string" ? v[key] as string : "";
  return {
    session: v["session"],
    count,
    types,
    decisionIds: ids,
    from: text("from"),
    until: text("until"),
    reason: text("reason"),
  };
}

/** Whether two MACs (hex) are the same, in time that does not depend on where they differ. */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
