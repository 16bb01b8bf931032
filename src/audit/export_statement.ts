/**
 * The export statement: what `thoth audit export` signs with the device's
 * audit signing key, as a C2SP signed note beside the bundle (`export.note`).
 * It states the period asked for, the seq range the bundle holds, where its
 * tree starts, and the SHA-256 of its manifest.json exactly as written (which
 * lists every other file with its hash). The manifest alone is unsigned, so
 * anyone could cut records from either end of a bundle and rewrite it; the
 * statement makes that show. It is signed on the device, so it proves what
 * the device exported, not what the device held: an anchor kept off the
 * device proves that. Pure.
 *
 * @example
 * ```ts
 * const text = formatExportStatement(statement);
 * const note = await signNote(text, signer);
 * const check = await checkExportStatement({ note, required: true, manifestSha256, manifest, keys });
 * check.findings; // [] when the note verifies under a trusted key and signs this manifest
 * ```
 */
import type { SeqRange } from "./bundle_range.ts";
import { type Finding, type FindingKind, severityOf } from "./finding.ts";
import { type NoteVerifier, openNote } from "./signed_note.ts";

/** Where a bundle keeps its signed export statement. */
export const EXPORT_NOTE_FILE = "export.note";
/** The bundle format that carries a signed export statement. */
export const BUNDLE_FORMAT = "thoth-audit-bundle/2";
/** The format older thoth wrote, without one. */
export const UNSIGNED_BUNDLE_FORMAT = "thoth-audit-bundle/1";

const HEADER = `${BUNDLE_FORMAT} export`;

/** What an export signs. */
export interface ExportStatement {
  /** When the bundle was exported (ISO 8601). */
  created: string;
  /** The period asked for (ISO 8601); null for an open end. */
  since: string | null;
  until: string | null;
  /** The records that fall in the period. */
  requested: SeqRange;
  /** The records the bundle holds (the period, extended to the next checkpoint). */
  included: SeqRange;
  /** The tree size the bundle's records start from (its first seq). */
  startSize: number;
  /** SHA-256 (hex) of manifest.json as written. */
  manifest: string;
  /**
   * Exported with `--with-findings`: how many findings of each kind (tamper
   * or unverified) `thoth audit verify` made on the device's log before the
   * export (the bundle's README lists them). A statement
   * without them says the log verified. An older thoth does not read a
   * statement that carries them (it reports it as no export statement):
   * only a bundle of a log that did not verify carries them.
   */
  deviceFindings?: DeviceFindingCount[];
}

/** A kind of finding the device's log had at export, and how many. */
export interface DeviceFindingCount {
  kind: FindingKind;
  count: number;
}

/** What the device's log verified as, for a bundle exported with its findings. */
export interface DeviceVerification {
  /** When it was verified (ISO 8601). */
  verified: string;
  /** `thoth audit verify`'s exit code: 1 here (tampered, records lost, or not verified). */
  exitCode: number;
  /** Its findings of severity tamper or unverified: what made the export stop. */
  findings: Finding[];
}

/** A statement whose signature verified under a trusted key, and that key. */
export interface ProvenStatement extends ExportStatement {
  /** `<name>+<key hash>` of the key that signed it. */
  key: string;
}

/** What the manifest says about the same things (read, unchecked). */
export interface ManifestClaims {
  since?: string | null;
  until?: string | null;
  requested?: SeqRange;
  included?: SeqRange;
  startSize: number;
}

/** What to check. */
export interface StatementInput {
  /** export.note's text; undefined when the bundle has none. */
  note: string | undefined;
  /** Whether the bundle's format carries one (older bundles do not). */
  required: boolean;
  /** SHA-256 (hex) of the bundle's manifest.json as it is now. */
  manifestSha256: string;
  manifest: ManifestClaims;
  /**
   * Whether keys/key-rotations.jsonl, when there is one, is as the manifest
   * lists it: only then can the statement vouch for the rotations it carries.
   */
  carriedIntact: boolean;
}

/** The statement's findings, and the statement when a trusted key signed it. */
export interface StatementCheck {
  findings: Finding[];
  proven: ProvenStatement | null;
}

