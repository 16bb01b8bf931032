/**
 * The part of doctor's `profile` check about the key and token files that
 * `THOTH_API_KEY_FILE` and `THOTH_AUTH_TOKEN_FILE` name outside the profile:
 * each must be 0600 (`namedSecretExposure`, in the words `thoth run` warns
 * with) and the profile user's or root's, in folders no other user owns or
 * may write to, and not reached through a link another user owns. Each
 * problem comes with a pasteable POSIX shell fix (a `chmod`, or an
 * `install` of a copy the user owns), every path single-quoted.
 *
 * @example
 * ```ts
 * const named = await inspectNamedFiles(context, 1000, "you (uid 1000)");
 * named.fixes; // ["chmod 600 '/run/secrets/thoth.key'"]
 * ```
 */
import { validateThothEnv } from "../identity/validate_thoth_env.ts";
import { joinPath } from "../platform/join_path.ts";
import { modeText, othersMayReplaceIn } from "../platform/file_mode.ts";
import type { DoctorContext } from "./doctor_context.ts";
import { shellQuote } from "./shell_quote.ts";
import { namedSecretExposure } from "../identity/secret_mode_verdict.ts";

/**
 * The key and token files the environment names outside the profile: each
 * must be 0600 and belong to the profile's user (`uid`) or to root, in a
 * folder that others cannot write to (or that has the sticky bit, like
 * /tmp) and that no other user owns, or someone else could read or swap the
 * credential. A missing or unreadable file is the credentials check's to report.
 */
export async function inspectNamedFiles(
  context: DoctorContext,
  uid: number | null,
  whom: string,
): Promise<{ problems: string[]; fixes: string[] }> {
  const foreign = (owner: number | null) =>
    uid !== null && owner !== null && owner !== uid && owner !== 0;
  const problems: string[] = [];
  const fixes: string[] = [];
  const validated = validateThothEnv(context.env, context.os);
  if (!validated.ok) return { problems, fixes };
  const folders = new Set<string>();
  const named: [string, string | null][] = [
    ["THOTH_API_KEY_FILE", validated.env.apiKeyFile],
    ["THOTH_AUTH_TOKEN_FILE", validated.env.authTokenFile],
  ];
  // Where a pasted fix makes the user's own copy: owned by the profile's user even when
  // root runs doctor for them (root's copy would be unreadable to that user).
  const self = context.host.uid();
  const owner = uid !== null && self !== uid ? ` -o ${uid}` : "";
  const copyFor = (variable: string, path: string) => {
    const copy = joinPath(context.thothHome, `${variable.toLowerCase()}.own`);
    fixes.push(`install -m 600${owner} ${shellQuote(path)} ${shellQuote(copy)}`);
    return `set ${variable} to a copy you own, such as "${copy}"`;
  };
  const home = await Deno.realPath(context.thothHome).catch(() => context.thothHome);
  for (const [variable, given] of named) {
    if (given === null) continue;
    // Judged where it really is: `..` and links resolved.
    const path = await Deno.realPath(given).catch(() => undefined);
    if (path === undefined || inspectedInProfile(path, home)) continue;
    let file: Deno.FileInfo;
    try {
      file = await Deno.stat(path);
    } catch {
      continue;
    }
    if (!file.isFile) continue;
    const where = path === given ? `"${given}"` : `"${given}" (${path})`;
    if (foreign(file.uid)) {
      // Its owner can change the credential thoth presents: a copy of the user's own replaces it.
      problems.push(
        `${variable} ${where} is owned by uid ${file.uid}, not ${whom} or root: that user can ` +
          `change the credential thoth presents; ${copyFor(variable, path)}`,
      );
      continue;
    }
    // In thoth run's words, which warns of it (a mounted secret is often 0444 or 0644).
    const exposed = namedSecretExposure(variable, where, file.mode);
    if (exposed !== null) {
      problems.push(`${exposed.problem} (${exposed.mounted})`);
      fixes.push(`chmod 600 ${shellQuote(path)}`);
    }
    // The folder the file is really in, and the one the variable names it in (a link there
    // can be swapped for another by whoever may write to that folder).
    const written = given.slice(0, Math.max(given.lastIndexOf("/"), 1));
    const real = path.slice(0, Math.max(path.lastIndexOf("/"), 1));
    let copied = false;
    for (const folder of written === real ? [real] : [written, real]) {
      let dir: Deno.FileInfo;
      try {
        dir = await Deno.stat(folder);
      } catch {
        continue; // The file was just found through it; one that vanished is the credentials check's.
      }
      if (foreign(dir.uid)) {
        problems.push(
          `the folder of ${variable}, "${folder}", is owned by uid ${dir.uid}, not ${whom} or ` +
            `root: that user can replace the file in it${
              copied ? "" : `; ${copyFor(variable, path)}`
            }`,
        );
        copied = true;
        continue;
      }
      const dirMode = dir.mode ?? 0;
      if (othersMayReplaceIn(dirMode)) {
        problems.push(
          `the folder of ${variable}, "${folder}", is ${
            modeText(dirMode)
          }: other users can replace the file in it`,
        );
        if (!folders.has(folder)) fixes.push(`chmod go-w ${shellQuote(folder)}`);
        folders.add(folder);
      }
    }
    // A link another user owns, even in a sticky folder such as /tmp, is theirs to replace.
    const link = await Deno.lstat(given).catch(() => undefined);
    if (link?.isSymlink === true && foreign(link.uid) && !copied) {
      problems.push(
        `${variable} "${given}" is a link owned by uid ${link.uid}, not ${whom} or root: that ` +
          `user can point it elsewhere; ${copyFor(variable, path)}`,
      );
    }
  }
  return { problems, fixes };
}

/** Whether the profile check itself inspects the file at `path` (a real path under `home`). */
function inspectedInProfile(path: string, home: string): boolean {
  if (!path.startsWith(`${home}/`)) return false;
  const inside = path.slice(home.length + 1);
  return inside === "proxy_api_key.json" || /^(?:keys|sessions)\/[^/]+$/.test(inside);
}
