/**
 * One assertion for the approval-command tests' lists: each item, read by
 * `runsApprovalCommand`, runs an approval command or does not.
 *
 * @example
 * ```ts
 * assertRuns(["thoth approvals list", "sudo thoth approvals approve x"], true);
 * assertRuns(["grep approvals notes.txt"], false);
 * assertRuns(["print('thoth approvals list')"], false, { key: "code" });
 * assertRuns([{ command: "ssh", args: ["host", "thoth approvals list"] }], true);
 * ```
 */
import assert from "node:assert/strict";
import { runsApprovalCommand } from "../../src/policy/approval_commands.ts";

/** How a string of a list is handed over: under `key` (`command` unless told), to `tool`. */
export interface RunsOptions {
  key?: string;
  tool?: string;
}

/**
 * Asserts that `runsApprovalCommand` answers `expected` for each item of
 * `list`: a string as the value of `options.key` (`{ command: item }`), any
 * other item as the call's arguments themselves; the message names the item.
 */
export function assertRuns(
  list: readonly unknown[],
  expected: boolean,
  options: RunsOptions = {},
): void {
  const key = options.key ?? "command";
  for (const item of list) {
    const args = typeof item === "string" ? { [key]: item } : item;
    assert.equal(
      runsApprovalCommand(args, options.tool),
      expected,
      typeof item === "string" ? item : JSON.stringify(item),
    );
  }
}
