import assert from "node:assert/strict";
import { compileArgPath } from "../../src/policy/compile_arg_path.ts";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import { evaluate } from "../../src/policy/evaluate.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import { selectArgValues } from "../../src/policy/select_arg_values.ts";
import { toolCall } from "./_call.ts";

function select(args: unknown, path: string): unknown[] {
  const steps = compileArgPath(path);
  assert.ok(steps);
  return selectArgValues(args, steps);
}

Deno.test("selectArgValues() reads JSON held in a string as Python's json.loads does, NaN and Infinity too", () => {
  const path = "/srv/secrets/plan.txt";
  assert.deepEqual(select({ options: `{"path":"${path}","x":NaN}` }, "options.path"), [path]);
  assert.deepEqual(select({ options: `{"x":Infinity,"path":"${path}"}` }, "options.path"), [path]);
  assert.deepEqual(select({ options: `{"x":[-Infinity, 1],"path":"${path}"}` }, "options.path"), [
    path,
  ]);
  assert.deepEqual(select({ paths: `[NaN, "${path}"]` }, "paths[*]"), [null, path]);
  // The words inside a string stay as written.
  assert.deepEqual(select({ o: '{"note":"NaN \\" Infinity","x":NaN}' }, "o.note"), [
    'NaN " Infinity',
  ]);
  // What json.loads refuses stays text.
  assert.deepEqual(select({ o: '{"path":"/x","y":NaNa}' }, "o.path"), []);
  assert.deepEqual(select({ o: '{"path":"/x","y":nan}' }, "o.path"), []);
});

Deno.test("evaluate() blocks a path held in a JSON string that only Python can parse", () => {
  const policy = compilePolicy(parsePolicy(
    JSON.stringify({
      version: 1,
      default: "allow",
      rules: [{
        id: "no-secrets",
        match: { args: { "options.path": { glob: "/srv/secrets/**" } } },
        decision: "block",
      }],
    }),
    "t.jsonc",
  ));
  const call = toolCall("py", "read", { options: '{"path":"/srv/secrets/plan.txt","x":NaN}' });
  assert.equal(evaluate(policy, call, {}).decision, "block");
});
