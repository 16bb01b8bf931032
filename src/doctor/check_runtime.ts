/**
 * Doctor check `runtime`: which thoth and which Deno runtime, on what target.
 * Fails on a Deno older than 2, which thoth is not built for.
 *
 * @example
 * ```ts
 * checkRuntime(context).message; // "thoth 0.1.0 (commit source) on Deno 2.9.6, x86_64-unknown-linux-gnu"
 * ```
 */
import { BUILD_COMMIT, VERSION } from "../version.ts";
import type { DoctorCheck } from "./doctor_check.ts";
import type { DoctorContext } from "./doctor_context.ts";

/** Reports the runtime and version. */
export function checkRuntime(context: DoctorContext): DoctorCheck {
  const message =
    `thoth ${VERSION} (commit ${BUILD_COMMIT}) on Deno ${context.denoVersion}, ${context.target}`;
  const major = Number(context.denoVersion.split(".")[0]);
  if (!(major >= 2)) {
    return {
      id: "runtime",
      status: "fail",
      message: `${message}: Deno 2 or later is required`,
      hint: 'upgrade with "deno upgrade", or install a compiled thoth release',
    };
  }
  return { id: "runtime", status: "pass", message, hint: null };
}
