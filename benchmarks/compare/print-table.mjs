// Prints comparison JSON lines (one result per line, any system) as a Markdown table, grouped by workload.
//   node print-table.mjs results/peers.jsonl [more.jsonl ...]
import { readFileSync } from 'node:fs';

const ORDER = ['enqueue-single', 'enqueue-batch', 'drain', 'latency', 'cold-start'];
const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write('usage: node print-table.mjs RESULTS.jsonl [...]\n');
  process.exit(2);
}

const rows = files
  .flatMap((file) => readFileSync(file, 'utf8').split('\n'))
  .filter((line) => line.trim().startsWith('{'))
  .map((line) => JSON.parse(line))
  .sort((a, b) => ORDER.indexOf(a.workload) - ORDER.indexOf(b.workload));

const number = (value, digits = 0) =>
  value === null || value === undefined ? '' : Number(value).toLocaleString('en-US', {
    minimumFractionDigits: digits, maximumFractionDigits: digits,
  });

const header = ['workload', 'system', 'n', 'tasks/s', 'p50 ms', 'p99 ms', 'max ms', 'RSS MiB', 'cold start ms'];
const lines = [
  `| ${header.join(' | ')} |`,
  `|${header.map((_, k) => (k < 2 ? '---' : '---:')).join('|')}|`,
  ...rows.map((r) => `| ${[r.workload, r.system, number(r.n), number(r.tasks_per_s), number(r.p50_ms, 2),
    number(r.p99_ms, 2), number(r.max_ms, 2), number(r.rss_mb, 1), number(r.cold_start_ms, 0)].join(' | ')} |`),
];
process.stdout.write(`${lines.join('\n')}\n`);