/** The text the device signs. */
export function formatExportStatement(statement: ExportStatement): string {
  return [
    HEADER,
    `created ${statement.created}`,
    `since ${statement.since ?? "-"}`,
    `until ${statement.until ?? "-"}`,
    `requested ${statement.requested.firstSeq} ${statement.requested.lastSeq}`,
    `included ${statement.included.firstSeq} ${statement.included.lastSeq}`,
    `start ${statement.startSize}`,
    `manifest ${statement.manifest}`,
    ...(statement.deviceFindings?.length
      ? [`device-findings ${statement.deviceFindings.map((f) => `${f.kind}:${f.count}`).join(",")}`]
      : []),
  ].join("\n") + "\n";
}

/** Reads a statement's text (without its signatures); undefined unless it is one. */
export function parseExportStatement(text: string): ExportStatement | undefined {
  const lines = text.split("\n");
  if (lines.pop() !== "" || (lines.length !== 8 && lines.length !== 9) || lines[0] !== HEADER) {
    return undefined;
  }
  const deviceFindings = lines.length === 9 ? readDeviceFindings(lines[8]!) : [];
  if (deviceFindings === undefined) return undefined;
  const field = (i: number, name: string): string | undefined => {
    const line = lines[i]!;
    const value = line.startsWith(`${name} `) ? line.slice(name.length + 1) : undefined;
    return value !== undefined && /^\S+$/.test(value) ? value : undefined;
  };
  const time = (i: number, name: string): string | null | undefined => {
    const value = field(i, name);
    return value === "-" ? null : value;
  };
  const range = (i: number, name: string): SeqRange | undefined => {
    const match = /^(\d{1,16}) (\d{1,16})$/.exec(lines[i]!.slice(name.length + 1));
    if (!lines[i]!.startsWith(`${name} `) || match === null) return undefined;
    const firstSeq = Number(match[1]), lastSeq = Number(match[2]);
    return Number.isSafeInteger(lastSeq) && firstSeq <= lastSeq ? { firstSeq, lastSeq } : undefined;
  };
  const created = field(1, "created");
  const since = time(2, "since");
  const until = time(3, "until");
  const requested = range(4, "requested");
  const included = range(5, "included");
  const start = field(6, "start");
  const manifest = field(7, "manifest");
  if (
    created === undefined || since === undefined || until === undefined ||
    requested === undefined || included === undefined || start === undefined ||
    !/^\d{1,16}$/.test(start) || !Number.isSafeInteger(Number(start)) ||
    manifest === undefined || !/^[0-9a-f]{64}$/.test(manifest)
  ) {
    return undefined;
  }
  return {
    created,
    since,
    until,
    requested,
    included,
    startSize: Number(start),
    manifest,
    ...(deviceFindings.length > 0 ? { deviceFindings } : {}),
  };
}

/** `device-findings kind:count,…`: kinds of severity tamper or unverified only. */
function readDeviceFindings(line: string): DeviceFindingCount[] | undefined {
  const match = /^device-findings ([a-z_]+:\d{1,9}(?:,[a-z_]+:\d{1,9})*)$/.exec(line);
  if (match === null) return undefined;
  const out: DeviceFindingCount[] = [];
  for (const pair of match[1]!.split(",")) {
    const [kind, count] = pair.split(":") as [FindingKind, string];
    const severity = severityOf(kind);
    if ((severity !== "tamper" && severity !== "unverified") || Number(count) < 1) return undefined;
    out.push({ kind, count: Number(count) });
  }
  return out;
}

/**
 * What a proven statement's `device-findings` line says, as findings of the
 * bundle: the device's log did not verify when it was exported.
 */
function deviceFindingsOf(statement: ExportStatement): Finding[] {
  return (statement.deviceFindings ?? []).map(({ kind, count }) => ({
    kind,
    severity: severityOf(kind),
    source: EXPORT_NOTE_FILE,
    message:
      `the device's audit log did not verify when this bundle was exported: "thoth audit verify" found ${count} ${kind} finding${
        count === 1 ? "" : "s"
      } there, and the bundle was exported all the same (--with-findings); the bundle's README.md lists them. The records here can verify while the log they were cut from was changed or lost records`,
  }));
}

