/**
 * What `thoth run` refuses about an entry's policy and session intent, and
 * the shapes in which `thoth run`'s own readers (`RunReaders`, in `src/cli/`)
 * bring what they read: the policy's intents and the intent map's entry.
 * Pure: the reading is the readers'.
 *
 * @example
 * ```ts
 * const policy = { names: ["files"], source: 'the policy "/p.jsonc"' };
 * intentRefusal(policy, "mail", undefined)?.subject; // "--intent"
 * relativePolicyWhy("p.jsonc"); // '--policy "p.jsonc" is a relative path: …'
 * ```
 */
import { type AppError, isAppError } from "../errors.ts";
import { checkIntent } from "../policy/check_intent.ts";
import { looksLikeKey, showName } from "../identity/shown_env_value.ts";
import type { Refusal } from "./run_refusal.ts";

/**
 * What `thoth run` takes from the intent map for a server with no
 * `--intent`: nothing (no map, or no entry for it), a session intent (with
 * the key and file it came from), or the error it refuses to start with (a
 * map it cannot read or parse, a key that is a server name and may stand for
 * this server).
 */
export type MappedIntent =
  | { readonly kind: "none" }
  | {
    readonly kind: "mapped";
    readonly intent: string;
    readonly key: string;
    readonly file: string;
  }
  | { readonly kind: "refused"; readonly error: AppError };

/** Where an entry's `thoth run` finds its policy. */
export interface PolicyPlace {
  /** The entry's `--policy` value, if it has one. */
  readonly policy: string | undefined;
  /** The `THOTH_HOME` the entry's `env` sets, if any (else the client's own). */
  readonly thothHome: string | undefined;
}

/**
 * The intents of a policy and how to name it, or why it cannot be read:
 * `refused` when `thoth run` will not start with it (missing, unreadable,
 * invalid), not when only this check cannot tell (a relative `--policy`).
 */
export type PolicyIntents =
  | { readonly read: true; readonly names: readonly string[]; readonly source: string }
  | { readonly read: false; readonly why: string; readonly refused: boolean };

/**
 * Why a relative `--policy` cannot be checked: `thoth run` reads it in its
 * working folder, which is the folder the client starts it in.
 */
export function relativePolicyWhy(policy: string): string {
  return `--policy ${showName(policy)} is a relative path: thoth run reads it in the folder ` +
    "the client starts it in, which no check can see (a desktop client's is not your shell's), " +
    "so it may find no policy there, or another one";
}

/** The refusal of a session intent the policy does not define, naming where it came from. */
export function intentRefusal(
  policy: { readonly names: readonly string[]; readonly source: string },
  intent: string,
  mapped: MappedIntent | undefined,
): Refusal | undefined {
  try {
    checkIntent(policy.names, intent, showName);
    return undefined;
  } catch (error) {
    if (!isAppError(error)) throw error;
    const defines = policy.names.length > 0
      ? `which defines: ${policy.names.join(", ")}`
      : "which defines none";
    const message = `${error.message} (${policy.source}, ${defines})`;
    if (mapped?.kind === "mapped") {
      return {
        subject: "intent_map.json",
        message: `${message}; the intent map "${mapped.file}" maps "${mapped.key}" to it`,
        fix: `map "${mapped.key}" to an intent the policy defines in "${mapped.file}", or add ` +
          `${addIntent(intent)} under "intents" in the policy`,
      };
    }
    return {
      subject: "--intent",
      message,
      fix: "map the server to a defined intent (wrap again with --intent-map), " +
        `or add ${addIntent(intent)} under "intents" in the policy`,
    };
  }
}

/** The intent to add, named unless it looks like a key (a key is no intent name to add). */
function addIntent(intent: string): string {
  return looksLikeKey(intent) ? "that intent" : `"${intent}"`;
}
