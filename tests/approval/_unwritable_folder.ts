/**
 * Makes an existing folder one no file can be made in, for real: mode 0500
 * for a user who is not root, an immutable folder (`chattr +i`) for root,
 * whom modes do not stop. For tests of what thoth does when a write it
 * counts on fails after the folder was fine (a full disk, a folder made
 * read-only meanwhile).
 *
 * @example
 * ```ts
 * const undo = await lockFolder(`${home}/approvals`);
 * try { ... } finally { await undo?.(); }
 * ```
 */

/** Makes `dir` unwritable; returns how to undo it, or undefined when this machine allows neither way. */
export async function lockFolder(dir: string): Promise<(() => Promise<void>) | undefined> {
  if (Deno.uid() !== 0) {
    await Deno.chmod(dir, 0o500);
    return () => Deno.chmod(dir, 0o700);
  }
  const chattr = (flag: string) =>
    new Deno.Command("chattr", { args: [flag, dir], stdout: "null", stderr: "null" }).output()
      .then((out) => out.success, () => false);
  if (!(await chattr("+i"))) return undefined;
  return async () => {
    await chattr("-i");
  };
}

/** Whether {@linkcode lockFolder} really stops a write here (a probe in a temp folder). */
export async function canLockFolders(): Promise<boolean> {
  const dir = await Deno.makeTempDir({ prefix: "thoth-lock-probe-" });
  try {
    const undo = await lockFolder(dir);
    if (undo === undefined) return false;
    try {
      await Deno.writeTextFile(`${dir}/x`, "");
      return false;
    } catch {
      return true;
    } finally {
      await undo();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
