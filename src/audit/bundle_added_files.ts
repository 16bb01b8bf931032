/**
 * Files put into a bundle after its export that `verify --bundle` does not
 * read (not records, checkpoints or keys): still tampering, since the signed
 * manifest does not list them and an auditor cannot tell them from
 * evidence, but often harmless clutter a file browser or a copy left
 * (`.DS_Store`, `._*`, `Thumbs.db`, `desktop.ini`). Their findings say so
 * and what to do, and when they are all that was found, the report's first
 * line says a file was added while the records verify. Pure.
 *
 * @example
 * ```ts
 * addedFileFinding(".DS_Store").message;
 * // "bundle file .DS_Store is not listed in the manifest (added after the export): …"
 * onlyAddedFiles(report.findings); // "TAMPERED: a file was added to the bundle after export …"
 * ```
 */
import type { Finding } from "./finding.ts";

/** What every added file's message says after its name (how {@linkcode isAddedFile} knows one). */
const ADDED = "is not listed in the manifest (added after the export)";

/** What makes a file of this name, when an operating system's file browser does. */
export function osMetadataOf(path: string): string | undefined {
  const name = path.slice(path.lastIndexOf("/") + 1);
  if (name === ".DS_Store") return "macOS Finder's folder settings";
  if (name.startsWith("._")) return "macOS's copy of another file's attributes";
  const lower = name.toLowerCase();
  if (lower === "thumbs.db") return "Windows Explorer's thumbnail cache";
  if (lower === "desktop.ini") return "Windows Explorer's folder settings";
  return undefined;
}

const REMEDY = "remove it, or copy the bundle again from the original, then verify again";

/** The finding for `path`, a bundle file its manifest does not list and verify does not read. */
export function addedFileFinding(path: string): Finding {
  const by = osMetadataOf(path);
  return {
    kind: "inserted",
    severity: "tamper",
    source: path,
    message: `bundle file ${path} ${ADDED}` +
      (by === undefined ? "" : `: its name is one of ${by}, not thoth's; ${REMEDY}`),
  };
}

/** Whether `finding` is one {@linkcode addedFileFinding} made. */
export function isAddedFile(finding: Finding): boolean {
  return finding.kind === "inserted" && finding.source !== undefined &&
    finding.message.startsWith(`bundle file ${finding.source} ${ADDED}`);
}

/**
 * The report's first line when every tamper finding is an added file, else
 * undefined: a bundle-specific verdict (the records verify) with what to do
 * when the files are all operating system clutter.
 */
export function onlyAddedFiles(findings: readonly Finding[]): string | undefined {
  const tampered = findings.filter((f) => f.severity === "tamper");
  if (tampered.length === 0 || !tampered.every(isAddedFile)) return undefined;
  const what = tampered.length === 1
    ? "a file was added to the bundle after export"
    : `${tampered.length} files were added to the bundle after export`;
  const clutter = tampered.every((f) => osMetadataOf(f.source!) !== undefined);
  return `TAMPERED: ${what} (its manifest does not list ${
    tampered.length === 1 ? "it" : "them"
  }); the records verify` +
    (clutter
      ? `; ${
        tampered.length === 1 ? "it is" : "they are"
      } file-browser metadata, not thoth's: remove ${
        tampered.length === 1 ? "it" : "them"
      }, or copy the bundle again from the original, then verify again`
      : "");
}
