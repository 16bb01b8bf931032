/**
 * The policy file format (version 1), as a strict zod schema: unknown keys are
 * rejected everywhere, globs and regexes are checked when the file is read.
 *
 * ```jsonc
 * {
 *   "version": 1,
 *   "default": "allow",            // verdict when no rule matches
 *   "intents": { "calendar_management": { "tools": ["list_events", "create_*"] } },
 *   "rules": [{ "id": "no-deletes", "match": { "tool": "*delete*" }, "decision": "step_up" }],
 *   "detectors": { "phi": "step_up", "secrets": "block", "pii": "allow" },
 *   "progressive": { "window": "24h", "stepUpAfter": 1, "blockAfter": 3 },
 *   "audit": { "safeToLog": ["path"] }
 * }
 * ```
 *
 * @example
 * ```ts
 * const policy: Policy = policySchema.parse({ version: 1, default: "block" });
 * ```
 */
import { z } from "zod";
import { compileArgPath } from "./compile_arg_path.ts";
import { decisionSchema } from "./decision_schema.ts";
import { globToRegExp } from "./glob_to_regexp.ts";
import { anchoredAdminRegExp } from "./admin_regexp.ts";
import { parseDuration } from "./parse_duration.ts";

function strict<T extends z.core.$ZodLooseShape>(shape: T) {
  const keys = Object.keys(shape).map((k) => `"${k}"`).join(", ");
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === "unrecognized_keys" ? `unknown key, expected one of ${keys}` : undefined,
  });
}

const glob = z.string().min(1, "expected a non-empty glob").superRefine((text, ctx) => {
  try {
    globToRegExp(text);
  } catch (error) {
    ctx.addIssue({ code: "custom", message: (error as Error).message });
  }
});

const globs = z.union([glob, z.array(glob).min(1, "expected at least one glob")], {
  error: "expected a glob or a list of globs",
});

const regex = z.string().min(1, "expected a non-empty regex").superRefine((text, ctx) => {
  try {
    anchoredAdminRegExp(text);
  } catch (error) {
    ctx.addIssue({ code: "custom", message: regexProblem(text, error as Error) });
  }
});

/** What is wrong with the regex `text`, quoted as the author wrote it. */
function regexProblem(text: string, error: Error): string {
  const problem = `invalid regex ${JSON.stringify(text)}: ${error.message}`;
  // `(?i)` sets a flag for the whole pattern elsewhere; JavaScript takes flags on a group only.
  return /\(\?[a-zA-Z]+\)/.test(text)
    ? `${problem}; to set a flag write it on a group, as in "(?i:drop)"`
    : problem;
}

const primitive = z.union([z.string(), z.number(), z.boolean(), z.null()], {
  error: "expected a string, number, boolean or null",
});

const predicateSchema = strict({
  equals: primitive.optional(),
  notEquals: primitive.optional(),
  glob: globs.optional(),
  notGlob: globs.optional(),
  regex: regex.optional(),
  notRegex: regex.optional(),
  prefix: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], {
    error: "expected a string or a list of strings",
  }).optional(),
  oneOf: z.array(primitive).min(1, "expected at least one value").optional(),
  notOneOf: z.array(primitive).min(1, "expected at least one value").optional(),
  exists: z.boolean().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
}).refine((p) => Object.keys(p).length > 0, "expected at least one predicate");

const argsSchema = z.record(z.string(), predicateSchema).superRefine((args, ctx) => {
  for (const key of Object.keys(args)) {
    if (compileArgPath(key) === undefined) {
      ctx.addIssue({
        code: "custom",
        path: [key],
        message: 'invalid argument path, expected for example "path", "options.path" or "items[*]"',
      });
    }
  }
});

const annotationsSchema = strict({
  readOnlyHint: z.boolean().optional(),
  destructiveHint: z.boolean().optional(),
  idempotentHint: z.boolean().optional(),
  openWorldHint: z.boolean().optional(),
});

const matchSchema = strict({
  server: globs.optional(),
  tool: globs.optional(),
  listed: z.boolean().optional(),
  annotations: annotationsSchema.optional(),
  args: argsSchema.optional(),
});

const ruleSchema = strict({
  id: z.string().regex(
    /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
    "expected letters, digits, '-' or '_' (at most 64, no dots: dotted ids are thoth's own)",
  ),
  match: matchSchema,
  decision: decisionSchema,
  reason: z.string().min(1).max(200).optional(),
  enabled: z.boolean().optional(),
});

const intentSchema = strict({
  tools: z.array(glob).min(1, "expected at least one tool glob"),
  onViolation: z.enum(["step_up", "block"], { error: 'expected "step_up" or "block"' }).optional(),
  description: z.string().max(200).optional(),
});

const detectorLevel = z.enum(["off", "allow", "step_up", "block"], {
  error: 'expected "off", "allow", "step_up" or "block"',
});

const riskSchema = strict({
  stepUpAt: z.number().int().min(1).max(100).optional(),
  blockAt: z.number().int().min(1).max(100).optional(),
});

const detectorsSchema = strict({
  phi: detectorLevel.optional(),
  pii: detectorLevel.optional(),
  secrets: detectorLevel.optional(),
  risk: riskSchema.optional(),
});

const progressiveSchema = strict({
  window: z.string().refine(
    (w) => parseDuration(w) !== undefined,
    'expected a duration such as "24h", "30m" or "7d" (at most 400 days)',
  ),
  stepUpAfter: z.number().int().min(0).max(1000),
  blockAfter: z.number().int().min(0).max(1000),
});

const auditSchema = strict({
  safeToLog: z.array(z.string().min(1)).optional(),
});

/** The schema of a version 1 policy. */
export const policySchema = strict({
  $schema: z.string().optional(),
  version: z.literal(1, { error: "expected 1, the only policy version this thoth reads" }),
  default: decisionSchema,
  intents: z.record(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/), intentSchema).optional(),
  rules: z.array(ruleSchema).max(10_000).optional(),
  detectors: detectorsSchema.optional(),
  progressive: progressiveSchema.optional(),
  audit: auditSchema.optional(),
}).superRefine((policy, ctx) => {
  const seen = new Set<string>();
  policy.rules?.forEach((rule, i) => {
    if (seen.has(rule.id)) {
      ctx.addIssue({
        code: "custom",
        path: ["rules", i, "id"],
        message: `duplicate rule id "${rule.id}"`,
      });
    }
    seen.add(rule.id);
  });
  const p = policy.progressive;
  if (p !== undefined && p.blockAfter < p.stepUpAfter) {
    ctx.addIssue({
      code: "custom",
      path: ["progressive", "blockAfter"],
      message: `must be at least stepUpAfter (${p.stepUpAfter})`,
    });
  }
  const risk = policy.detectors?.risk;
  if (risk?.stepUpAt !== undefined && risk.blockAt !== undefined && risk.blockAt < risk.stepUpAt) {
    ctx.addIssue({
      code: "custom",
      path: ["detectors", "risk", "blockAt"],
      message: `must be at least stepUpAt (${risk.stepUpAt})`,
    });
  }
});

/** A validated policy, as read from a file. */
export type Policy = z.infer<typeof policySchema>;
