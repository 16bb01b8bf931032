/**
 * The device's audit keys, handed to the sandboxed proxy core by message: the
 * core may not read `THOTH_HOME/keys` (nor anything else in the profile but
 * its session's folders), so it asks the thread that started it, which reads
 * the keys, makes them on first use with the same modes as ever, and answers
 * with them as data. The signing key travels as a `CryptoKey` that cannot be
 * exported. The core asks when it opens the audit log and before each
 * checkpoint, as it read the files before: a key replaced meanwhile is used.
 *
 * @example
 * ```ts
 * // In the core:
 * const keys = keySourceOverMessages((request) => postMessage(request));
 * useDeviceKeySource(thothHome, keys.source);
 * // In the thread that started it, for each `{ type: "keys" }` message:
 * worker.postMessage(await answerKeyRequest(thothHome, message));
 * ```
 */
import { AppError, type ErrorCode } from "../errors.ts";
import {
  type DeviceKeys,
  type DeviceKeySource,
  firstKeyCreated,
  loadDeviceKeys,
} from "../audit/device_keys.ts";
import { auditPaths } from "../audit/log_paths.ts";

/** The core asks for the keys (`load`) or when the first was made (`first-created`). */
export interface KeyRequest {
  type: "keys";
  id: number;
  op: "load" | "first-created";
}

/** A failure, as plain data. */
export interface KeyError {
  code?: string;
  message: string;
  hints: string[];
}

/** The answer to a {@linkcode KeyRequest} with the same id. */
export type KeyReply =
  & { type: "keys-read"; id: number }
  & ({ keys: DeviceKeys } | { created: string | null } | { error: KeyError });

/**
 * Answers one request of the core for the keys of `thothHome` (the profile
 * this thread chose; the request names none). Undefined for a request that
 * is not one: it is ignored.
 */
export async function answerKeyRequest(
  thothHome: string,
  request: { id?: unknown; op?: unknown },
): Promise<KeyReply | undefined> {
  const { id, op } = request;
  if (typeof id !== "number" || !Number.isSafeInteger(id)) return undefined;
  if (op !== "load" && op !== "first-created") return undefined;
  try {
    return op === "load"
      ? { type: "keys-read", id, keys: await loadDeviceKeys(thothHome, new Date()) }
      : { type: "keys-read", id, created: await firstKeyCreated(auditPaths(thothHome)) };
  } catch (error) {
    return {
      type: "keys-read",
      id,
      error: error instanceof AppError
        ? { code: error.code, message: error.message, hints: [...error.hints] }
        : { message: error instanceof Error ? error.message : String(error), hints: [] },
    };
  }
}

/**
 * The core's side: a key source that asks by `post` and is answered through
 * `settle` (replies to no request it made are ignored).
 */
export function keySourceOverMessages(post: (request: KeyRequest) => void): {
  source: DeviceKeySource;
  settle(reply: KeyReply): void;
} {
  const waiting = new Map<number, (reply: KeyReply) => void>();
  let ids = 0;
  const ask = (op: KeyRequest["op"]) =>
    new Promise<KeyReply>((resolve) => {
      const id = ++ids;
      waiting.set(id, resolve);
      post({ type: "keys", id, op });
    }).then((reply) => {
      if ("error" in reply) throw errorOf(reply.error);
      return reply;
    });
  return {
    source: {
      load: async () => {
        const reply = await ask("load");
        if (!("keys" in reply)) throw new Error("the keys were not handed over");
        return reply.keys;
      },
      firstCreated: async () => {
        const reply = await ask("first-created");
        if (!("created" in reply)) throw new Error("the keys' date was not handed over");
        return reply.created;
      },
    },
    settle(reply) {
      const resolve = waiting.get(reply.id);
      waiting.delete(reply.id);
      resolve?.(reply);
    },
  };
}

/** The error the thread that read the keys met, as this thread would have met it. */
function errorOf(error: KeyError): Error {
  if (error.code === undefined) return new Error(error.message);
  return new AppError(error.code as ErrorCode, error.message, { hints: error.hints });
}
