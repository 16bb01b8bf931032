/**
 * The device keys an audit writer holds, with the keys derived from its
 * HMAC key: the state file's MAC key (see `state_mac.ts`) and the batch
 * intent's (see `pending_batch.ts`). The writer reads the keys again before
 * each checkpoint it signs, and when a state's MAC does not verify (the
 * keys may have been replaced under it); `rekey` hands each new HMAC key to
 * the writer's digests (see `key_digests.ts`).
 *
 * @example
 * ```ts
 * const keys = new WriterKeys(loaded, "/home/ana/.thoth", () => new Date(), (raw) => digests.rekey(raw));
 * if (await keys.replaced()) console.log("the audit key was replaced");
 * ```
 */
import { type DeviceKeys, loadDeviceKeys } from "./device_keys.ts";
import { bytesEqual } from "./encoding.ts";
import type { HmacSha256Key } from "./sha256.ts";
import { stateMacKey } from "./state_mac.ts";
import { pendingMacKey } from "./pending_batch.ts";

/** The device keys a writer signs and MACs with. */
export class WriterKeys {
  #keys: DeviceKeys;
  /** The key of the state file's MAC, derived from the audit HMAC key (see `state_mac.ts`). */
  #stateKey: HmacSha256Key;
  /** The key of the batch intent's MAC (see `pending_batch.ts`). */
  #pendingKey: HmacSha256Key;
  readonly #thothHome: string;
  readonly #now: () => Date;
  readonly #rekey: (hmacRaw: Uint8Array) => void;

  constructor(
    keys: DeviceKeys,
    thothHome: string,
    now: () => Date,
    rekey: (hmacRaw: Uint8Array) => void,
  ) {
    this.#keys = keys;
    this.#stateKey = stateMacKey(keys.hmacRaw);
    this.#pendingKey = pendingMacKey(keys.hmacRaw);
    this.#thothHome = thothHome;
    this.#now = now;
    this.#rekey = rekey;
  }

  /** The device's keys as last read. */
  get keys(): DeviceKeys {
    return this.#keys;
  }

  /** The key of the state file's MAC. */
  get stateKey(): HmacSha256Key {
    return this.#stateKey;
  }

  /** The key of the batch intent's MAC. */
  get pendingKey(): HmacSha256Key {
    return this.#pendingKey;
  }

  /** Reads the device's keys again (before each checkpoint) and takes them. */
  async reload(): Promise<DeviceKeys> {
    const keys = await loadDeviceKeys(this.#thothHome, this.#now());
    this.#take(keys);
    return keys;
  }

  /**
   * Whether the device's audit key is no longer the one this writer holds
   * (the keys were replaced under it, with the folder they were in, say):
   * it then takes the keys there now, as it does at each checkpoint.
   */
  async replaced(): Promise<boolean> {
    const keys = await loadDeviceKeys(this.#thothHome, this.#now());
    if (bytesEqual(keys.hmacRaw, this.#keys.hmacRaw)) return false;
    this.#take(keys);
    return true;
  }

  /** Takes the signer and public keys a rotation made (see `key_rotation_record.ts`). */
  rotated(signer: DeviceKeys["signer"], publicKeys: DeviceKeys["publicKeys"]): void {
    this.#keys = { ...this.#keys, signer, publicKeys };
  }

  #take(keys: DeviceKeys): void {
    this.#keys = keys;
    this.#rekey(keys.hmacRaw);
    this.#stateKey = stateMacKey(keys.hmacRaw);
    this.#pendingKey = pendingMacKey(keys.hmacRaw);
  }
}
