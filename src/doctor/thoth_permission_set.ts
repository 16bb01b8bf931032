/**
 * The permissions `thoth` is built and launched with: the "thoth" set of
 * `deno.json`'s "permissions", the manifest `scripts/build.ts` bakes into
 * the release binaries and `deno task thoth` runs with. Read from deno.json
 * itself (embedded in a compiled binary), so there is one list to change.
 *
 * @example
 * ```ts
 * THOTH_PERMISSION_GRANT["allow-run"]; // true
 * ```
 */
import config from "../../deno.json" with { type: "json" };
import { type Grant, grantOfSet } from "../release/permission_grants.ts";

/** The "thoth" permission set, normalized (see `grantOfSet`). */
export const THOTH_PERMISSION_GRANT: Grant = grantOfSet(config.permissions.thoth);
