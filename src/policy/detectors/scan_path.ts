/**
 * Where a scan of a call's arguments is ({@linkcode ScanPath}): one array
 * index or object key per step, kept as parallel arrays so that entering a
 * key allocates nothing, and turned into text ({@linkcode pathText}) only
 * when a detector fires. A key is shown only when {@linkcode keyInClear}
 * allows it; any other key is written as its position among its object's
 * keys, `[#k0]`, `[#k1]`, …, and a finding in a key ends in `(key)`. Pure.
 *
 * @example
 * ```ts
 * const path: ScanPath = { steps: [], positions: [], labels: [] };
 * enterPath(path, "note", 0, undefined);
 * enterPath(path, 2, 2, undefined);
 * pathText(path, false); // "note[2]"
 * leavePath(path);
 * pathText(path, true); // "[#k0](key)"
 * ```
 */
import { keyInClear } from "./key_in_clear.ts";

/** A key that can follow a `.` in a path without being mistaken for two. */
const DOTLESS_KEY = /^[A-Za-z_$][\w$-]*$/;

/** Where the scan is: parallel arrays, so that entering a key allocates nothing. */
export interface ScanPath {
  steps: (string | number)[];
  /** Each step's position among its object's keys (an index for an array). */
  positions: number[];
  /** The label each step's object sits under, as the scan read its keys. */
  labels: (string | undefined)[];
}

/** Steps into `step`, at `position` among its object's keys, of an object under `label`. */
export function enterPath(
  path: ScanPath,
  step: string | number,
  position: number,
  label: string | undefined,
) {
  path.steps.push(step);
  path.positions.push(position);
  path.labels.push(label);
}

/** Steps back out of the last step entered. */
export function leavePath(path: ScanPath) {
  path.steps.pop();
  path.positions.pop();
  path.labels.pop();
}

/**
 * The path the scan is at, as findings show it (with `isKey`, the path of the
 * last key itself). A key is shown when {@linkcode keyInClear} allows it under
 * the label the scan read it under; any other key shows its position.
 */
export function pathText(path: ScanPath, isKey: boolean): string {
  let out = "";
  const { steps, positions, labels } = path;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i] as string | number;
    if (typeof step === "number") {
      out += `[${step}]`;
    } else if ((isKey && i === steps.length - 1) || !keyInClear(step, labels[i])) {
      out += `[#k${positions[i]}]`;
    } else if (DOTLESS_KEY.test(step)) {
      out += out === "" ? step : `.${step}`;
    } else {
      out += `[${JSON.stringify(step)}]`;
    }
  }
  if (isKey) out += "(key)";
  return out === "" ? "$" : out;
}
