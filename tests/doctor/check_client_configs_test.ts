import assert from "node:assert/strict";
import { checkClientConfigs } from "../../src/doctor/check_client_configs.ts";
import { SAME_OPTIONS } from "../../src/doctor/wrap_config_line.ts";
import type { ClientConfigReport, ClientServer } from "../../src/doctor/doctor_plugins.ts";

const THOTH = "/opt/thoth/bin/thoth";
const governed: ClientServer = {
  name: "gdrive",
  governed: true,
  command: THOTH,
  upstreamCommand: "npx",
};
const plain: ClientServer = {
  name: "slack",
  governed: false,
  command: "/usr/bin/node",
  upstreamCommand: null,
};
const odd: ClientServer = {
  name: "odd",
  governed: false,
  command: THOTH,
  upstreamCommand: null,
  notUnderstood: 'thoth entry not understood: its arguments start with "serve", not "run"',
};
const noDash: ClientServer = {
  name: "nodash",
  governed: false,
  command: THOTH,
  upstreamCommand: null,
  notUnderstood: 'thoth entry not understood: no "--" before the upstream command',
};

function config(path: string, ...servers: ClientServer[]): ClientConfigReport {
  return { client: "claude-desktop", configPath: path, servers };
}

Deno.test("checkClientConfigs() passes when every server is governed", () => {
  assert.deepEqual(checkClientConfigs([config("/cfg/a.json", governed)]), {
    id: "client_configs",
    status: "pass",
    message: "1 client config, 1 of 1 servers governed",
    hint: null,
  });
});

Deno.test("checkClientConfigs() fails on a server that runs without thoth, with the wrap command", () => {
  assert.deepEqual(checkClientConfigs([config("/cfg/a.json", governed, plain)]), {
    id: "client_configs",
    status: "fail",
    message: "1 client config, 1 of 2 servers governed; not governed: slack",
    hint: `wrap them ${SAME_OPTIONS} with: thoth wrap-config --client claude-desktop /cfg/a.json`,
  });
});

Deno.test("checkClientConfigs() names a thoth entry not understood apart, with the reason thoth status gives", () => {
  assert.deepEqual(checkClientConfigs([config("/cfg/a.json", governed, odd)]), {
    id: "client_configs",
    status: "fail",
    message: "1 client config, 1 of 2 servers governed; " +
      'odd: thoth entry not understood: its arguments start with "serve", not "run"',
    hint: 'fix the thoth entry not understood by hand in "/cfg/a.json" to read ' +
      '"thoth run [flags] -- <command>" (wrap-config leaves it alone), ' +
      'then run: thoth status --config "/cfg/a.json"',
  });
});

Deno.test("checkClientConfigs() reports both kinds, each with its own remedy", () => {
  const check = checkClientConfigs([
    config("/cfg/a.json", plain, governed),
    config("/cfg/b.json", odd, noDash),
  ]);
  assert.deepEqual(check, {
    id: "client_configs",
    status: "fail",
    message: "2 client configs, 1 of 4 servers governed; " +
      'not governed: slack (claude-desktop "/cfg/a.json"); ' +
      'odd (claude-desktop "/cfg/b.json"): thoth entry not understood: its arguments start with "serve", not "run"; ' +
      'nodash (claude-desktop "/cfg/b.json"): thoth entry not understood: no "--" before the upstream command',
    hint:
      `wrap slack ${SAME_OPTIONS} with: thoth wrap-config --client claude-desktop /cfg/a.json; ` +
      'fix the thoth entries not understood by hand in "/cfg/b.json" to read ' +
      '"thoth run [flags] -- <command>" (wrap-config leaves them alone), ' +
      'then run: thoth status --config "/cfg/b.json"',
  });
});
