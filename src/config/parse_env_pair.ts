/**
 * Parses one `--env KEY=VALUE` flag: a key that is no variable name, is
 * wrap-config's record, or is a `THOTH_*` name thoth reads nowhere
 * (`unknown_env_key.ts`) is a usage error. Pure.
 *
 * @example
 * ```ts
 * parseEnvPair("THOTH_USER_ID=ana@example.com"); // ["THOTH_USER_ID", "ana@example.com"]
 * parseEnvPair("1BAD=x"); // throws AppError usage.bad_env
 * ```
 */
import { AppError } from "../errors.ts";
import { WRAP_RECORD_KEY } from "./wrap_record.ts";
import { unknownEnvKeyError } from "./unknown_env_key.ts";

/** Splits at the first `=` and checks the key is an environment variable name. */
export function parseEnvPair(flag: string): [string, string] {
  const eq = flag.indexOf("=");
  const key = eq < 0 ? flag : flag.slice(0, eq);
  if (eq < 0) {
    throw new AppError("usage.bad_env", `--env "${flag}" has no "="`, {
      hints: ['write it as --env KEY=VALUE, e.g. --env THOTH_USER_ID="you@example.com"'],
    });
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
    throw new AppError("usage.bad_env", `--env key "${key}" is not a variable name`, {
      hints: ["a key is letters, digits and _, not starting with a digit"],
    });
  }
  if (key === WRAP_RECORD_KEY) {
    throw new AppError("usage.bad_env", `--env key "${key}" is reserved for wrap-config's record`);
  }
  // A THOTH_* name thoth reads nowhere would be written and change nothing.
  const unknown = unknownEnvKeyError(key);
  if (unknown !== undefined) throw unknown;
  return [key, flag.slice(eq + 1)];
}
