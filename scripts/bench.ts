// deno-lint-ignore-file no-console -- a script: printing is its job
/**
 * `deno task bench`: tools/call round trips through four paths against the
 * same server (direct, a minimal byte relay, the floor of a governing relay,
 * thoth), with the figures the relay issue sets targets for. The floor
 * (`bench/floor_relay.ts`) does only what governance cannot do without:
 * sandbox, parse, record first. Its figures say which targets this machine
 * allows at all. A benchmark, never a test: it prints numbers and, with
 * --check, exits 1 when thoth misses a target.
 *
 * Flags: --calls N (sequential calls, default 2000), --inflight-calls N
 * (default 6400), --huge-mib N (default 20), --rounds N (default 3), --json,
 * --check, --thoth-flag ARG (repeatable; passed to `thoth run`, e.g. a policy).
 *
 * On a small machine the client, the relay and the server share the cores,
 * and single runs swing widely (the minimal relay's 64-in-flight figure has
 * ranged from 20,000 to 82,000 calls/s). So the four paths are measured
 * in turn, round after round; each figure is the median over the rounds, and
 * each ratio the median of the rounds' ratios, printed with its range.
 */
import { THOTH_V8_FLAGS } from "../src/platform/v8_flags.ts";
import { thothSourceArgs } from "./_thoth_source.ts";
import { floorRelayArgv } from "../bench/floor_relay_argv.ts";
import { Peer } from "./bench/ndjson_peer.ts";
import { cpuMs, peakRssMiB } from "./bench/process_usage.ts";
const ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
const DENO = Deno.execPath();

function flagValue(name: string, fallback: string): string {
  const i = Deno.args.indexOf(name);
  return i === -1 ? fallback : Deno.args[i + 1] ?? fallback;
}
function flagValues(name: string): string[] {
  const out: string[] = [];
  Deno.args.forEach((arg, i) => {
    if (arg === name && Deno.args[i + 1] !== undefined) out.push(Deno.args[i + 1]!);
  });
  return out;
}
const SEQUENTIAL = Number(flagValue("--calls", "2000"));
const INFLIGHT_CALLS = Number(flagValue("--inflight-calls", "6400"));
const HUGE_MIB = Number(flagValue("--huge-mib", "20"));
const THOTH_FLAGS = flagValues("--thoth-flag");
const ROUNDS = Math.max(1, Math.floor(Number(flagValue("--rounds", "3"))) || 1);

const SERVER = [
  DENO,
  "run",
  "--quiet",
  "--allow-read",
  `${ROOT}/tests/fixtures/proxy/fault_server.ts`,
];
const PATHS: Record<string, string[]> = {
  direct: SERVER,
  relay: [DENO, "run", "--quiet", "--allow-run", `${ROOT}/bench/minimal_relay.ts`, "--", ...SERVER],
  floor: floorRelayArgv(DENO, SERVER, [THOTH_V8_FLAGS]),
  thoth: [
    DENO,
    ...thothSourceArgs(ROOT),
    "run",
    "--agent-id",
    "bench",
    ...THOTH_FLAGS,
    "--",
    ...SERVER,
  ],
};

/** thoth's profile for the run: a temp dir, never the real ~/.thoth. */
const BENCH_HOME = await Deno.makeTempDir({ prefix: "thoth-bench-home-" });

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

interface Figures {
  startupMs: number;
  p50Ms: number;
  p99Ms: number;
  sequentialPerSec: number;
  inflight64PerSec: number;
  hugeMs: number;
  /**
   * CPU time the relay process spent per call with 64 in flight, in µs (every
   * thread; not the server's). With client, relay and server on the same
   * cores, this is what throughput trades against.
   */
  cpuUsPerCall: number | null;
  /** Peak RSS of the relay process through the call phases (before any huge message). */
  peakRssMiB: number | null;
  /** Peak RSS after relaying the huge results too. */
  peakRssHugeMiB: number | null;
}

const echo = { name: "echo", arguments: { message: "benchmark payload", n: 42 } };

