/**
 * Waiting for promises for a while at most: what a session's end does for
 * work still in progress (an approval being asked, a sweep reading the log
 * back) that it must not wait for forever.
 *
 * @example
 * ```ts
 * await settledWithin([sweeping], 5_000); // settled, or 5 s passed
 * ```
 */

/** Waits until every promise settles, or `ms` pass. */
export async function settledWithin(
  promises: readonly Promise<unknown>[],
  ms: number,
): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await Promise.race([Promise.allSettled(promises), late]);
  } finally {
    clearTimeout(timer);
  }
}
