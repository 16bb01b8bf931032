/**
 * How a bundle exported with `--with-findings` says that the device's log
 * did not verify: the count of each kind of finding, for the signed export
 * statement, and a section at the top of the bundle's README for the person
 * who opens it. Pure.
 *
 * @example
 * ```ts
 * deviceFindingCounts([{ kind: "modified", severity: "tamper", seq: 3, message: "…" }]);
 * // [{ kind: "modified", count: 1 }]
 * ```
 */
import type { Finding } from "./finding.ts";
import type { DeviceFindingCount, DeviceVerification } from "./export_statement.ts";

/** Each kind among `findings` with how many there are, in the order first seen. */
export function deviceFindingCounts(findings: readonly Finding[]): DeviceFindingCount[] {
  const counts = new Map<Finding["kind"], number>();
  for (const finding of findings) counts.set(finding.kind, (counts.get(finding.kind) ?? 0) + 1);
  return [...counts].map(([kind, count]) => ({ kind, count }));
}

/** How many findings the README lists before it points to the file. */
const LISTED = 20;

/** The README's first section for a bundle exported with findings (Markdown). */
export function deviceReadmeSection(device: DeviceVerification): string {
  const lines = device.findings.slice(0, LISTED).map((f) =>
    `- ${f.kind}${
      f.seq === undefined
        ? ""
        : ` (seq ${f.seq}${f.toSeq !== undefined && f.toSeq !== f.seq ? `..${f.toSeq}` : ""})`
    }: ${f.message}`
  );
  const more = device.findings.length > LISTED
    ? [`- and ${device.findings.length - LISTED} more: run "thoth audit verify" on the device`]
    : [];
  return [
    "# WARNING: exported from an audit log that did not verify",
    "",
    `When this bundle was exported (${device.verified}), \`thoth audit verify\` on the device ` +
    "found the log tampered with, records lost, or a check it could not make. The bundle was " +
    "exported all the same (`thoth audit export --with-findings`): its signed export statement " +
    "(export.note) says so, and `thoth audit verify --bundle` reports it. The records in this " +
    "bundle can verify while the log they were cut from was changed or lost records elsewhere.",
    "",
    "What `thoth audit verify` found on the device:",
    "",
    ...lines,
    ...more,
    "",
    "",
  ].join("\n");
}
