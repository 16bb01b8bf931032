/**
 * Plumbing for end-to-end tests of governed paths: a profile with a policy,
 * the fixture servers that need the SDK, and the audit records a profile holds.
 */
import { CONFIG, DENO, ROOT, testEnv, thothArgv } from "./_harness.ts";

/** A fresh THOTH_HOME under `dir` whose policy allows by default and has `rules`. */
export async function profileWithRules(
  dir: string,
  rules: readonly Record<string, unknown>[],
): Promise<string> {
  const home = `${dir}/home`;
  await Deno.mkdir(home, { recursive: true });
  await Deno.writeTextFile(
    `${home}/policy.jsonc`,
    JSON.stringify({ version: 1, default: "allow", rules }),
  );
  return home;
}

/** A fixture server under tests/fixtures/proxy, run with the repository's import map. */
export function fixtureArgv(name: string, flags: readonly string[] = []): string[] {
  return [
    DENO,
    "run",
    "--quiet",
    `--config=${CONFIG}`,
    "--allow-read",
    "--allow-write",
    "--allow-env",
    `${ROOT}/tests/fixtures/proxy/${name}`,
    ...flags,
  ];
}

/** Every record of the profile's audit log, as `thoth audit show --json` prints them. */
export async function auditRecords(home: string): Promise<Record<string, unknown>[]> {
  const [command, ...args] = thothArgv(["audit", "show", "--json"]);
  const output = await new Deno.Command(command!, {
    args,
    env: testEnv({ THOTH_HOME: home }),
    stdin: "null",
  }).output();
  const text = new TextDecoder().decode(output.stdout);
  if (output.code !== 0) {
    throw new Error(`thoth audit show failed: ${new TextDecoder().decode(output.stderr)}`);
  }
  return text.trim().split("\n").filter((line) => line !== "").map((line) => JSON.parse(line));
}
