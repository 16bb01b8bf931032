/**
 * Whether a promise settles (resolves or rejects) within a time: the waits of
 * a session's shutdown, each bounded.
 *
 * @example
 * ```ts
 * if (!(await settlesWithin(child.status, 2000))) child.kill("SIGKILL");
 * ```
 */
export function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise.then(() => true, () => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
