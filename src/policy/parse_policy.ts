/**
 * Reads a policy file's text (JSONC: comments and trailing commas allowed)
 * into a validated {@linkcode Policy}. Every problem names the file, the line
 * and column, and the offending key; duplicate keys and unknown keys are
 * errors, never silently ignored. The first problem (in file order) is the
 * message; the others follow as hints (up to {@linkcode MAX_HINTS}, then a
 * count), and the error carries every one of them as lines and as data
 * ({@linkcode InvalidPolicyError}). An unknown key or a misspelled value
 * near a known one says "did you mean"; a problem an unknown key causes in
 * its object (a required key missing, no predicate left) follows that key's.
 *
 * @example
 * ```ts
 * const policy = parsePolicy('{ "version": 1, "default": "block" }', "policy.jsonc");
 * // parsePolicy('{ "version": 1, "defualt": "block" }', "p.jsonc") throws
 * // AppError policy.invalid: policy "p.jsonc" line 1 column 17: defualt: unknown key, …
 * ```
 */
import {
  createScanner,
  findNodeAtLocation,
  getNodeValue,
  type Node,
  type ParseError,
  parseTree,
  printParseErrorCode,
} from "jsonc-parser";
import type { z } from "zod";
import { AppError } from "../errors.ts";
import { objectKeys } from "../config/object_keys.ts";
import { lineColumnAt, lineStarts } from "./line_column.ts";
import { policyKeyPath } from "./policy_key_path.ts";
import { nearestName } from "../nearest_name.ts";
import { InvalidPolicyError, type PolicyProblem } from "./invalid_policy_error.ts";
import { type Policy, policySchema } from "./policy_schema.ts";
import { MAX_POLICY_CHARS, policyBody } from "./policy_shape.ts";

/**
 * The most problems a message's hints list (as `thoth run` prints it); the
 * rest are counted. The error keeps every one: `thoth policy check` lists
 * them all ({@linkcode InvalidPolicyError.everyHint}).
 */
export const MAX_HINTS = 8;

const CANNOT_GOVERN =
  "thoth does not govern with a policy it cannot read: fix the file and try again";

/** What to say when a syntax error stands at a `#` or a `'`, which other formats allow. */
const JSONC_ONLY = "the policy is JSONC: comments are // … or /* … */ (not #), and strings " +
  "are in double quotes (not single)";

interface Problem {
  offset: number;
  key: string;
  what: string;
  /** The object an unknown key there may have caused this problem in (see {@linkcode followUnknownKeys}). */
  holder?: string;
  /** For an unknown key: the object it is in. */
  unknownIn?: string;
  /** Placed after the other problems at its offset. */
  late?: boolean;
}

const SYNTAX: Readonly<Record<string, string>> = {
  InvalidSymbol: "unexpected character",
  InvalidNumberFormat: "invalid number",
  PropertyNameExpected: "expected a quoted key",
  ValueExpected: "expected a value",
  ColonExpected: 'expected ":"',
  CommaExpected: 'expected ","',
  CloseBraceExpected: 'expected "}"',
  CloseBracketExpected: 'expected "]"',
  EndOfFileExpected: "expected the end of the file after the policy object",
  InvalidCommentToken: "invalid comment",
  UnexpectedEndOfComment: "comment is not closed",
  UnexpectedEndOfString: "string is not closed",
  UnexpectedEndOfNumber: "number is cut off",
  InvalidUnicode: "invalid unicode escape",
  InvalidEscapeCharacter: "invalid escape character",
  InvalidCharacter: "invalid character in string",
};

