/**
 * Compiles a validated {@linkcode Policy} once, so each evaluation is a few
 * regex tests: globs become anchored RegExps, argument paths are parsed,
 * disabled rules are dropped, and defaults are filled in. Argument predicates
 * of `allow` rules must hold for every value their path selects, those of
 * `block` and `step_up` rules for some value (see `compilePredicate`).
 * Missing detector levels take the security-first defaults `phi: "step_up"`,
 * `secrets: "block"`, `pii: "allow"`.
 *
 * @example
 * ```ts
 * const compiled = compilePolicy(parsePolicy(text, "policy.jsonc"));
 * const evaluation = evaluate(compiled, call, { intent: undefined });
 * ```
 */
import { AppError } from "../errors.ts";
import { compilePredicate, type PathOptions } from "./compile_predicate.ts";
import type {
  CompiledIntent,
  CompiledPolicy,
  CompiledRule,
  ProgressiveSettings,
} from "./compiled_policy.ts";
import { DEFAULT_PROGRESSIVE } from "./default_progressive.ts";
import type { DetectorKind } from "./detectors/finding.ts";
import { compileOwnFiles, type VariableFolders } from "./own_files.ts";
import { nameGlob, type NameMatcher } from "./name_glob.ts";
import { parseDuration } from "./parse_duration.ts";
import type { Policy } from "./policy_schema.ts";
import { compileProjectConfigs } from "./project_configs.ts";
import type { ToolAnnotations } from "./tool_call.ts";

/**
 * A rule's server or tool globs, matched without regular expressions (see
 * `name_glob.ts`); `*`, `?` and `[!…]` read across `/` with `acrossSlash`.
 */
function globs(
  v: string | readonly string[] | undefined,
  acrossSlash: boolean,
): NameMatcher[] | undefined {
  if (v === undefined) return undefined;
  return (Array.isArray(v) ? v : [v as string]).map((glob) => nameGlob(glob, acrossSlash));
}

/** How to compile a policy: how paths are read, and where thoth's own files are. */
export interface CompileOptions extends PathOptions {
  /**
   * thoth's profile folder (`THOTH_HOME`), then other spellings of it (its
   * real path): a call whose arguments reach one is blocked in every mode,
   * before the policy's rules (see `own_files.ts`). The policy cannot
   * change this.
   */
  ownFolders?: readonly string[] | undefined;
  /**
   * The files that govern thoth outside the profile folder, each by its path
   * and its real path (a `--policy` file elsewhere, where a linked
   * `policy.jsonc` or `intent_map.json` leads): reached by no call either
   * (`thoth.own_files`), so a server cannot loosen its own policy.
   */
  governingFiles?: readonly string[] | undefined;
  /**
   * The MCP clients' config files (`protectedClientConfigs`): a call whose
   * arguments reach one is blocked the same way (`thoth.client_config`).
   */
  clientConfigs?: readonly string[] | undefined;
  /**
   * `APPDATA` and `XDG_CONFIG_HOME` as the session sees them: a shell
   * command that names a protected file under one by the variable
   * (`%APPDATA%\Claude\…`, `$XDG_CONFIG_HOME/Code/…`) reaches it too.
   * Their defaults under `home` without it.
   */
  variableFolders?: VariableFolders | undefined;
}

/** Compiles `policy`; throws `policy.invalid` if it holds something the schema let through. */
export function compilePolicy(policy: Policy, options: CompileOptions = {}): CompiledPolicy {
  const rules: CompiledRule[] = [];
  for (const rule of policy.rules ?? []) {
    if (rule.enabled === false) continue;
    const annotations = Object.entries(rule.match.annotations ?? {})
      .filter((e): e is [keyof ToolAnnotations, boolean] => typeof e[1] === "boolean");
    // An allow rule needs every selected value to qualify; for a rule that blocks or
    // steps up, one offending value (say one element of "paths[*]") is enough.
    const quantifier = rule.decision === "allow" ? "every" : "some";
    // A name is no path: a rule that blocks or steps up reads `*` across `/` too
    // (`repos/delete` is inside `*`); an allow rule's globs stop at `/`, as an intent's do.
    const acrossSlash = quantifier === "some";
    rules.push({
      id: rule.id,
      decision: rule.decision,
      reason: rule.reason ?? "matched (no reason given)",
      reasonGiven: rule.reason !== undefined,
      server: globs(rule.match.server, acrossSlash),
      tool: globs(rule.match.tool, acrossSlash),
      listed: rule.match.listed,
      annotations,
      args: Object.entries(rule.match.args ?? {}).map(([path, p]) =>
        compilePredicate(path, p, quantifier, options)
      ),
    });
  }
  const intents = new Map<string, CompiledIntent>();
  for (const [name, intent] of Object.entries(policy.intents ?? {})) {
    intents.set(name, {
      name,
      tools: intent.tools.map((glob) => nameGlob(glob)),
      onViolation: intent.onViolation ?? "block",
      description: intent.description,
    });
  }
  const d = policy.detectors;
  const detectors = {
    phi: d?.phi ?? "step_up",
    pii: d?.pii ?? "allow",
    secret: d?.secrets ?? "block",
  } as const;
  const scanKinds = new Set<DetectorKind>(
    (Object.keys(detectors) as DetectorKind[]).filter((k) => detectors[k] !== "off"),
  );
  let progressive: ProgressiveSettings = DEFAULT_PROGRESSIVE;
  if (policy.progressive !== undefined) {
    const windowMs = parseDuration(policy.progressive.window);
    if (windowMs === undefined) {
      throw new AppError(
        "policy.invalid",
        `progressive window "${policy.progressive.window}" is not a duration`,
        { hints: ['write a duration such as "24h", "30m" or "7d"'] },
      );
    }
    progressive = {
      window: policy.progressive.window,
      windowMs,
      stepUpAfter: policy.progressive.stepUpAfter,
      blockAfter: policy.progressive.blockAfter,
    };
  }
  return {
    source: policy,
    default: policy.default,
    rules,
    intents,
    detectors,
    risk: { stepUpAt: d?.risk?.stepUpAt, blockAt: d?.risk?.blockAt },
    scanKinds,
    progressive,
    safeToLog: policy.audit?.safeToLog ?? [],
    // The same options object as the rules': the bases a session learns reach both.
    ownFiles: compileOwnFiles(options.ownFolders ?? [], options),
    governingFiles: compileOwnFiles(options.governingFiles ?? [], options, "governing_file"),
    clientConfigs: compileOwnFiles(options.clientConfigs ?? [], options, "client_config"),
    // With the clients' configs (as `thoth run` and `policy explain` compile it), their
    // project configs in any folder.
    projectConfigs: (options.clientConfigs?.length ?? 0) > 0
      ? compileProjectConfigs(options)
      : undefined,
    candidates: new Map(),
  };
}
