/**
 * What `thoth doctor` uses until the policy engine, wrap-config and the audit
 * module are plugged in: the policy must parse as JSONC with an object at the
 * top; client discovery is unavailable; the audit log is reported `missing`
 * or `unknown` from the presence of `<thothHome>/audit`.
 *
 * @example
 * ```ts
 * defaultDoctorPlugins.validatePolicy("{ // rules\n}", "policy.jsonc").ok; // true
 * ```
 */
import { parse, type ParseError, printParseErrorCode } from "jsonc-parser";
import { joinPath } from "../platform/join_path.ts";
import type { AuditHealth, DoctorPlugins, PolicyValidation } from "./doctor_plugins.ts";
import { lineColumnAt, lineStarts } from "../policy/line_column.ts";

/** The stand-in plugins. */
export const defaultDoctorPlugins: DoctorPlugins = {
  validatePolicy: parsesAsJsoncObject,
  discoverClients: null,
  auditHealth: async ({ thothHome }): Promise<AuditHealth> => {
    const none = { lastSequence: null, lastCheckpointAt: null, verified: null };
    try {
      await Deno.stat(joinPath(thothHome, "audit"));
    } catch {
      return {
        ...none,
        status: "missing",
        message: "no audit log yet: it starts with the first governed tool call",
      };
    }
    return {
      ...none,
      status: "unknown",
      message: "audit log present; this build does not verify it",
    };
  },
};

function parsesAsJsoncObject(text: string, path: string): PolicyValidation {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (first !== undefined) {
    const { line, column } = lineColumn(text, first.offset);
    return {
      ok: false,
      message: `cannot parse policy "${path}": line ${line} column ${column}: ${
        describe(printParseErrorCode(first.error))
      }`,
      hint: `fix the policy at line ${line}, or move "${path}" aside to use the default`,
    };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return {
      ok: false,
      message: `policy "${path}" must be a JSON object at the top level`,
      hint: "wrap the policy in { … }",
    };
  }
  return { ok: true, message: `policy "${path}" parses` };
}

/** Where `offset` is, counted as `thoth policy check` counts it (a lone `\r` ends a line too). */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  return lineColumnAt(lineStarts(text), offset);
}

function describe(code: string): string {
  const known: Record<string, string> = {
    CommaExpected: 'expected "," or "}"',
    ColonExpected: 'expected ":"',
    PropertyNameExpected: "expected a property name",
    ValueExpected: "expected a value",
    CloseBraceExpected: 'expected "}"',
    CloseBracketExpected: 'expected "]"',
    EndOfFileExpected: "unexpected text after the end",
    InvalidSymbol: "unexpected character",
    UnexpectedEndOfString: "unterminated string",
    UnexpectedEndOfComment: "unterminated comment",
  };
  return known[code] ?? code;
}
