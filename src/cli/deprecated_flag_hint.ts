/**
 * The hint for a deprecated flag given to a command that does not take it:
 * `thoth wrap-config --enforcer-url …` is still refused as an unknown option
 * (exit 2), and the hint says why the flag is gone and to drop it. Only
 * `thoth run` takes `--enforcer-url`, and ignores it, for older client entries.
 *
 * @example
 * ```ts
 * deprecatedFlagHint("--enforcer-url"); // "--enforcer-url is deprecated: …; drop it"
 * deprecatedFlagHint("--x"); // undefined
 * ```
 */

/** Why each deprecated flag is gone. */
const DEPRECATED_FLAGS: Readonly<Record<string, string>> = {
  "--enforcer-url": "the enforcer URL is derived from THOTH_TENANT_ID and THOTH_APEX_DOMAIN, " +
    "and this build decides every call with the local policy",
};

/** The hint for `flag` (as the parser quotes it: `--enforcer-url`), if it is a deprecated one. */
export function deprecatedFlagHint(flag: string): string | undefined {
  const why = Object.hasOwn(DEPRECATED_FLAGS, flag) ? DEPRECATED_FLAGS[flag] : undefined;
  return why === undefined ? undefined : `${flag} is deprecated (${why}); drop it`;
}
