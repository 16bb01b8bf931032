/**
 * The policy set-up the own-files tests share: a policy that allows by
 * default, compiled for a person's home on Linux, macOS or Windows with
 * thoth's own folder at `~/.thoth` and the clients' configs of that system
 * protected, and a tool call judged against it.
 */
import { type CompileOptions, compilePolicy } from "../../src/policy/compile_policy.ts";
import { evaluate } from "../../src/policy/evaluate.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import { protectedClientConfigs } from "../../src/config/protected_client_configs.ts";
import { toolCall } from "./_call.ts";

/** A policy with no rules of its own: what is refused, thoth's own protections refuse. */
export const POLICY = parsePolicy(JSON.stringify({ version: 1, default: "allow" }), "p.jsonc");

/** The rule a call the policy lets through is put down to. */
export const ALLOWED = "policy.default";

/** The environment variables a session is compiled with. */
export type Env = Record<string, string>;

/** The home folder `env` names on `os`, and that system's path separator. */
export function homeOf(os: string, env: Env): { home: string; sep: string } {
  return {
    home: os === "windows" ? env["USERPROFILE"]! : env["HOME"]!,
    sep: os === "windows" ? "\\" : "/",
  };
}

/**
 * The policy compiled for `os` and the home `env` names: thoth's folder is
 * `~/.thoth`, the working folder `/work` (`C:\work`), the clients' configs
 * those of `env`; `options` override any of it.
 */
export function ownFilesSession(os: string, env: Env, options: Partial<CompileOptions> = {}) {
  const { home, sep } = homeOf(os, env);
  return compilePolicy(POLICY, {
    home,
    os,
    bases: [os === "windows" ? "C:\\work" : "/work"],
    ownFolders: [`${home}${sep}.thoth`],
    clientConfigs: protectedClientConfigs({ os, env }),
    ...options,
  });
}

/** A compiled session. */
export type Session = ReturnType<typeof ownFilesSession>;

/** The sessions of a person `u` on each system. */
export const LINUX: Session = ownFilesSession("linux", { HOME: "/home/u" });
export const MAC: Session = ownFilesSession("darwin", { HOME: "/Users/u" });
export const WINDOWS: Session = ownFilesSession("windows", {
  USERPROFILE: "C:\\Users\\u",
  APPDATA: "C:\\Users\\u\\AppData\\Roaming",
});

/** How `policy` judges a call of `tool` with `args`. */
export function judge(policy: Session, args: Record<string, unknown>, tool: string) {
  return evaluate(policy, toolCall("fs", tool, args), { intent: undefined });
}

/** The rules `policy` puts a call of `tool` with `args` down to, joined with commas. */
export function rulesOf(policy: Session, args: Record<string, unknown>, tool: string): string {
  return judge(policy, args, tool).ruleIds.join(",");
}
