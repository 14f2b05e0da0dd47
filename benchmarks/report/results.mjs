// Reads comparison result lines (benchmarks/compare/README.md schema) and names each row: TypedTasks' rows carry
// their worker build (jit/aot) as the first item of `config`.
import { readFileSync } from 'node:fs';

export const WORKLOADS = ['enqueue-single', 'enqueue-batch', 'drain', 'latency', 'cold-start'];

export function readResults(files) {
  return files
    .flatMap((file) => readFileSync(file, 'utf8').split('\n'))
    .filter((line) => line.trim().startsWith('{'))
    .map((line) => JSON.parse(line))
    .map((row) => ({ ...row, label: label(row) }))
    .sort((a, b) => WORKLOADS.indexOf(a.workload) - WORKLOADS.indexOf(b.workload));
}

export function label(row) {
  const flavour = /^(jit|aot);/.exec(row.config ?? '');
  return flavour && row.system === 'typedtasks' ? `typedtasks ${flavour[1]}` : row.system;
}

export function find(rows, workload, labelOrSystem) {
  return rows.find((r) => r.workload === workload && (r.label === labelOrSystem || r.system === labelOrSystem));
}
