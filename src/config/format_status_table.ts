/**
 * Renders a {@linkcode StatusReport} as the table people read: `Server,
 * Governed, Agent ID, Session Intent, Enforcement`, ✓ for governed, ✗ for a
 * stdio server that runs without thoth, ? for an entry that names thoth but is
 * not understood (the note says why), — where a column does not apply. A
 * session intent taken from the intent map reads `name (intent map)`. Drift
 * and notes follow in a last column; the last line counts them, naming entries
 * not understood, and entries that will not start (a thoth path that is not
 * there, a refusal of `thoth run`), only when there are any.
 * {@linkcode formatStatusTables} puts the tables of several files under their
 * paths. Pure.
 *
 * Every name, path, intent and note comes from a config (one a cloned
 * repository may hold): each passes {@linkcode displayText} before the
 * columns are measured, so a control character, an escape sequence or a
 * bidirectional override shows as `?` and cannot move the cursor, erase a
 * row, hide the summary or write to the clipboard.
 *
 * @example
 * ```ts
 * formatStatusTable({ servers: [], summary: { servers: 0, governed: 0, ungoverned: 0,
 *   notUnderstood: 0, notApplicable: 0, drifted: 0, refused: 0, cannotStart: 0 } });
 * // "No MCP servers found.\n"
 * ```
 */
import type { ServerStatus, StatusReport } from "./status_report.ts";
import { displayWidth } from "./display_width.ts";
import { displayText } from "../approval/display_text.ts";

/**
 * Formats the reports of every file `thoth status` read (VS Code: its
 * mcp.json and settings.json), each under its path and a blank line, with a
 * blank line between files.
 *
 * @example
 * ```ts
 * formatStatusTables([{ path: "/home/ana/.cursor/mcp.json", report }]);
 * // "/home/ana/.cursor/mcp.json\n\nServer    Governed …"
 * ```
 */
export function formatStatusTables(
  files: readonly { path: string; report: StatusReport }[],
): string {
  return files.map(({ path, report }) => `${shown(path)}\n\n${formatStatusTable(report)}`)
    .join("\n");
}

/** Formats the report as text ending in a newline. */
export function formatStatusTable(report: StatusReport): string {
  if (report.servers.length === 0) return "No MCP servers found.\n";
  const header = ["Server", "Governed", "Agent ID", "Session Intent", "Enforcement", "Notes"];
  const rows = report.servers.map(row);
  const hasNotes = rows.some((cells) => cells[5] !== "");
  const columns = hasNotes ? header.length : header.length - 1;
  const widths = header.slice(0, columns).map((title, i) =>
    Math.max(width(title), ...rows.map((cells) => width(cells[i]!)))
  );
  const line = (cells: string[]) =>
    cells.slice(0, columns).map((cell, i) => i === columns - 1 ? cell : pad(cell, widths[i]! + 4))
      .join("").trimEnd();
  const out = [line(header), "─".repeat(width(line(header))), ...rows.map(line)];
  const { governed, ungoverned, notUnderstood, drifted } = report.summary;
  const unread = notUnderstood > 0 ? `${notUnderstood} not understood, ` : "";
  const stuck = report.servers.filter((s) => s.refusals.length > 0 || s.cannotStart.length > 0);
  const broken = stuck.length > 0 ? ` (${stuck.length} that will not start)` : "";
  out.push(
    "",
    `${governed} governed, ${ungoverned} ungoverned stdio, ${unread}${drifted} drifted${broken}`,
  );
  return out.join("\n") + "\n";
}

function row(server: ServerStatus): string[] {
  const name = server.project === null ? server.name : `${server.name} (${server.project})`;
  const mark = MARKS[server.state];
  const notes = [...server.drift, ...(server.note === null ? [] : [server.note])].join("; ");
  return [
    name,
    mark,
    server.agentId ?? "—",
    server.intent === null
      ? "—"
      : server.intentSource === "intent_map"
      ? `${server.intent} (intent map)`
      : server.intent,
    server.enforcementMode ?? "—",
    notes,
  ].map(shown);
}

/** A cell or a path as one line a terminal shows as written (see {@linkcode displayText}), uncut. */
function shown(text: string): string {
  return displayText(text, Infinity);
}

const MARKS: Readonly<Record<ServerStatus["state"], string>> = {
  governed: "✓",
  not_understood: "?",
  ungoverned: "✗",
  not_applicable: "—",
};

/** Terminal columns, so that CJK names and emoji line up (see {@linkcode displayWidth}). */
function width(text: string): number {
  return displayWidth(text);
}

function pad(text: string, to: number): string {
  return text + " ".repeat(Math.max(0, to - width(text)));
}
