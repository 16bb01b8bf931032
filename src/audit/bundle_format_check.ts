/**
 * Checks the format label of a bundle that is not labelled
 * `thoth-audit-bundle/2`, which would skip checking a signed export
 * statement: traces of a `/2` export under another label (an export.note, a
 * README.md that describes one, records only a thoth that exports `/2`
 * wrote) are a relabelling, and the bundle is then checked as `/2`; a
 * manifest that lacks what every `/1` export wrote was rewritten (see
 * `bundle_format_traces.ts`). Thin I/O over the bundle's files, read
 * through the caller's reader (which refuses what is not a regular file).
 *
 * @example
 * ```ts
 * const check = await checkFormatLabel({ dir, format, manifest: parsed, hasNote, read });
 * check.relabelled; // true: check the bundle as thoth-audit-bundle/2
 * ```
 */
import type { Finding } from "./finding.ts";
import { BUNDLE_FORMAT, EXPORT_NOTE_FILE, UNSIGNED_BUNDLE_FORMAT } from "./export_statement.ts";
import { listSegments } from "./log_files.ts";
import { readmeFormat } from "./bundle_readme.ts";
import { manifestGaps, newerRecordTrace } from "./bundle_format_traces.ts";

/** What to check. */
export interface FormatLabelInput {
  dir: string;
  /** The manifest's format label, when it has one this thoth knows. */
  format: string | undefined;
  /** The manifest as parsed JSON. */
  manifest: unknown;
  /** Whether export.note is beside it. */
  hasNote: boolean;
  /** A bundle file's bytes by its path in the bundle; undefined when missing. */
  read: (path: string) => Promise<Uint8Array | undefined>;
}

/** Whether the bundle was relabelled (check it as `/2`), and the findings. */
export async function checkFormatLabel(
  input: FormatLabelInput,
): Promise<{ relabelled: boolean; findings: Finding[] }> {
  if (input.format === BUNDLE_FORMAT) return { relabelled: false, findings: [] };
  const label = input.format === undefined ? "with no format" : JSON.stringify(input.format);
  const trace = await formatTrace(input);
  if (trace !== undefined) {
    return {
      relabelled: true,
      findings: [{
        kind: "modified",
        severity: "tamper",
        source: "manifest.json",
        message:
          `manifest.json labels the bundle ${label}, which carries no export statement, but ${trace}: the bundle was written as "${BUNDLE_FORMAT}" and its format label was changed, which would skip checking its signed export statement; it is checked as "${BUNDLE_FORMAT}"`,
      }],
    };
  }
  const gaps = manifestGaps(input.manifest);
  return {
    relabelled: false,
    findings: gaps.length === 0 ? [] : [{
      kind: "modified",
      severity: "tamper",
      source: "manifest.json",
      message:
        `manifest.json labels the bundle ${label}, but no export wrote it: every "${UNSIGNED_BUNDLE_FORMAT}" export listed its created time, period, requested and included seq ranges, start, each file's length and README.md, and this one lists no ${
          gaps.join(", no ")
        }: it was rewritten after the export, so nothing shows what the bundle held when exported`,
    }],
  };
}

/** What shows the bundle was written as `/2`; undefined when nothing does. */
async function formatTrace(input: FormatLabelInput): Promise<string | undefined> {
  if (input.hasNote) {
    return `it carries ${EXPORT_NOTE_FILE}, which only a "${BUNDLE_FORMAT}" export writes`;
  }
  const readme = await input.read("README.md");
  const stated = readme === undefined ? undefined : readmeFormat(new TextDecoder().decode(readme));
  if (stated === BUNDLE_FORMAT) {
    return `its README.md was written for a "${BUNDLE_FORMAT}" bundle (it describes ${EXPORT_NOTE_FILE})`;
  }
  const newer = newerRecordTrace(await recordLines(input));
  return newer === undefined
    ? undefined
    : `its records hold ${newer}, which thoth wrote only once it exported bundles as "${BUNDLE_FORMAT}", so no "${UNSIGNED_BUNDLE_FORMAT}" export held them`;
}

/** The lines of the bundle's records files, in order. */
async function recordLines(input: FormatLabelInput): Promise<Iterable<string>> {
  const texts: string[] = [];
  for (const name of await listSegments(`${input.dir}/records`)) {
    const bytes = await input.read(`records/${name}`);
    if (bytes !== undefined) texts.push(new TextDecoder().decode(bytes));
  }
  return (function* () {
    for (const text of texts) yield* text.split("\n");
  })();
}
