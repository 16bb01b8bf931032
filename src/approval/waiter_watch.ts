/**
 * Whether the thoth that queued an approval request is gone: the request is
 * then `orphaned` (nothing would read an answer to it), and a person's
 * approval it never took never reached its call. Gone means: its pid no
 * longer runs or runs a later process (see `waiter_alive.ts`), where the pid
 * can be trusted (the request records the same PID namespace and boot as the
 * reader's, see `host_identity.ts`): at once for a person answering, once
 * the request file went quiet for a listing; anywhere else (another
 * namespace, a container that shares the profile, another boot, or either
 * unknown) the pid may name some other process, and the file's quiet time
 * alone decides, over the longer {@linkcode ORPHAN_UNVERIFIED_QUIET_MS}.
 * A waiting thoth refreshes its request file's time every
 * {@linkcode REFRESH_MS} while it waits.
 *
 * @example
 * ```ts
 * const watch = new WaiterWatch(folder, Date.now, waiterAlive, probeHostIdentity);
 * await watch.orphaned(entry); // true once its thoth is known to be gone
 * ```
 */
import type { QueueEntry } from "./queue_record.ts";
import type { QueueFolder } from "./queue_folder.ts";
import type { HostIdentity } from "./host_identity.ts";

/** Whether the process `pid` that queued a request at `createdAt` still runs; undefined: unknown. */
export type WaiterCheck = (
  pid: number,
  createdAt: number,
) => boolean | undefined | Promise<boolean | undefined>;

/** The reader's own PID namespace and boot (see `host_identity.ts`). */
export type HostCheck = () => HostIdentity | Promise<HostIdentity>;

/** How often a waiting thoth refreshes its request file's time. */
export const REFRESH_MS = 1_000;
/**
 * A request counts as orphaned only once its file went this long without a
 * refresh, as well as its pid being gone: a pid alone can mislead (a thoth in
 * another PID namespace, a container sharing the profile, is invisible here).
 */
export const ORPHAN_QUIET_MS = 3 * REFRESH_MS;
/**
 * Where the request's pid cannot be trusted (see `host_identity.ts`), a
 * request counts as orphaned once its file went this long without a refresh,
 * whatever its pid: a waiting thoth refreshes it every second.
 */
export const ORPHAN_UNVERIFIED_QUIET_MS = 15 * REFRESH_MS;

/** Looks at whether the thoths that queued the requests of one folder are gone. */
export class WaiterWatch {
  readonly #folder: QueueFolder;
  readonly #now: () => number;
  readonly #alive: WaiterCheck;
  readonly #host: HostCheck;
  #ownHost: Promise<HostIdentity> | undefined;

  constructor(folder: QueueFolder, now: () => number, alive: WaiterCheck, host: HostCheck) {
    this.#folder = folder;
    this.#now = now;
    this.#alive = alive;
    this.#host = host;
  }

  /**
   * Whether the thoth that queued `entry` is known to be gone (see
   * {@linkcode ORPHAN_QUIET_MS} and {@linkcode ORPHAN_UNVERIFIED_QUIET_MS}).
   * `atOnce` (a person is answering it): a pid that can be trusted is asked
   * about whatever the file's quiet time, so an answer to a thoth just
   * killed is refused, not reported as given.
   */
  async orphaned(entry: QueueEntry, atOnce = false): Promise<boolean> {
    try {
      if (atOnce && await this.#pidTrusted(entry)) return await this.#waiterGone(entry);
      // The file's time first: a live thoth refreshes it, and needs no process lookup.
      const refreshed = (await Deno.stat(this.#folder.path(entry.id, "request"))).mtime
        ?.getTime();
      const quiet = refreshed === undefined ? 0 : this.#now() - refreshed;
      if (quiet <= ORPHAN_QUIET_MS) return false;
      if (!(await this.#pidTrusted(entry))) return quiet > ORPHAN_UNVERIFIED_QUIET_MS;
      return await this.#waiterGone(entry);
    } catch {
      return false;
    }
  }

  /**
   * Whether a person's approval of `entry` never reached its call: no
   * `<id>.taken` marker (its thoth makes one once the approval record is
   * written, and runs the call only once the marker is made), and its
   * thoth, whose pid can be trusted here, is gone. Where the pid cannot be
   * trusted, nothing is claimed.
   */
  async approvalUnread(entry: QueueEntry): Promise<boolean> {
    try {
      await Deno.lstat(this.#folder.path(entry.id, "taken"));
      return false;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) return false;
    }
    return await this.#pidTrusted(entry) && await this.#waiterGone(entry);
  }

  /** Whether `entry`'s pid is known to run no longer, or to run a later process. */
  async #waiterGone(entry: QueueEntry): Promise<boolean> {
    return (await this.#alive(entry.pid, entry.createdAt)) === false;
  }

  /** Whether `entry.pid` names the same process here: same PID namespace, same boot, both known. */
  async #pidTrusted(entry: QueueEntry): Promise<boolean> {
    const { pidNamespace, bootId } = entry;
    if (pidNamespace == null || bootId == null) return false;
    const own = await (this.#ownHost ??= Promise.resolve(this.#host()));
    return own.pidNamespace === pidNamespace && own.bootId === bootId;
  }
}
