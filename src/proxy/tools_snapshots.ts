/**
 * A session's `tools_snapshot` records: one for each `tools/list` page
 * whose tools differ from those last recorded in the session for the same
 * page (the first page, a page asked for by its cursor, or thoth's own
 * listing of every page), so a client that lists the same pages again and
 * again adds nothing to the log. What was last recorded is kept for the
 * {@linkcode MAX_PAGES} pages listed most recently; a page not among them,
 * or one whose cursor thoth does not know, is recorded.
 * Each record is bounded (see `tools_listing_digest.ts`):
 * past 10,000 tools or about 1 MiB of entries it lists only the first
 * tools, says `partial`, and its `root` and `count` cover them all.
 * Listings are digested one after another, in the order they came, off the
 * relay's path: a few hundred KiB at a time, then other work goes first.
 * A recorded listing whose names could pass for one another (invisible
 * characters, case or Unicode form only) gets a note (see
 * `lookalike_tool_names.ts`).
 * A record the session let go of while its log refused it (see
 * `log_batches.ts`) does not count as recorded: when it is a page's last
 * one, it is queued again once the log takes batches again (after the
 * `records_dropped` record), or the page's next listing is recorded, as
 * one that changed.
 *
 * @example
 * ```ts
 * const snapshots = new ToolsSnapshots({ session, server, later, note });
 * await snapshots.listed(definitions, { first: true }); // the session's end waits for it
 * ```
 */
import { type ToolsListing, ToolsListingDigest } from "../audit/tools_listing_digest.ts";
import type { ToolsSnapshotEvent } from "../audit/record.ts";
import type { Queued } from "./held_spool_files.ts";
import { displayNames } from "./display_names.ts";
import { lookalikeNamesNote } from "./lookalike_tool_names.ts";
import type { ListedPage } from "./relay_types.ts";

/** What the snapshots need of their session. */
export interface ToolsSnapshotsOptions {
  session: string;
  server: string;
  /** Queues a record that gates nothing (see `LogBatches.later`). */
  later: (event: Queued) => void;
  note: (message: string) => void;
}

/** Characters hashed between two pauses that let the relay's other work run. */
const SLICE = 256 * 1024;

const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** How many pages' last recorded roots a session keeps (the most recently listed). */
export const MAX_PAGES = 64;

/** The key a page's last recorded root is kept under; undefined for one thoth cannot tell. */
function pageKey(page: ListedPage | undefined): string | undefined {
  if (page === undefined) return undefined;
  if (page === "every page") return "*";
  if (page.first) return "";
  return page.cursor === undefined ? undefined : `>${page.cursor}`;
}

/** Records the tools a server lists, when they changed since the last record. */
export class ToolsSnapshots {
  readonly #o: ToolsSnapshotsOptions;
  /** The root last recorded for each page, least recently listed first. */
  readonly #lastRoots = new Map<string, string>();
  /** The listing being digested, which the next one waits for. */
  #queue: Promise<void> = Promise.resolve();
  /**
   * The pages whose last record was let go (see {@linkcode ToolsSnapshots.dropped}),
   * with that record: at most one per page remembered.
   */
  readonly #again = new Map<string, ToolsSnapshotEvent>();

  constructor(options: ToolsSnapshotsOptions) {
    this.#o = options;
  }

  /**
   * Digests `definitions` (one `tools/list` page's tools) after any listing
   * before it, and records them unless they are the ones last recorded for
   * the same `page`.
   */
  listed(definitions: readonly unknown[], page: ListedPage | undefined): Promise<void> {
    const done = this.#queue.then(() => this.#snapshot(definitions, pageKey(page)));
    this.#queue = done.catch(() => {});
    return done;
  }

  async #snapshot(definitions: readonly unknown[], key: string | undefined): Promise<void> {
    const digest = new ToolsListingDigest();
    let hashed = 0;
    for (const definition of definitions) {
      hashed += digest.add(definition);
      if (hashed >= SLICE) {
        hashed = 0;
        await pause();
      }
    }
    const listing = await digest.finish();
    if (!this.#changed(key, listing.root)) return;
    if (listing.undigestedCount > 0) this.#noteUndigested(listing);
    // Of the names the record holds (the first 10,000 at most): a bounded look.
    const names = [...listing.tools.map((tool) => tool.name), ...listing.undigested];
    const lookalikes = lookalikeNamesNote(this.#o.server, names);
    if (lookalikes !== undefined) this.#o.note(lookalikes);
    this.#o.later({
      type: "tools_snapshot",
      session: this.#o.session,
      server: this.#o.server,
      tools: listing.tools,
      ...(listing.undigested.length > 0 ? { undigested: listing.undigested } : {}),
      root: listing.root,
      count: listing.count,
      ...(listing.partial ? { partial: true as const } : {}),
    });
  }

  /**
   * Records the session let go of (see `LogBatches`): a page whose last
   * record is among them is recorded again (see {@linkcode ToolsSnapshots.writable}).
   */
  dropped(events: readonly Queued[]): void {
    for (const event of events) {
      if (typeof event === "string" || event.type !== "tools_snapshot") continue;
      if (event.session !== this.#o.session || event.root === undefined) continue;
      for (const [key, root] of this.#lastRoots) {
        if (root === event.root) this.#again.set(key, event);
      }
    }
  }

  /**
   * The log takes batches again after records were let go: each page's last
   * record among them is queued again, once (a record shared by pages with
   * the same tools, once for them all).
   */
  writable(): void {
    const again = new Set<ToolsSnapshotEvent>();
    for (const [key, event] of this.#again) {
      if (this.#lastRoots.get(key) === event.root) again.add(event);
    }
    this.#again.clear();
    for (const event of again) this.#o.later(event);
  }

  /**
   * Whether `root` differs from the one last recorded for the page `key`,
   * which it then becomes (the page is now the most recently listed); a
   * page whose last record was let go counts as changed.
   */
  #changed(key: string | undefined, root: string): boolean {
    if (key === undefined) return true;
    if (this.#again.delete(key)) {
      this.#lastRoots.delete(key);
      this.#lastRoots.set(key, root);
      return true;
    }
    const last = this.#lastRoots.get(key);
    this.#lastRoots.delete(key);
    this.#lastRoots.set(key, root);
    if (this.#lastRoots.size > MAX_PAGES) {
      const oldest = this.#lastRoots.keys().next().value!;
      this.#lastRoots.delete(oldest);
      this.#again.delete(oldest);
    }
    return last !== root;
  }

  #noteUndigested(listing: ToolsListing): void {
    const names = displayNames(listing.undigested);
    const more = listing.undigestedCount - listing.undigested.length;
    const why = listing.why instanceof Error ? listing.why.message : String(listing.why);
    this.#o.note(
      `cannot digest ${listing.undigestedCount} tool definition(s) for the audit log (${names}${
        more > 0 ? ` and ${more} not named in the record` : ""
      }): ${why}`,
    );
  }
}