async function measure(argv: string[]): Promise<Figures> {
  const t0 = performance.now();
  const peer = new Peer(argv, BENCH_HOME);
  await peer.request("initialize", {
    protocolVersion: "2025-06-18",
    capabilities: {},
    clientInfo: { name: "bench", version: "1" },
  });
  const startupMs = performance.now() - t0;
  await peer.request("tools/list", {});
  for (let i = 0; i < 200; i++) await peer.request("tools/call", echo); // warm-up

  const latencies: number[] = [];
  const seqStart = performance.now();
  for (let i = 0; i < SEQUENTIAL; i++) {
    const start = performance.now();
    await peer.request("tools/call", echo);
    latencies.push(performance.now() - start);
  }
  const sequentialPerSec = SEQUENTIAL / ((performance.now() - seqStart) / 1000);
  latencies.sort((a, b) => a - b);

  const measured = argv !== PATHS["direct"];
  const cpuBefore = measured ? await cpuMs(peer.child.pid) : null;
  const flightStart = performance.now();
  let sent = 0;
  const lane = async () => {
    while (sent < INFLIGHT_CALLS) {
      sent++;
      await peer.request("tools/call", echo);
    }
  };
  await Promise.all(Array.from({ length: 64 }, lane));
  const inflight64PerSec = INFLIGHT_CALLS / ((performance.now() - flightStart) / 1000);
  const cpuAfter = measured ? await cpuMs(peer.child.pid) : null;
  const cpuUsPerCall = cpuBefore === null || cpuAfter === null
    ? null
    : (cpuAfter - cpuBefore) * 1000 / INFLIGHT_CALLS;

  const rssCalls = measured ? await peakRssMiB(peer.child.pid) : null;
  const hugeRuns: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    const line = await peer.request("tools/call", {
      name: "huge",
      arguments: { bytes: HUGE_MIB * 1024 * 1024 },
    });
    hugeRuns.push(performance.now() - start);
    if (line.length < HUGE_MIB * 1024 * 1024) throw new Error("huge result truncated");
  }
  hugeRuns.sort((a, b) => a - b);

  // thoth and the relay run their server as a child: measure the relay process itself.
  const rssHuge = measured ? await peakRssMiB(peer.child.pid) : null;
  await peer.close();
  return {
    startupMs,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    sequentialPerSec,
    inflight64PerSec,
    cpuUsPerCall,
    hugeMs: hugeRuns[1]!,
    peakRssMiB: rssCalls,
    peakRssHugeMiB: rssHuge,
  };
}

