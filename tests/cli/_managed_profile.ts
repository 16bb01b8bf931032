/**
 * A profile folder root manages for uid 65534 (a fleet's
 * `THOTH_HOME=/var/lib/thoth`: root's, 0755, holding root's policy and intent
 * map, the folders thoth writes the user's), with root's API key file of a
 * given group and mode, for the tests that run thoth as that user
 * (`_thoth_as_nobody.ts`). Only as root.
 */
import { AGENT_KEY, NOBODY, sharedRoot } from "./_thoth_as_nobody.ts";

/** The key root's file holds. */
export const MANAGED_KEY = AGENT_KEY;

/** A profile folder root manages, holding root's key file of group `gid` and mode `mode`. */
export async function managedProfile(
  gid: number,
  mode: number,
): Promise<{ env: Record<string, string>; key: string }> {
  const root = await sharedRoot("thoth-root-secret-");
  const home = `${root}/home`;
  await Deno.mkdir(home);
  await Deno.chown(home, NOBODY.uid, NOBODY.gid);
  const profile = `${root}/thoth`;
  await Deno.mkdir(profile);
  await Deno.chmod(profile, 0o755);
  await Deno.writeTextFile(`${profile}/policy.jsonc`, '{"version": 1, "default": "allow"}');
  await Deno.writeTextFile(`${profile}/intent_map.json`, "{}");
  for (const name of [`${profile}/policy.jsonc`, `${profile}/intent_map.json`]) {
    await Deno.chmod(name, 0o644);
  }
  for (const name of ["audit", "sessions", "approvals", "keys", "state", "spool"]) {
    await Deno.mkdir(`${profile}/${name}`);
    await Deno.chown(`${profile}/${name}`, NOBODY.uid, NOBODY.gid);
    await Deno.chmod(`${profile}/${name}`, 0o700);
  }
  const key = `${profile}/proxy_api_key.json`;
  await Deno.writeTextFile(key, JSON.stringify({ api_key: MANAGED_KEY }));
  await Deno.chown(key, 0, gid);
  await Deno.chmod(key, mode);
  return { env: { HOME: home, THOTH_HOME: profile }, key };
}
