/**
 * A secret value that refuses to be printed: `String()`, JSON and
 * `Deno.inspect` show only its fingerprint, so a credential that slips into a
 * log line or an error message leaks nothing. Call {@linkcode Secret.reveal}
 * at the one place the raw value is needed (an HTTP header, a file write).
 *
 * @example
 * ```ts
 * const key = new Secret("aten_thoth_agent_prod_abc");
 * `${key}`; // "[secret " + key.fingerprint + "]"
 * key.reveal(); // the raw value
 * ```
 */
import { secretFingerprint } from "./secret_fingerprint.ts";

/** A credential whose printable forms show only its fingerprint. */
export class Secret {
  readonly #value: string;
  /** The first 8 hex digits of the SHA-256 of the value. */
  readonly fingerprint: string;

  constructor(value: string) {
    this.#value = value;
    this.fingerprint = secretFingerprint(value);
  }

  /** The raw value. Never print it. */
  reveal(): string {
    return this.#value;
  }

  /** `[secret 1a2b3c4d]` */
  toString(): string {
    return `[secret ${this.fingerprint}]`;
  }

  /** Serializes as the fingerprint only. */
  toJSON(): string {
    return this.toString();
  }

  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}
