import assert from "node:assert/strict";
import {
  ancestorsInTable,
  ancestorsOf,
  ancestorWalk,
  environmentSetsGoverned,
  governedCaller,
  MAX_ANCESTORS,
  parseProcessTable,
  runsThothRun,
} from "../../src/approval/governed_caller.ts";

const TABLE = parseProcessTable(
  [
    "    1     0 /sbin/init",
    "  100     1 /Applications/Claude.app/Contents/MacOS/Claude",
    "  200   100 /usr/local/bin/thoth run --agent-id shell -- npx -y shell-server",
    "  300   200 node /tmp/shell-server/index.js",
    "  400   300 /bin/sh -c thoth approvals approve k3f9x2qa",
    "  500   400 /usr/local/bin/thoth approvals approve k3f9x2qa",
    "  600     1 /bin/bash",
    "  700   600 /usr/local/bin/thoth approvals approve k3f9x2qa",
    "",
  ].join("\n"),
);

Deno.test("governedCaller() refuses when the marker variable is set", () => {
  assert.match(governedCaller({ THOTH_GOVERNED_BY: "200" }, [])!, /THOTH_GOVERNED_BY is set/);
  assert.equal(governedCaller({ THOTH_GOVERNED_BY: "" }, []), undefined);
  assert.equal(governedCaller({}, []), undefined);
});

Deno.test("governedCaller() finds a thoth run among the ancestors", () => {
  const chain = ancestorsOf(TABLE, 500);
  assert.deepEqual(chain.map((r) => r.pid), [400, 300, 200, 100, 1]);
  assert.equal(governedCaller({}, chain), 'its ancestor process 200 is "thoth run"');
  // A terminal of the person's own: no thoth run above it.
  assert.equal(governedCaller({}, ancestorsOf(TABLE, 700)), undefined);
});

Deno.test("governedCaller() finds an ancestor started with the marker set", () => {
  const chain = ancestorsOf(TABLE, 700).map((r) => ({ ...r, governed: r.pid === 600 }));
  assert.equal(
    governedCaller({}, chain),
    "its parent process 600 was started with THOTH_GOVERNED_BY set",
  );
});

Deno.test("runsThothRun() reads thoth run's command lines, and no other thoth command", () => {
  for (
    const args of [
      "/usr/local/bin/thoth run -- npx server",
      "thoth --verbose run --agent-id x -- node s.js",
      "C:\\Tools\\thoth.exe run -- node s.js",
      "/usr/bin/deno run -P=thoth --quiet /opt/thoth/src/cli/thoth.ts run -- node s.js",
      "deno run -A mod.ts run -- node s.js",
    ]
  ) {
    assert.equal(runsThothRun(args), true, args);
  }
  for (
    const args of [
      "/usr/local/bin/thoth approvals watch",
      "/usr/bin/deno run -A server.ts",
      "npm run thoth",
      "/bin/bash",
    ]
  ) {
    assert.equal(runsThothRun(args), false, args);
  }
});

Deno.test("ancestorsOf() stops at a loop and at a pid the table does not hold", () => {
  const looped = parseProcessTable("10 11 a\n11 10 b\n12 11 c\n");
  assert.deepEqual(ancestorsOf(looped, 12).map((r) => r.pid), [11, 10]);
  assert.deepEqual(ancestorsOf(TABLE, 9999), []);
});

Deno.test("environmentSetsGoverned() reads the variable among a process's environment words", () => {
  assert.equal(environmentSetsGoverned("300 node index.js PATH=/bin THOTH_GOVERNED_BY=200"), true);
  assert.equal(
    environmentSetsGoverned("300 node index.js PATH=/bin NOT_THOTH_GOVERNED_BY=2"),
    false,
  );
});

Deno.test("ancestorsInTable() gives nothing to clear a caller that ps does not list", () => {
  const text = "  1 0 /sbin/init\n  10 1 /bin/bash\n  11 10 thoth approvals list\n";
  assert.deepEqual(ancestorsInTable(text, 11)?.map((r) => r.pid), [10, 1]);
  // A ps that prints some other table (or nothing) cannot say the caller is outside a server.
  assert.equal(ancestorsInTable(text, 12), undefined);
  assert.equal(ancestorsInTable("", 11), undefined);
});

Deno.test("ancestorWalk() says when it stopped at MAX_ANCESTORS before the chain's top", () => {
  /** A chain of `n` processes under pid 1: pid 1000 + i's parent is 1000 + i - 1. */
  const chain = (n: number) =>
    parseProcessTable(
      ["1 0 /sbin/init", "1000 1 sh"].concat(
        Array.from({ length: n - 1 }, (_, i) => `${1001 + i} ${1000 + i} sh`),
      ).join("\n"),
    );
  // MAX_ANCESTORS parents, pid 1 the last of them: read to the top.
  const full = ancestorWalk(chain(MAX_ANCESTORS), 1000 + MAX_ANCESTORS - 1);
  assert.equal(full.rows.length, MAX_ANCESTORS);
  assert.equal(full.rows.at(-1)?.pid, 1);
  assert.equal(full.cut, false);
  // One more: pid 1 is past the last parent read.
  const deep = ancestorWalk(chain(MAX_ANCESTORS + 1), 1000 + MAX_ANCESTORS);
  assert.equal(deep.rows.length, MAX_ANCESTORS);
  assert.equal(deep.cut, true);
  assert.deepEqual(ancestorsOf(chain(MAX_ANCESTORS + 1), 1000 + MAX_ANCESTORS), deep.rows);
  // A loop is a top too.
  assert.equal(ancestorWalk(parseProcessTable("10 11 a\n11 10 b\n12 11 c\n"), 12).cut, false);
});
