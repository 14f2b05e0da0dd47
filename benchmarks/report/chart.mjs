// Draws the comparison as an SVG (one panel per figure, one bar per system); run-all.sh converts it to PNG.
//   node chart.mjs RESULTS.jsonl [...] --out docs/images/benchmarks.svg
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readResults } from './results.mjs';

const { values: options, positionals: files } = parseArgs({
  allowPositionals: true,
  options: { out: { type: 'string', default: 'benchmarks.svg' } },
});
const rows = readResults(files);

const COLORS = { 'typedtasks aot': '#1f6feb', 'typedtasks jit': '#6ea8fe', bullmq: '#e5534b', hangfire: '#8b949e' };
const ORDER = ['typedtasks aot', 'typedtasks jit', 'bullmq', 'hangfire'];

const panels = [
  { title: 'Drain: tasks/s, launch to last done', better: 'higher', workload: 'drain', value: (r) => r.tasks_per_s, unit: '/s' },
  { title: 'Enqueue, one awaited call: tasks/s', better: 'higher', workload: 'enqueue-single', value: (r) => r.tasks_per_s, unit: '/s' },
  { title: 'Enqueue, batch API: tasks/s', better: 'higher', workload: 'enqueue-batch', value: (r) => r.tasks_per_s, unit: '/s' },
  { title: 'Pickup latency p50 at 200/s: ms', better: 'lower', workload: 'latency', value: (r) => r.p50_ms, unit: ' ms', digits: 2 },
  { title: 'Pickup latency p99 at 200/s: ms', better: 'lower', workload: 'latency', value: (r) => r.p99_ms, unit: ' ms', digits: 2 },
  { title: 'Worker peak RSS during drain: MiB', better: 'lower', workload: 'drain', value: (r) => r.rss_mb, unit: ' MiB', digits: 1 },
  { title: 'Cold start to first task: ms', better: 'lower', workload: 'cold-start', value: (r) => r.cold_start_ms, unit: ' ms' },
];

const width = 1200;
const columns = 2;
const panelWidth = (width - 60) / columns;
const barHeight = 26;
const labelWidth = 130;
const valueWidth = 110;
const top = 70;
const panelHeights = panels.map((p) => 44 + barHeight * 1.35 * rows.filter((r) => r.workload === p.workload).length + 16);
const rowHeights = [];
for (let k = 0; k < panels.length; k += columns) rowHeights.push(Math.max(...panelHeights.slice(k, k + columns)));
const height = top + rowHeights.reduce((a, b) => a + b, 0) + 40;

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (v, digits = 0) => Number(v).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

const svg = [
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Arial, sans-serif">`,
  `<rect width="100%" height="100%" fill="#ffffff"/>`,
  `<text x="30" y="36" font-size="22" font-weight="bold" fill="#1f2328">TypedTasks vs BullMQ and Hangfire on one Redis (no-op tasks, one worker process)</text>`,
  `<text x="30" y="58" font-size="13" fill="#57606a">Same machine, same Redis, same run; default at-least-once settings. Source: benchmarks/results/*.jsonl (benchmarks/run-all.sh)</text>`,
];

let y = top;
panels.forEach((panel, k) => {
  const column = k % columns;
  if (k > 0 && column === 0) y += rowHeights[Math.floor(k / columns) - 1];
  const x = 30 + column * (panelWidth + 10);
  const bars = rows
    .filter((r) => r.workload === panel.workload && panel.value(r) !== null && panel.value(r) !== undefined)
    .sort((a, b) => ORDER.indexOf(a.label) - ORDER.indexOf(b.label));
  const max = Math.max(...bars.map(panel.value));
  svg.push(`<text x="${x}" y="${y + 18}" font-size="15" font-weight="bold" fill="#1f2328">${esc(panel.title)}</text>`);
  svg.push(`<text x="${x + panelWidth - 10}" y="${y + 18}" font-size="12" text-anchor="end" fill="#57606a">${panel.better} is better</text>`);
  bars.forEach((row, b) => {
    const by = y + 34 + b * barHeight * 1.35;
    const length = Math.max(2, ((panelWidth - labelWidth - valueWidth) * panel.value(row)) / max);
    const name = row.workload.startsWith('enqueue') && row.system === 'typedtasks' ? 'typedtasks' : row.label;
    svg.push(`<text x="${x}" y="${by + barHeight * 0.68}" font-size="13" fill="#1f2328">${esc(name)}</text>`);
    svg.push(`<rect x="${x + labelWidth}" y="${by}" width="${length.toFixed(1)}" height="${barHeight}" rx="3" fill="${COLORS[row.label] ?? '#999'}"/>`);
    svg.push(`<text x="${x + labelWidth + length + 6}" y="${by + barHeight * 0.68}" font-size="13" fill="#1f2328">${fmt(panel.value(row), panel.digits ?? 0)}${panel.unit}</text>`);
  });
});
svg.push('</svg>');
writeFileSync(options.out, `${svg.join('\n')}\n`);
