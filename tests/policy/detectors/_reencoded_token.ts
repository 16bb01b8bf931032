/**
 * What the tests of secrets a model re-encodes or splits share: a GitHub
 * token built from two parts (so no whole credential sits in the source),
 * its hex, a scan with every detector kind, and a policy that blocks
 * secrets, steps PHI up and allows PII.
 */
import { scanArguments } from "../../../src/policy/detectors/scan_arguments.ts";
import type { DetectorKind } from "../../../src/policy/detectors/finding.ts";
import { compilePolicy } from "../../../src/policy/compile_policy.ts";
import { evaluate } from "../../../src/policy/evaluate.ts";
import { parsePolicy } from "../../../src/policy/parse_policy.ts";
import { toolCall } from "../_call.ts";

export const ALL = new Set<DetectorKind>(["secret", "phi", "pii"]);
export const HEAD = "ghp_ZRwYhCxzScmYCnVo";
export const TAIL = "6e5BZSV4M3x0dI4N4KDQ";
export const TOKEN = HEAD + TAIL;

/** `text`'s UTF-8 bytes as lowercase hex digits. */
export function hex(text: string): string {
  return [...new TextEncoder().encode(text)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export function scan(args: unknown, maxChars?: number) {
  return scanArguments(args, maxChars === undefined ? { kinds: ALL } : { kinds: ALL, maxChars });
}

/** The findings as `type@path`, sorted. */
export function found(args: unknown): string[] {
  return scan(args).findings.map((f) => `${f.type}@${f.path}`).sort();
}

const policy = compilePolicy(parsePolicy(
  JSON.stringify({
    version: 1,
    default: "allow",
    rules: [],
    detectors: { secrets: "block", phi: "step_up", pii: "allow" },
  }),
  "t.jsonc",
));

/** The policy's verdict on a call to `echo` with `args`. */
export function evaluated(args: Record<string, unknown>) {
  return evaluate(policy, toolCall("everything", "echo", args), {});
}
