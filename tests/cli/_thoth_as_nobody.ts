/**
 * The real `thoth` from source as another, unprivileged user (uid and gid
 * 65534, no supplementary groups, through util-linux `setpriv`), for the
 * tests of what a user who is not root may do. Deno's cache is usually in
 * root's home, out of that user's reach: the runs share one that user owns,
 * with the npm packages hard-linked into it (see `nobodyDenoDir`). Only as
 * root, where setpriv is.
 */
import { CONFIG, DENO, ROOT, V8_FLAGS } from "../e2e/_harness.ts";
import { NOBODY, nobodyDenoDir, ROOT as IS_ROOT } from "../platform/_as_nobody.ts";
import { tempFolder } from "../_temp_dirs.ts";

export { NOBODY };

/** Whether {@linkcode thothAsNobody} can run here. */
export const CAN_RUN_AS_NOBODY = IS_ROOT;

/** Runs `thoth ARGS` as uid 65534 with `env` (HOME and THOTH_HOME among it) and `stdin`. */
export async function thothAsNobody(
  args: readonly string[],
  options: { env: Record<string, string>; stdin?: string },
): Promise<{ code: number; out: string; err: string }> {
  const cache = await nobodyDenoDir();
  const child = new Deno.Command("/usr/bin/setpriv", {
    args: [
      `--reuid=${NOBODY.uid}`,
      `--regid=${NOBODY.gid}`,
      "--clear-groups",
      DENO,
      "run",
      "-P=thoth",
      "--no-prompt",
      "--quiet",
      "--cached-only",
      V8_FLAGS,
      `--config=${CONFIG}`,
      `${ROOT}/src/cli/thoth.ts`,
      ...args,
    ],
    clearEnv: true,
    env: { PATH: "/usr/bin:/bin", NO_COLOR: "1", DENO_DIR: cache, ...options.env },
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin));
    await writer.close();
  }
  const output = await child.output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    out: decoder.decode(output.stdout),
    err: decoder.decode(output.stderr),
  };
}

/** A key of the shape of thoth's agent keys, for the `set-api-key` tests. */
export const AGENT_KEY = "aten_thoth_agent_prod_0123456789";

/** `thoth set-api-key --api-key -` as uid 65534 with `env`, given {@linkcode AGENT_KEY} on stdin. */
export async function setApiKeyAsNobody(
  env: Record<string, string>,
): Promise<{ code: number; out: string; err: string }> {
  return await thothAsNobody(["set-api-key", "--api-key", "-"], { env, stdin: `${AGENT_KEY}\n` });
}

/** Whether anything is at `path` (a link is not followed). */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** A folder made by this test's user (root) that uid 65534 may enter, for its profiles. */
export async function sharedRoot(prefix: string): Promise<string> {
  const dir = await tempFolder(prefix);
  await Deno.chmod(dir, 0o755);
  return dir;
}

/** Names the cases that act as a user who is not root (skipped otherwise). */
export const NEEDS_ONE_USER = " (needs root and /usr/bin/setpriv to act as a user who is not " +
  "root: skipped otherwise)";
/** Names the cases that act as two users who are not root (skipped otherwise). */
export const NEEDS_TWO_USERS = " (needs root and /usr/bin/setpriv to act as two users who are " +
  "not root: skipped otherwise)";
/** Another user who is not root, who changes what they can on the user's way. */
export const OTHER_UID = 4444;
/** A policy that blocks what no rule allows. */
export const STRICT_POLICY = '{"version": 1, "default": "block"}';
/** A policy that allows everything and looks for nothing. */
export const OPEN_POLICY = JSON.stringify({
  version: 1,
  default: "allow",
  rules: [],
  detectors: { secrets: "off", phi: "off", pii: "off" },
});
/** `thoth policy explain` of a call the strict policy blocks and the open one allows. */
export const EXPLAIN_DELETE = [
  "policy",
  "explain",
  "--server",
  "s",
  "--tool",
  "delete_everything",
  "--json",
];

/** Runs `command` in /bin/sh as `uid` (no groups but its own, gid `uid`); whether it worked. */
export async function shellAs(uid: number, command: string): Promise<boolean> {
  const output = await new Deno.Command("/usr/bin/setpriv", {
    args: [`--reuid=${uid}`, `--regid=${uid}`, "--clear-groups", "/bin/sh", "-c", command],
    clearEnv: true,
    env: { PATH: "/usr/bin:/bin" },
    stdout: "null",
    stderr: "null",
  }).output();
  return output.success;
}