/** Parses and validates `text`; throws `policy.invalid` naming `fileName`, line and column. */
export function parsePolicy(file: string, fileName: string): Policy {
  const text = policyBody(file);
  if (text.length > MAX_POLICY_CHARS) {
    throw new AppError(
      "policy.invalid",
      `policy "${fileName}" is ${text.length} characters, over the ${MAX_POLICY_CHARS} limit`,
      { hints: ["a policy this large is almost certainly not the intended file"] },
    );
  }
  const syntaxErrors: ParseError[] = [];
  const tree = parseTree(text, syntaxErrors, {
    allowTrailingComma: true,
    disallowComments: false,
  });
  if (syntaxErrors.length > 0 || tree === undefined) {
    if (holdsNoValue(text)) {
      throw new AppError("policy.invalid", `policy "${fileName}": the file is empty`, {
        hints: [
          'a policy is one JSONC object, at the least { "version": 1, "default": "block" }; ' +
          '"thoth policy default" prints the default policy',
          CANNOT_GOVERN,
        ],
      });
    }
    const problems = syntaxErrors.map((e): Problem => ({
      offset: e.offset,
      key: "syntax",
      what: SYNTAX[printParseErrorCode(e.error)] ?? "invalid JSONC",
    }));
    if (problems.length === 0) {
      problems.push({ offset: 0, key: "syntax", what: "expected a value" });
    }
    const other = syntaxErrors.some((e) => text[e.offset] === "#" || text[e.offset] === "'");
    throw report(text, fileName, problems, other ? [JSONC_ONLY] : []);
  }
  const duplicates = keyProblems(tree);
  if (duplicates.length > 0) throw report(text, fileName, duplicates);

  const result = policySchema.safeParse(getNodeValue(tree));
  if (result.success) return result.data;
  const problems = result.error.issues.flatMap((i) => locate(text, tree, i));
  throw report(text, fileName, followUnknownKeys(problems));
}

/**
 * Moves a problem an unknown key in the same object may have caused (a
 * required key missing beside a misspelled one, an empty predicate whose
 * only key is misspelled) to right after that key's problem, which says
 * what was meant: the admin reads the cause first.
 */
function followUnknownKeys(problems: Problem[]): Problem[] {
  const unknownAt = new Map<string, number>();
  for (const p of problems) {
    if (p.unknownIn !== undefined && !unknownAt.has(p.unknownIn)) {
      unknownAt.set(p.unknownIn, p.offset);
    }
  }
  return problems.map((p) => {
    const offset = p.holder === undefined ? undefined : unknownAt.get(p.holder);
    return offset === undefined ? p : { ...p, offset, late: true };
  });
}

/**
 * jsonc-parser's `SyntaxKind` (a const enum, which isolated modules cannot
 * read) of white space, line breaks and comments, 12 to 15; 17 is the end.
 */
const FIRST_TRIVIA = 12;
const LAST_TRIVIA = 15;
const EOF = 17;

/** Whether `text` holds only white space and comments (an unclosed comment is more). */
function holdsNoValue(text: string): boolean {
  const scanner = createScanner(text, false);
  for (;;) {
    const token = scanner.scan();
    if (token === EOF) return true;
    if (scanner.getTokenError() !== 0) return false;
    if (token < FIRST_TRIVIA || token > LAST_TRIVIA) return false;
  }
}

/**
 * Keys the policy cannot hold: one repeated in an object, and `__proto__`,
 * which a JSON parser makes the object's prototype, so what it holds would
 * vanish from the policy (a rule's "args" would match anything).
 */
function keyProblems(tree: Node): Problem[] {
  const out: Problem[] = [];
  for (const { key, offset, path, repeated } of objectKeys(tree)) {
    if (key === "__proto__") {
      out.push({
        offset,
        key: policyKeyPath(path),
        what: 'the key "__proto__" cannot be used in a policy',
      });
    } else if (repeated) {
      out.push({ offset, key: policyKeyPath(path), what: "duplicate key" });
    }
  }
  return out;
}

