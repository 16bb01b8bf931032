/**
 * The numeric flags of `thoth run` and the one way their values are read.
 * Pure. `thoth run` reads its flags with these (both its plain reader and the
 * full command-line parser), and `thoth status` and `wrap-config` use them to
 * spot a value in a config that `thoth run` would refuse.
 *
 * A number is plain decimal digits, read by the one reader every numeric
 * option shares (`whole_number_flag.ts`, through `read_number_flag.ts`): no sign, no surrounding or inner
 * spaces, no `_`, `.`, exponent, `0x`/`0o`/`0b` prefix or non-ASCII digits.
 * Leading zeros are read as decimal (`0500` is 500), as `thoth run` always
 * read them: a config that worked keeps working. `--max-line-bytes` may add a unit after
 * the digits, at most one space apart (`64MiB`, `1 KiB`); every unit is a
 * power of 1024.
 *
 * The defaults named in the hints are the ones `thoth run` applies
 * (`approval/approval_timeout.ts`, `proxy/proxy_defaults.ts`), never a copy;
 * a value that looks like a key or token is shown by fingerprint only, as a
 * THOTH_* variable's would be (`identity/shown_env_value.ts`).
 *
 * @example
 * ```ts
 * checkGraceMs("5000"); // 5000
 * checkGraceMs("5e3"); // throws usage.bad_flag: --shutdown-grace-ms: "5e3" is not a plain decimal number; …
 * parseByteSize("64MiB"); // 67108864
 * formatByteSize(67108864); // "64MiB"
 * refusedRunNumbers([["--agent-id", "fs"], ["--approval-timeout", "+30"]]);
 * // ['thoth run will refuse to start: --approval-timeout: "+30" is not a plain decimal number; …']
 * ```
 */
import { AppError, isAppError } from "../errors.ts";
import { readNumberFlag } from "./read_number_flag.ts";
import {
  DEFAULT_APPROVAL_TIMEOUT_MS,
  MAX_APPROVAL_TIMEOUT_S,
} from "../approval/approval_timeout.ts";
import { DEFAULT_GRACE_MS, DEFAULT_MAX_LINE_BYTES } from "../proxy/proxy_defaults.ts";
import { showValue } from "../identity/shown_env_value.ts";

const SIZE = /^([0-9]+)(?: ?(k|ki|kib|kb|m|mi|mib|mb|g|gi|gib|gb))?$/i;

/** `--max-line-bytes`: "67108864", "64MiB", "512KiB", "1 M" into bytes, 1KiB to 2GiB. */
export function parseByteSize(text: string): number {
  const match = SIZE.exec(text);
  if (!match) {
    throw new AppError(
      "usage.bad_flag",
      `--max-line-bytes: ${
        showValue(text)
      } is not a size; expected plain decimal digits, optionally followed by a unit such as KiB, MiB or GiB`,
      {
        hints: [
          `give bytes or a size with a unit, for example "${DEFAULT_MAX_LINE_BYTES}" or "${
            formatByteSize(DEFAULT_MAX_LINE_BYTES)
          }"`,
        ],
      },
    );
  }
  const unit = (match[2] ?? "").toLowerCase();
  const scale = unit.startsWith("k")
    ? 1024
    : unit.startsWith("m")
    ? 1024 ** 2
    : unit.startsWith("g")
    ? 1024 ** 3
    : 1;
  const bytes = Number(match[1]) * scale;
  if (bytes < 1024 || bytes > 2 ** 31) {
    throw new AppError(
      "usage.bad_flag",
      `--max-line-bytes: ${showValue(text)} is out of range; expected a size from 1KiB to 2GiB`,
      {
        hints: [
          `choose between 1KiB and 2GiB; the default is ${formatByteSize(DEFAULT_MAX_LINE_BYTES)}`,
        ],
      },
    );
  }
  return bytes;
}

/**
 * `bytes` in the largest unit that holds it whole, as the docs write sizes:
 * `64MiB`, `512KiB`, `2GiB`, or plain bytes.
 */
export function formatByteSize(bytes: number): string {
  for (const [unit, scale] of [["GiB", 1024 ** 3], ["MiB", 1024 ** 2], ["KiB", 1024]] as const) {
    if (bytes >= scale && bytes % scale === 0) return `${bytes / scale}${unit}`;
  }
  return String(bytes);
}

/** `--shutdown-grace-ms`: whole milliseconds, 0 to 600000. */
export function checkGraceMs(value: string): number {
  return readNumberFlag("--shutdown-grace-ms", value, {
    min: 0,
    max: 600_000,
    expected: "whole milliseconds",
    fallback: DEFAULT_GRACE_MS,
  });
}

/** `--approval-timeout`: whole seconds, 1 to 3600. */
export function checkApprovalTimeout(value: string): number {
  return readNumberFlag("--approval-timeout", value, {
    min: 1,
    max: MAX_APPROVAL_TIMEOUT_S,
    expected: "whole seconds",
    fallback: DEFAULT_APPROVAL_TIMEOUT_MS / 1000,
  });
}

/** Every numeric flag of `thoth run` and its reader (each throws `usage.bad_flag`). */
export const RUN_NUMERIC_FLAGS: Readonly<Record<string, (value: string) => number>> = {
  "--max-line-bytes": parseByteSize,
  "--shutdown-grace-ms": checkGraceMs,
  "--approval-timeout": checkApprovalTimeout,
};

/**
 * What `thoth run` would say about each numeric flag value in `flags` (a
 * config entry's `[flag, value]` pairs) that it refuses, in order: a config
 * holding one starts no server at all.
 */
export function refusedRunNumbers(flags: readonly (readonly [string, string])[]): string[] {
  const refused: string[] = [];
  for (const [flag, value] of flags) {
    const read = Object.hasOwn(RUN_NUMERIC_FLAGS, flag) ? RUN_NUMERIC_FLAGS[flag] : undefined;
    try {
      read?.(value);
    } catch (error) {
      if (!isAppError(error)) throw error;
      refused.push(`thoth run will refuse to start: ${error.message}`);
    }
  }
  return refused;
}
