// The comparison table with ratios to BullMQ, and issue 5's targets marked met or missed.
//   node report.mjs RESULTS.jsonl [...] [--meta run.meta.txt] [--dispatch DispatchBenchmarks-report.csv]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { WORKLOADS, find, readResults } from './results.mjs';

const { values: options, positionals: files } = parseArgs({
  allowPositionals: true,
  options: { meta: { type: 'string' }, dispatch: { type: 'string' } },
});
if (files.length === 0) {
  process.stderr.write('usage: node report.mjs RESULTS.jsonl [...] [--meta run.meta.txt] [--dispatch report.csv]\n');
  process.exit(2);
}

const all = readResults(files);
const rows = all.filter((r) => WORKLOADS.includes(r.workload));
const floors = all.filter((r) => r.workload.startsWith('floor-'));
const fmt = (value, digits = 0) => (value === null || value === undefined || Number.isNaN(value) ? '' : Number(value)
  .toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }));
const times = (x) => (x === null || x === undefined ? '' : `${fmt(x, x >= 10 ? 0 : 2)}×`);

function versusBullmq(row) {
  const bull = find(rows, row.workload, 'bullmq');
  if (!bull || row.system === 'bullmq') return '';
  switch (row.workload) {
    case 'latency':
      return `p50 ${times(row.p50_ms / bull.p50_ms)}, p99 ${times(row.p99_ms / bull.p99_ms)}`;
    case 'cold-start':
      return times(row.cold_start_ms / bull.cold_start_ms);
    case 'drain':
      return `${times(row.tasks_per_s / bull.tasks_per_s)} rate, ${times(row.rss_mb / bull.rss_mb)} RSS`;
    default:
      return times(row.tasks_per_s / bull.tasks_per_s);
  }
}

const header = ['workload', 'system', 'n', 'tasks/s', 'p50 ms', 'p99 ms', 'max ms', 'RSS MiB', 'cold start ms', 'vs BullMQ'];
const out = [
  `| ${header.join(' | ')} |`,
  `|${header.map((_, k) => (k < 2 || k === header.length - 1 ? '---' : '---:')).join('|')}|`,
  ...rows.map((r) => `| ${[r.workload, r.label, fmt(r.n), fmt(r.tasks_per_s), fmt(r.p50_ms, 2), fmt(r.p99_ms, 2),
    fmt(r.max_ms, 2), fmt(r.rss_mb, 1), fmt(r.cold_start_ms, 0), versusBullmq(r)].join(' | ')} |`),
  '',
];

// --- targets ---
const meta = options.meta ? readFileSync(options.meta, 'utf8') : '';
const pingRate = Number(/PING ([\d.]+)\/s/.exec(meta)?.[1] ?? NaN);
const targets = [];
const bull = (workload) => find(rows, workload, 'bullmq');
function target(figure, goal, ours, value, ratio, met) {
  targets.push({ figure, goal, ours, value, ratio, met });
}

for (const flavour of ['aot', 'jit']) {
  const drain = find(rows, 'drain', `typedtasks ${flavour}`);
  if (drain && bull('drain')) {
    const ratio = drain.tasks_per_s / bull('drain').tasks_per_s;
    target(`drain throughput (${flavour})`, '≥ 5× BullMQ', `${fmt(drain.tasks_per_s)}/s`, `${fmt(bull('drain').tasks_per_s)}/s`, ratio, ratio >= 5);
  }
}

const single = find(rows, 'enqueue-single', 'typedtasks');
if (single && bull('enqueue-single')) {
  const ratio = single.tasks_per_s / bull('enqueue-single').tasks_per_s;
  target('enqueue, one awaited call', '≥ 1.5× BullMQ', `${fmt(single.tasks_per_s)}/s`, `${fmt(bull('enqueue-single').tasks_per_s)}/s`, ratio, ratio >= 1.5);
  if (!Number.isNaN(pingRate)) {
    // Within 10% of one round trip per task: time per task ≤ 1.1 × the PING round trip.
    const perTask = pingRate / single.tasks_per_s;
    target('enqueue, one awaited call', '≤ 1.1 round trips per task', `${fmt(1e6 / single.tasks_per_s, 1)} µs/task`,
      `PING ${fmt(1e6 / pingRate, 1)} µs`, perTask, perTask <= 1.1);
  }
}

const batch = find(rows, 'enqueue-batch', 'typedtasks');
if (batch && bull('enqueue-batch')) {
  const ratio = batch.tasks_per_s / bull('enqueue-batch').tasks_per_s;
  target('enqueue, batch API', '≥ 8× addBulk', `${fmt(batch.tasks_per_s)}/s`, `${fmt(bull('enqueue-batch').tasks_per_s)}/s`, ratio, ratio >= 8);
}

