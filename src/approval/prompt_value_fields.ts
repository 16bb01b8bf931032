/**
 * Which arguments an approval prompt shows the value of without the policy
 * naming them: the top-level fields that say which file, folder or URL a
 * call acts on (`path`, `destination`, `url`, …), so a person approving a
 * destructive write sees which file it writes. A value a secret detector
 * flags, or one too large to scan whole, is shown by its shape only, with
 * why. Only a prompt shows these values (a form, a dialog that does not
 * carry its text on a command line): the approval queue's files, the audit
 * log and the model never get them. Pure.
 *
 * @example
 * ```ts
 * promptValueFields({ path: "/home/ana/notes.txt", content: "hi" });
 * // { fields: Set { "path" }, hidden: Map {} }
 * promptValueFields({ url: "https://ana:hunter2@example.org/x" });
 * // { fields: Set {}, hidden: Map { "url" => "a detector finds a secret in it" } }
 * ```
 */
import { scanArguments } from "../policy/detectors/scan_arguments.ts";

/**
 * The field names whose values a prompt shows (exact, case-sensitive), as the
 * default policy's comment lists them.
 */
export const PROMPT_VALUE_FIELDS: readonly string[] = [
  "path",
  "paths",
  "source",
  "destination",
  "url",
  "uri",
  "file",
  "filename",
  "file_path",
  "filePath",
  "directory",
  "dir",
  "cwd",
];

const NAMES = new Set(PROMPT_VALUE_FIELDS);
const SECRETS = new Set(["secret"] as const);
/** The most characters of one field's value scanned for secrets; a longer value is not shown. */
const SCAN_MAX_CHARS = 64 * 1024;

/** The fields of one call a prompt shows, and those it names but hides, with why. */
export interface PromptValues {
  fields: ReadonlySet<string>;
  hidden: ReadonlyMap<string, string>;
}

/** No values beyond the policy's: what the queue's files and argv-borne dialogs get. */
export const NO_PROMPT_VALUES: PromptValues = { fields: new Set(), hidden: new Map() };

/**
 * The fields of `args` named in {@linkcode PROMPT_VALUE_FIELDS} that hold a
 * string or a list, split into those a prompt may show and those a secret
 * detector flags (or that are too large to scan whole). Scans only those
 * fields, and only when a call asks a person.
 */
export function promptValueFields(args: Record<string, unknown> | undefined): PromptValues {
  if (args === undefined) return NO_PROMPT_VALUES;
  const fields = new Set<string>();
  const hidden = new Map<string, string>();
  for (const key of Object.keys(args)) {
    if (!NAMES.has(key)) continue;
    const value = args[key];
    if (typeof value !== "string" && !Array.isArray(value)) continue;
    const scan = scanArguments({ [key]: value }, { kinds: SECRETS, maxChars: SCAN_MAX_CHARS });
    if (scan.findings.length > 0) hidden.set(key, "a detector finds a secret in it");
    else if (scan.capped) hidden.set(key, "too long to check for secrets");
    else fields.add(key);
  }
  return fields.size === 0 && hidden.size === 0 ? NO_PROMPT_VALUES : { fields, hidden };
}