const rounds: Record<string, Figures>[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  const figures: Record<string, Figures> = {};
  for (const [name, argv] of Object.entries(PATHS)) {
    console.error(`bench: round ${round} of ${ROUNDS}: measuring ${name} …`);
    figures[name] = await measure(argv);
  }
  rounds.push(figures);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The median of each figure over the rounds, per path. */
const results: Record<string, Figures> = {};
for (const name of Object.keys(PATHS)) {
  const of = (pick: (f: Figures) => number | null) => {
    const values = rounds.map((r) => pick(r[name]!)).filter((v): v is number => v !== null);
    return values.length === 0 ? null : median(values);
  };
  results[name] = {
    startupMs: of((f) => f.startupMs)!,
    p50Ms: of((f) => f.p50Ms)!,
    p99Ms: of((f) => f.p99Ms)!,
    sequentialPerSec: of((f) => f.sequentialPerSec)!,
    inflight64PerSec: of((f) => f.inflight64PerSec)!,
    cpuUsPerCall: of((f) => f.cpuUsPerCall),
    hugeMs: of((f) => f.hugeMs)!,
    peakRssMiB: of((f) => f.peakRssMiB),
    peakRssHugeMiB: of((f) => f.peakRssHugeMiB),
  };
}

/** One round's ratios of a path against the minimal relay (a round's paths ran together). */
function roundRatios(r: Record<string, Figures>, name: string) {
  const added = r[name]!.p50Ms - r["direct"]!.p50Ms;
  const addedRelay = r["relay"]!.p50Ms - r["direct"]!.p50Ms;
  return {
    addedP50VsRelay: addedRelay > 0 ? added / addedRelay : Infinity,
    inflightVsRelay: r[name]!.inflight64PerSec / r["relay"]!.inflight64PerSec,
    hugeVsRelay: r[name]!.hugeMs / r["relay"]!.hugeMs,
  };
}
type Ratios = ReturnType<typeof roundRatios>;
type Spread = Record<keyof Ratios, { median: number; min: number; max: number }>;

/** Each ratio of a path: the median over the rounds, with the lowest and highest round. */
function ratioSpreadOf(name: string): Spread {
  const perRound = rounds.map((r) => roundRatios(r, name));
  const spread = (key: keyof Ratios) => {
    const values = perRound.map((r) => r[key]);
    return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
  };
  return {
    addedP50VsRelay: spread("addedP50VsRelay"),
    inflightVsRelay: spread("inflightVsRelay"),
    hugeVsRelay: spread("hugeVsRelay"),
  };
}

/** The relay issue's targets, judged on a path's figures. */
function targetsOf(spread: Spread, figures: Figures) {
  return {
    addedP50VsRelay: spread.addedP50VsRelay.median <= 1.3,
    inflightVsRelay: spread.inflightVsRelay.median >= 0.8,
    hugeVsRelay: spread.hugeVsRelay.median <= 2,
    // The issue writes "80 MB": judged in decimal megabytes (76.3 MiB), the
    // stricter reading; the MiB reading is reported beside it.
    rssUnder80MB: figures.peakRssMiB === null || figures.peakRssMiB * MIB < 80e6,
    rssUnder80MiB: figures.peakRssMiB === null || figures.peakRssMiB < 80,
  };
}

const MIB = 1024 * 1024;

const ratioSpread = ratioSpreadOf("thoth");
const ratios: Ratios = {
  addedP50VsRelay: ratioSpread.addedP50VsRelay.median,
  inflightVsRelay: ratioSpread.inflightVsRelay.median,
  hugeVsRelay: ratioSpread.hugeVsRelay.median,
};
const thoth = results["thoth"]!;
const targets = targetsOf(ratioSpread, thoth);
const floorSpread = ratioSpreadOf("floor");
const floorTargets = targetsOf(floorSpread, results["floor"]!);

if (Deno.args.includes("--json")) {
  console.log(
    JSON.stringify(
      {
        sequential: SEQUENTIAL,
        inflightCalls: INFLIGHT_CALLS,
        hugeMiB: HUGE_MIB,
        rounds: ROUNDS,
        results,
        ratios,
        ratioSpread,
        targets,
        floor: { ratioSpread: floorSpread, targets: floorTargets },
        perRound: rounds,
      },
      null,
      2,
    ),
  );
} else {
  const f = (n: number | null, digits = 3) => n === null ? "n/a" : n.toFixed(digits);
  const rows = [
    [
      "path",
      "startup ms",
      "p50 ms",
      "p99 ms",
      "seq calls/s",
      "64-inflight calls/s",
      "CPU µs/call",
      `${HUGE_MIB} MiB ms`,
      "peak RSS MiB",
      `RSS after ${HUGE_MIB} MiB`,
    ],
    ...Object.entries(results).map(([name, r]) => [
      name,
      f(r.startupMs, 1),
      f(r.p50Ms),
      f(r.p99Ms),
      f(r.sequentialPerSec, 0),
      f(r.inflight64PerSec, 0),
      f(r.cpuUsPerCall, 1),
      f(r.hugeMs, 1),
      f(r.peakRssMiB, 1),
      f(r.peakRssHugeMiB, 1),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join("  "));
  console.log();
  console.log(`medians of ${ROUNDS} round(s); ratios: median (lowest-highest round)`);
  const range = (spread: Spread, key: keyof Ratios) =>
    `${f(spread[key].median, 2)} (${f(spread[key].min, 2)}-${f(spread[key].max, 2)})`;
  const verdict = (ok: boolean) => ok ? "ok" : "MISSED";
  const report = (name: string, spread: Spread, met: typeof targets, figures: Figures) => {
    console.log(
      `${name} added p50 / relay added p50: ${range(spread, "addedP50VsRelay")} ` +
        `(target <= 1.3) ${verdict(met.addedP50VsRelay)}`,
    );
    console.log(
      `${name} / relay calls/s, 64 in flight: ${range(spread, "inflightVsRelay")} ` +
        `(target >= 0.8) ${verdict(met.inflightVsRelay)}`,
    );
    console.log(
      `${name} / relay ${HUGE_MIB} MiB time: ${range(spread, "hugeVsRelay")} ` +
        `(target <= 2) ${verdict(met.hugeVsRelay)}`,
    );
    console.log(
      `${name} CPU per call, 64 in flight: ${f(figures.cpuUsPerCall, 1)} µs ` +
        `(minimal relay ${f(results["relay"]!.cpuUsPerCall, 1)} µs; no target)`,
    );
    const mb = figures.peakRssMiB === null ? null : figures.peakRssMiB * MIB / 1e6;
    console.log(
      `${name} peak RSS: ${f(figures.peakRssMiB, 1)} MiB = ${f(mb, 1)} MB (target < 80 MB) ${
        verdict(met.rssUnder80MB)
      }; read as 80 MiB: ${verdict(met.rssUnder80MiB)}`,
    );
  };
  report("thoth", ratioSpread, targets, thoth);
  console.log();
  console.log(
    "floor: the least a governing relay does (a sandbox worker that parses every message and",
  );
  console.log("writes a record before each tools/call; no policy, digest, chain or faults):");
  report("floor", floorSpread, floorTargets, results["floor"]!);
}
await Deno.remove(BENCH_HOME, { recursive: true }).catch(() => {});
if (Deno.args.includes("--check") && !Object.values(targets).every(Boolean)) Deno.exit(1);