for (const flavour of ['aot', 'jit']) {
  const latency = find(rows, 'latency', `typedtasks ${flavour}`);
  const b = bull('latency');
  if (latency && b) {
    const p50 = latency.p50_ms / b.p50_ms;
    const p99 = latency.p99_ms / b.p99_ms;
    target(`latency p50 (${flavour})`, '≤ 0.5× BullMQ', `${fmt(latency.p50_ms, 2)} ms`, `${fmt(b.p50_ms, 2)} ms`, p50, p50 <= 0.5);
    target(`latency p99 (${flavour})`, '≤ 1× BullMQ', `${fmt(latency.p99_ms, 2)} ms`, `${fmt(b.p99_ms, 2)} ms`, p99, p99 <= 1);
  }
}

const aotDrain = find(rows, 'drain', 'typedtasks aot');
if (aotDrain && bull('drain')) {
  const ratio = aotDrain.rss_mb / bull('drain').rss_mb;
  target('worker RSS during drain (aot)', '≤ 0.25× BullMQ', `${fmt(aotDrain.rss_mb, 1)} MiB`, `${fmt(bull('drain').rss_mb, 1)} MiB`, ratio, ratio <= 0.25);
}

const aotCold = find(rows, 'cold-start', 'typedtasks aot');
if (aotCold && bull('cold-start')) {
  const ratio = aotCold.cold_start_ms / bull('cold-start').cold_start_ms;
  target('cold start to first task (aot)', '≤ 0.2× BullMQ', `${fmt(aotCold.cold_start_ms)} ms`, `${fmt(bull('cold-start').cold_start_ms)} ms`, ratio, ratio <= 0.2);
}

if (options.dispatch) {
  // BenchmarkDotNet's CSV: one row per benchmark and Actor parameter; Mean like "1.234 us".
  const [head, ...lines] = readFileSync(options.dispatch, 'utf8').trim().split('\n').map(splitCsv);
  const col = (name) => head.indexOf(name);
  const toNs = (text) => {
    const [value, unit] = text.replace(/,/g, '').split(' ');
    return Number(value) * ({ ns: 1, us: 1e3, 'μs': 1e3, ms: 1e6, s: 1e9 }[unit] ?? NaN);
  };
  for (const actor of [...new Set(lines.map((l) => l[col('Actor')]))]) {
    const of = (prefix) => lines.find((l) => l[col('Actor')] === actor && l[col('Method')].startsWith(prefix));
    for (const [scope, generatedPrefix, reflectionPrefix] of [
      ['with envelope decode', "'generated: envelope", "'reflection: envelope"],
      ['arguments only', "'generated: lookup", "'reflection: lookup"],
    ]) {
      const generated = of(generatedPrefix);
      const reflection = of(reflectionPrefix);
      if (generated && reflection) {
        const speedup = toNs(reflection[col('Mean')]) / toNs(generated[col('Mean')]);
        target(`dispatch vs reflection (${actor}, ${scope})`, '≥ 5× faster', `${generated[col('Mean')]}, ${generated[col('Allocated')]}`,
          `${reflection[col('Mean')]}, ${reflection[col('Allocated')]}`, speedup, speedup >= 5);
      }
    }
  }
}

function splitCsv(line) {
  const cells = [];
  let cell = '';
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if ((ch === ',' || ch === ';') && !quoted) { cells.push(cell); cell = ''; } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

out.push('| figure | target | TypedTasks | BullMQ / reference | ratio (dispatch: speed-up) | met |', '|---|---|---:|---:|---:|---|');
for (const t of targets) {
  out.push(`| ${t.figure} | ${t.goal} | ${t.ours} | ${t.value} | ${times(t.ratio)} | ${t.met ? 'met' : '**missed**'} |`);
}
if (floors.length > 0 || !Number.isNaN(pingRate)) {
  out.push('', 'Round-trip floors (one client, one awaited call at a time):', '');
  if (!Number.isNaN(pingRate)) out.push(`- redis-benchmark PING (C client): ${fmt(pingRate)}/s = ${fmt(1e6 / pingRate, 1)} µs`);
  const xaddRate = Number(/XADD ([\d.]+)\/s/.exec(meta)?.[1] ?? NaN);
  if (!Number.isNaN(xaddRate)) out.push(`- redis-benchmark XADD (C client): ${fmt(xaddRate)}/s = ${fmt(1e6 / xaddRate, 1)} µs`);
  for (const f of floors) {
    out.push(`- StackExchange.Redis ${f.workload.slice('floor-'.length)}: ${fmt(f.tasks_per_s)}/s = ${fmt(1e6 / f.tasks_per_s, 1)} µs`);
  }
  if (single) out.push(`- TypedTasks enqueue-single: ${fmt(single.tasks_per_s)}/s = ${fmt(1e6 / single.tasks_per_s, 1)} µs`);
}
process.stdout.write(`${out.join('\n')}\n`);