function locate(text: string, tree: Node, issue: z.core.$ZodIssue): Problem[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
  if (issue.code === "unrecognized_keys") {
    const objectNode = findNodeAtLocation(tree, path);
    const expected = [...issue.message.matchAll(/"([^"]+)"/g)].map((m) => m[1] as string);
    return issue.keys.map((key): Problem => {
      const prop = objectNode?.children?.find((p) => p.children?.[0]?.value === key);
      const near = nearestName(key, expected);
      return {
        offset: prop?.children?.[0]?.offset ?? objectNode?.offset ?? 0,
        key: policyKeyPath([...path, key]),
        unknownIn: policyKeyPath(path),
        what: near === undefined
          ? issue.message
          : issue.message.replace(/^unknown key, /, `unknown key, did you mean "${near}"? `),
      };
    });
  }
  const node = findNodeAtLocation(tree, path);
  let offset = node?.offset;
  if (offset === undefined) {
    // A missing key: point at the nearest enclosing value that exists.
    for (let n = path.length - 1; n >= 0 && offset === undefined; n--) {
      offset = findNodeAtLocation(tree, path.slice(0, n))?.offset;
    }
  }
  let what = issue.message;
  if (node?.type === "number" && !Number.isFinite(node.value)) {
    // JSON reads 1e400 as Infinity, which no rule can compare with.
    what = `the number ${
      text.slice(node.offset, node.offset + node.length)
    } is beyond the range a policy can use (±1.8e308)`;
  } else if (node === undefined && issue.code !== "custom") {
    what = issue.code === "invalid_type"
      ? `missing required key, expected ${article(issue.expected)}`
      : `missing required key, ${lowerFirst(issue.message)}`;
  } else if (issue.code === "invalid_type") {
    what = `expected ${article(issue.expected)}, got ${article(node?.type ?? "value")}`;
  } else if (issue.code === "too_small" || issue.code === "too_big") {
    what = issue.message.replace(/^Too (small|big): /, "");
  } else if (issue.code === "invalid_value" && typeof node?.value === "string") {
    const values = issue.values.filter((v): v is string => typeof v === "string");
    // A value is one of a few words: only a slip of case, `_` or one letter is a typo of one.
    const near = nearestName(node.value, values, { maxEdits: 1 });
    if (near !== undefined) what = `${what}; did you mean "${near}"?`;
  }
  // A problem of the object itself, or a key missing from it: an unknown key there may be why.
  const holder = node === undefined
    ? policyKeyPath(path.slice(0, -1))
    : node.type === "object" && issue.code === "custom"
    ? policyKeyPath(path)
    : undefined;
  return [{
    offset: offset ?? 0,
    key: policyKeyPath(path),
    what: lowerFirst(what),
    ...(holder === undefined ? {} : { holder }),
  }];
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function lowerFirst(text: string): string {
  return text.length > 1 && /^[A-Z][a-z]/.test(text)
    ? text[0]!.toLowerCase() + text.slice(1)
    : text;
}

/**
 * The error for `problems`: the first in file order, the next few as hints
 * after `remedies` (`thoth policy check` lists them all: see
 * `InvalidPolicyError.listingEveryProblem`).
 */
function report(
  text: string,
  fileName: string,
  problems: Problem[],
  remedies: readonly string[] = [],
): InvalidPolicyError {
  const sorted = [...problems].sort((a, b) =>
    a.offset - b.offset || Number(a.late === true) - Number(b.late === true)
  );
  const starts = lineStarts(text);
  const found = sorted.map((p): PolicyProblem => ({
    ...lineColumnAt(starts, p.offset),
    key: p.key,
    message: p.what,
  }));
  const lines = found.map((p) =>
    `policy "${fileName}" line ${p.line} column ${p.column}: ${p.key}: ${p.message}`
  );
  const hints = [...remedies, ...lines.slice(1, 1 + MAX_HINTS)];
  if (lines.length > 1 + MAX_HINTS) {
    hints.push(
      `${lines.length - 1 - MAX_HINTS} more problems: run "thoth policy check" to list them all`,
    );
  }
  return new InvalidPolicyError(lines[0] as string, [...hints, CANNOT_GOVERN], found, [
    ...remedies,
    ...lines.slice(1),
    CANNOT_GOVERN,
  ]);
}
