/**
 * A broken progressive counters file through the real `thoth run`: the model
 * hears that the counters are unavailable and the decision id, never a path
 * of this machine or a Deno permission message; stderr says once what was
 * lost, where the file went and until when; the audit record keeps the detail.
 */
import assert from "node:assert/strict";
import { connect, everythingArgv, tempDir, throughThoth } from "./_harness.ts";
import { auditRecords } from "./_governed.ts";

const POLICY = JSON.stringify({
  version: 1,
  default: "allow",
  rules: [{ id: "no-sum", match: { tool: "get-sum" }, decision: "block", reason: "no sums" }],
  progressive: { window: "1h", stepUpAfter: 1, blockAfter: 2 },
});

/** Two violating calls in one progressive session; what the model and stderr got. */
async function twoSums(home: string): Promise<{ told: string[]; stderr: string }> {
  const connected = await connect(
    throughThoth(everythingArgv(), [
      "--agent-id",
      "everything",
      "--enforcement-mode",
      "progressive",
      "--approval-timeout",
      "1",
    ]),
    {},
    { THOTH_HOME: home },
  );
  const told: string[] = [];
  try {
    for (let i = 0; i < 2; i++) {
      told.push(
        JSON.stringify(
          await connected.client.callTool({ name: "get-sum", arguments: { a: 1, b: 1 } }),
        ),
      );
    }
  } finally {
    await connected.close();
  }
  return { told, stderr: connected.stderr() };
}

for (
  const [name, plant] of [
    ["garbage", (state: string) => Deno.writeTextFile(`${state}/progressive.json`, "{garbage")],
    ["a symbolic link out of the profile", async (state: string, outside: string) => {
      await Deno.writeTextFile(`${outside}/victim.json`, '{"version":1,"entries":{}}');
      await Deno.symlink(`${outside}/victim.json`, `${state}/progressive.json`);
    }],
  ] as const
) {
  Deno.test(`progressive counters file that is ${name}: generic refusal, one stderr warning, detail in the audit`, async () => {
    await using dir = await tempDir();
    const home = `${dir.path}/home`;
    const outside = `${dir.path}/outside`;
    await Deno.mkdir(`${home}/state`, { recursive: true });
    await Deno.mkdir(outside);
    await Deno.writeTextFile(`${home}/policy.jsonc`, POLICY);
    await plant(`${home}/state`, outside);

    const { told, stderr } = await twoSums(home);
    for (const text of told) {
      assert.match(
        text,
        /thoth blocked this call .*thoth's progressive counters are unavailable, so this violation is blocked.*Decision d-[^ ]+\. .*how to review the decision\./,
      );
      assert.doesNotMatch(text, /unreadable-|victim|--allow|Requires|\/state\//, text);
      assert.ok(!text.includes(dir.path), text);
    }
    // Each blocked call has its own "blocked …" line too (see block_note.ts): not a warning.
    const warnings = stderr.split("\n").filter((l) =>
      /^thoth: warning: .*progressive counters/.test(l)
    );
    assert.equal(warnings.length, 1, stderr);
    assert.match(
      warnings[0]!,
      /^thoth: warning: the progressive counters could not be read \(the file was moved to ".+\/state\/progressive\.json\.unreadable-\d+"\); violations are blocked, not counted from zero, until \d{4}-/,
    );
    assert.doesNotMatch(stderr, /--allow-read/);

    const decisions = (await auditRecords(home)).filter((r) => r.type === "decision");
    assert.equal(decisions.length, 2);
    const reasons = decisions.map((d) => (d.reasons as string[]).join("; "));
    assert.match(
      reasons[0]!,
      /failing closed: the progressive counters could not be read \(the file was moved to ".+unreadable-\d+"\)/,
    );
    assert.match(reasons[1]!, /failing closed: the progressive counters were lost recently/);
  });
}