/**
 * The note to let vouch for the carried key rotations: export.note when it
 * states this very manifest and the carried file is as the manifest lists it
 * (whether a trusted key signed it is for the key trust to find out).
 */
export function voucherOf(input: StatementInput | undefined): string | undefined {
  if (input?.note === undefined || !input.carriedIntact) return undefined;
  const split = input.note.lastIndexOf("\n\n");
  const statement = split < 0 ? undefined : parseExportStatement(input.note.slice(0, split + 1));
  return statement?.manifest === input.manifestSha256 ? input.note : undefined;
}

/** Checks export.note against the trusted keys and the manifest. */
export async function checkExportStatement(
  input: StatementInput,
  keys: readonly NoteVerifier[],
): Promise<StatementCheck> {
  const source = EXPORT_NOTE_FILE;
  if (input.note === undefined) {
    return {
      proven: null,
      findings: [
        input.required
          ? {
            kind: "deleted",
            severity: "tamper",
            source,
            message:
              `the bundle's signed export statement (${source}) is missing: this bundle's format carries one, so it was removed, and nothing proves the period it was exported for or where its records start`,
          }
          : {
            kind: "period_unproven",
            severity: "warning",
            source: "manifest.json",
            message:
              `the bundle carries no signed export statement (an older thoth wrote it): nothing proves the period it was exported for or where its records start and end, so records cut from its start or from its end, with the manifest rewritten, would not show (verify checks only the records it holds)`,
          },
      ],
    };
  }
  const opened = await openNote(input.note, keys);
  const statement = opened ? parseExportStatement(opened.text) : undefined;
  if (opened === undefined || statement === undefined) {
    return {
      proven: null,
      findings: [{
        kind: "bad_signature",
        severity: "tamper",
        source,
        message: `${source} is not a signed export statement`,
      }],
    };
  }
  if (opened.verified.length === 0) {
    const bad = opened.invalid.length > 0;
    const names = (bad ? opened.invalid : opened.unknown).map((s) => `${s.name}+${s.keyHash}`)
      .join(", ");
    return {
      proven: null,
      findings: [{
        kind: bad ? "bad_signature" : "unknown_key",
        severity: "tamper",
        source,
        message: bad
          ? `the export statement (${source}) has a signature by ${names} that does not verify`
          : `the export statement (${source}) is signed only by untrusted key ${names}: neither the device's first key, the anchor's key, nor a key a trusted key endorsed`,
      }],
    };
  }
  const signer = opened.verified[0]!;
  const proven = { ...statement, key: `${signer.name}+${signer.keyHash}` };
  const changed = differences(statement, input.manifest);
  const device = deviceFindingsOf(statement);
  if (statement.manifest === input.manifestSha256 && changed.length === 0) {
    return { proven, findings: device };
  }
  return {
    proven,
    findings: [...device, {
      kind: "modified",
      severity: "tamper",
      source: "manifest.json",
      message:
        `manifest.json is not the manifest the export signed (${source} states its SHA-256)` +
        (changed.length > 0
          ? `: it says ${changed.map((c) => c.now).join(", ")} where the export signed ${
            changed.map((c) => c.signed).join(", ")
          }`
          : ": its file list or start was changed after the export"),
    }],
  };
}

/** The statement's values the manifest states otherwise. */
function differences(
  statement: ExportStatement,
  manifest: ManifestClaims,
): { now: string; signed: string }[] {
  const out: { now: string; signed: string }[] = [];
  const span = (r: SeqRange | undefined) =>
    r === undefined ? "none" : `${r.firstSeq}..${r.lastSeq}`;
  const compare = (name: string, now: string, signed: string) => {
    if (now !== signed) out.push({ now: `${name} ${now}`, signed: `${name} ${signed}` });
  };
  compare("since", manifest.since ?? "-", statement.since ?? "-");
  compare("until", manifest.until ?? "-", statement.until ?? "-");
  compare("requested", span(manifest.requested), span(statement.requested));
  compare("included", span(manifest.included), span(statement.included));
  compare("start", String(manifest.startSize), String(statement.startSize));
  return out;
}
