/**
 * The product reference's session-intent example, as it is written there:
 * `thoth wrap-config --tenant-id … --intent-map intent_map.json --output
 * governed_config.json base_config.json` with its three-server map. Every
 * intent it names is one the default policy defines, so every server starts.
 */
import assert from "node:assert/strict";
import { inTempDir, thoth } from "./_config_cli.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import { DEFAULT_POLICY_JSONC } from "../../src/policy/default_policy.ts";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import { evaluate } from "../../src/policy/evaluate.ts";
import { toolCall } from "../policy/_call.ts";

const REFERENCE_MAP = {
  gdrive: "calendar_management",
  slack: "calendar_management",
  "phi-boundary": "phi_eligibility_check",
};

const server = (name: string) => ({ command: "npx", args: ["-y", `@example/${name}`] });

Deno.test("the reference's intent-map example wraps every server on the default policy", async () => {
  await inTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/intent_map.json`, JSON.stringify(REFERENCE_MAP));
    await Deno.writeTextFile(
      `${dir}/base_config.json`,
      JSON.stringify({
        mcpServers: Object.fromEntries(Object.keys(REFERENCE_MAP).map((n) => [n, server(n)])),
      }),
    );
    const run = await thoth([
      "wrap-config",
      "--tenant-id",
      "your-tenant-id",
      "--intent-map",
      "intent_map.json",
      "--output",
      "governed_config.json",
      "base_config.json",
    ], { cwd: dir });
    assert.equal(run.code, 0, run.err);
    assert.doesNotMatch(run.err, /will not start|not in the policy/, run.err);
    const written = JSON.parse(await Deno.readTextFile(`${dir}/governed_config.json`));
    for (const [name, intent] of Object.entries(REFERENCE_MAP)) {
      const args: string[] = written.mcpServers[name].args;
      assert.equal(args[args.indexOf("--intent") + 1], intent, name);
    }
  });
});

Deno.test("the default policy's PHI intent admits eligibility tools only", () => {
  const policy = compilePolicy(parsePolicy(DEFAULT_POLICY_JSONC, "policy.jsonc"));
  const violates = (tool: string) =>
    evaluate(policy, toolCall("phi-boundary", tool, {}), { intent: "phi_eligibility_check" })
      .intentViolation;
  assert.equal(violates("check_eligibility"), false);
  assert.equal(violates("get_coverage_summary"), false);
  assert.equal(violates("read_clinical_notes"), true);
  assert.equal(violates("export_patient_records"), true);
});
