/**
 * A binary installed beside thoth (`thothctl`, which has no network
 * permission of its own) brought to the same release, under the main
 * binary's update lock.
 */
import { AppError } from "../errors.ts";
import { installedVersion } from "./installed_version.ts";
import { updateBinary } from "./update_binary.ts";
import type { CompanionResult, Release, UpdateRequest } from "./update_request.ts";

/**
 * Brings the binary `name` installed beside the main one (thothctl beside
 * thoth) to the same release: the same manifest, signature check and SHA-256
 * check, under the main binary's lock. Undefined when no such binary is
 * there; a failure is reported in the result, not thrown, since the main
 * binary's update stands.
 *
 * @example
 * ```ts
 * await updateCompanion(request, release, keys, "thothctl", "/usr/local/bin/.thoth.update-lock");
 * // { binary: "thothctl", status: "updated", … }, or undefined when no thothctl is beside thoth
 * ```
 */
export async function updateCompanion(
  request: UpdateRequest,
  release: Release,
  verifierKeys: readonly string[],
  name: string,
  lockPath: string,
): Promise<CompanionResult | undefined> {
  const { deps, manifest, progress } = release;
  const windows = deps.os === "windows";
  const cut = Math.max(deps.execPath.lastIndexOf("/"), deps.execPath.lastIndexOf("\\"));
  const dir = cut < 0 ? "." : deps.execPath.slice(0, Math.max(cut, 1));
  const path = `${dir}${windows ? "\\" : "/"}${name}${windows ? ".exe" : ""}`;
  try {
    if (!(await Deno.lstat(path)).isFile) return undefined;
  } catch {
    return undefined;
  }
  progress(`${name} is installed beside it: ${path}`);
  try {
    const current = await installedVersion(path, name, deps.versionTimeoutMs ?? 30_000);
    const result = await updateBinary(request, release, verifierKeys, {
      binary: name,
      path,
      current,
      lockPath,
    });
    return { binary: name, ...result };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return {
      binary: name,
      status: "failed",
      current: "unknown",
      latest: manifest.version,
      path,
      reason: { code: error.code, message: error.message, hints: error.hints },
    };
  }
}
