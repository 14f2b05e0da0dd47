// BullMQ side of the peer comparison: runs one workload (or all) and prints one JSON line per workload on stdout.
// Progress goes to stderr. Workers run in their own process (worker.mjs), so RSS and cold start are the worker's.
//
//   node bench.mjs --redis 127.0.0.1:6379 --workload drain [--n 100000] [--payload-bytes 100]
//
// Each workload obliterates its queue first; run-peers.sh also FLUSHALLs between workloads.
import { Queue } from 'bullmq';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    redis: { type: 'string', default: '127.0.0.1:6379' },
    workload: { type: 'string', default: 'all' },
    n: { type: 'string' },
    'payload-bytes': { type: 'string', default: '100' },
    'batch-size': { type: 'string', default: '1000' },
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '10' },
    runs: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '50' },
    'timeout-s': { type: 'string', default: '300' },
  },
});

const QUEUE = 'compare';
const WORKLOADS = ['enqueue-single', 'enqueue-batch', 'drain', 'latency', 'cold-start'];
const DEFAULT_N = { 'enqueue-single': 20_000, 'enqueue-batch': 100_000, drain: 100_000 };
const WARMUP_ADDS = 200;

const [host, port] = args.redis.split(':');
const connection = { host, port: Number(port) };
const payloadBytes = Number(args['payload-bytes']);
const batchSize = Number(args['batch-size']);
const concurrency = Number(args.concurrency);
const timeoutMs = Number(args['timeout-s']) * 1000;

// What a production user sets: keep failures for inspection, drop successes, retry with backoff.
const JOB_OPTIONS = {
  removeOnComplete: true,
  removeOnFail: 1000,
  attempts: 3,
  backoff: { type: 'exponential', delay: 1000 },
};
const JOB_CONFIG = 'removeOnComplete:true, removeOnFail:1000, attempts:3 exponential backoff';

const padding = 'x'.repeat(payloadBytes);
const nowNs = () => process.hrtime.bigint();
const log = (msg) => process.stderr.write(`[bullmq] ${msg}\n`);

function emit(result) {
  const line = {
    system: 'bullmq',
    workload: result.workload,
    n: result.n,
    tasks_per_s: result.tasks_per_s ?? null,
    p50_ms: result.p50_ms ?? null,
    p99_ms: result.p99_ms ?? null,
    max_ms: result.max_ms ?? null,
    rss_mb: result.rss_mb ?? null,
    cold_start_ms: result.cold_start_ms ?? null,
    config: `bullmq ${bullmqVersion()}, node ${process.version}; ${result.config}`,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

function bullmqVersion() {
  const pkg = new URL('./node_modules/bullmq/package.json', import.meta.url);
  return JSON.parse(readFileSync(pkg, 'utf8')).version;
}

const round = (x, digits) => Number(x.toFixed(digits));
const perSecond = (count, ns) => round(count / (Number(ns) / 1e9), 0);

function percentile(sorted, p) {
  // Nearest-rank: the smallest value with at least p of the samples at or below it.
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1];
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function jobData(i) {
  return { i, payload: padding };
}

// The enqueue stamp travels inside the payload so the task keeps its (i, payload) shape.
function stampedData(i) {
  const stamp = `${nowNs()}|`;
  return { i, payload: stamp + padding.slice(stamp.length) };
}

async function prefill(queue, n) {
  const started = nowNs();
  for (let from = 0; from < n; from += batchSize) {
    const count = Math.min(batchSize, n - from);
    const jobs = new Array(count);
    for (let k = 0; k < count; k++) jobs[k] = { name: 'noop', data: jobData(from + k), opts: JOB_OPTIONS };
    await queue.addBulk(jobs);
  }
  return nowNs() - started;
}

// Starts worker.mjs and hands back its launch time and line-oriented access to its stdout.
function launchWorker(mode, n) {
  const script = fileURLToPath(new URL('./worker.mjs', import.meta.url));
  const workerArgs = [script, '--redis', args.redis, '--queue', QUEUE, '--mode', mode, '--n', String(n),
    '--concurrency', String(concurrency)];
  const launchedNs = nowNs();
  const child = spawn(process.execPath, workerArgs, { stdio: ['pipe', 'pipe', 'inherit'] });
  const waiters = [];
  const lines = [];
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const waiter = waiters.findIndex((w) => line.startsWith(w.prefix));
    if (waiter >= 0) waiters.splice(waiter, 1)[0].resolve(line);
    else lines.push(line);
  });
  exited.then(({ code, signal }) => {
    for (const w of waiters.splice(0)) w.reject(new Error(`worker exited (code ${code}, signal ${signal})`));
  });

  function next(prefix) {
    const buffered = lines.findIndex((l) => l.startsWith(prefix));
    if (buffered >= 0) return Promise.resolve(lines.splice(buffered, 1)[0].slice(prefix.length + 1));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker: no ${prefix} within ${timeoutMs} ms`)), timeoutMs);
      waiters.push({
        prefix,
        resolve: (line) => { clearTimeout(timer); resolve(line.slice(prefix.length + 1)); },
        reject: (err) => { clearTimeout(timer); reject(err); },
      });
    });
  }

  function peakRssMb() {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const kb = Number(/^VmHWM:\s+(\d+)\s+kB/m.exec(status)[1]);
    return round(kb / 1024, 1);
  }

  async function stop() {
    child.stdin.end();
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  }

  return { launchedNs, next, peakRssMb, stop, child };
}

async function withQueue(action) {
  const queue = new Queue(QUEUE, { connection, defaultJobOptions: JOB_OPTIONS });
  await queue.waitUntilReady();
  // Each workload starts from an empty queue, also when several run in one invocation or Redis is shared.
  await queue.obliterate({ force: true });
  try {
    return await action(queue);
  } finally {
    await queue.close();
  }
}

async function enqueueSingle(n) {
  return withQueue(async (queue) => {
    for (let i = 0; i < WARMUP_ADDS; i++) await queue.add('noop', jobData(-1 - i));
    log(`enqueue-single: ${n} awaited Queue.add calls`);
    const started = nowNs();
    for (let i = 0; i < n; i++) await queue.add('noop', jobData(i));
    const elapsed = nowNs() - started;
    return {
      workload: 'enqueue-single', n, tasks_per_s: perSecond(n, elapsed),
      config: `one producer, one awaited Queue.add at a time, ${WARMUP_ADDS} warm-up adds not timed; ${JOB_CONFIG}; payload ${payloadBytes} B`,
    };
  });
}

async function enqueueBatch(n) {
  return withQueue(async (queue) => {
    await prefill(queue, Math.min(WARMUP_ADDS, n));
    log(`enqueue-batch: ${n} tasks through Queue.addBulk in chunks of ${batchSize}`);
    const elapsed = await prefill(queue, n);
    return {
      workload: 'enqueue-batch', n, tasks_per_s: perSecond(n, elapsed),
      config: `one producer, awaited Queue.addBulk chunks of ${batchSize}; ${JOB_CONFIG}; payload ${payloadBytes} B`,
    };
  });
}

async function drain(n) {
  return withQueue(async (queue) => {
    log(`drain: pre-filling ${n} tasks`);
    const prefillNs = await prefill(queue, n);
    log(`drain: pre-filled at ${perSecond(n, prefillNs)}/s; launching the worker`);
    const worker = launchWorker('drain', n);
    try {
      const done = JSON.parse(await worker.next('DONE'));
      const rssMb = worker.peakRssMb();
      const totalNs = BigInt(done.done_ns) - worker.launchedNs;
      const steady = n > 1 ? perSecond(n - 1, BigInt(done.done_ns) - BigInt(done.first_done_ns)) : null;
      log(`drain: ${n} in ${round(Number(totalNs) / 1e6, 0)} ms; steady after first task ${steady}/s; VmHWM ${rssMb} MiB`);
      return {
        workload: 'drain', n, tasks_per_s: perSecond(n, totalNs), rss_mb: rssMb,
        config: `one worker process, concurrency ${concurrency}; timed from process launch to n-th completed event; `
          + `steady ${steady}/s after first task; rss = VmHWM MiB; ${JOB_CONFIG}`,
      };
    } finally {
      await worker.stop();
    }
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Sends `count` jobs at `rate`/s, on a fixed schedule so one slow add does not shift every later send.
async function sendAtRate(queue, count, rate, firstIndex) {
  const intervalNs = BigInt(Math.round(1e9 / rate));
  const started = nowNs();
  const pending = [];
  for (let k = 0; k < count; k++) {
    const due = started + BigInt(k) * intervalNs;
    const aheadMs = Number(due - nowNs()) / 1e6;
    if (aheadMs > 0) await sleep(aheadMs);
    pending.push(queue.add('noop', stampedData(firstIndex + k)));
  }
  await Promise.all(pending);
}

async function latency(rate, seconds) {
  const count = Math.round(rate * seconds);
  return withQueue(async (queue) => {
    const worker = launchWorker('latency', count);
    try {
      await worker.next('READY');
      const warmup = Math.round(rate); // one second at the same rate, excluded from the figures
      log(`latency: warm-up ${warmup} tasks, then ${count} tasks at ${rate}/s`);
      await sendAtRate(queue, warmup, rate, -warmup);
      await sendAtRate(queue, count, rate, 0);
      const done = JSON.parse(await worker.next('DONE'));
      const sorted = done.latencies_ms.sort((a, b) => a - b);
      return {
        workload: 'latency', n: sorted.length,
        p50_ms: round(percentile(sorted, 0.5), 3), p99_ms: round(percentile(sorted, 0.99), 3),
        max_ms: round(sorted[sorted.length - 1], 3),
        config: `idle worker, concurrency ${concurrency}; ${rate}/s for ${seconds} s after ${warmup} warm-up tasks; `
          + `enqueue stamp (CLOCK_MONOTONIC) taken just before Queue.add, compared at handler start; ${JOB_CONFIG}`,
      };
    } finally {
      await worker.stop();
    }
  });
}

async function coldStart(runs) {
  return withQueue(async (queue) => {
    const samples = [];
    for (let run = 0; run < runs; run++) {
      await queue.add('noop', jobData(0));
      const worker = launchWorker('cold-start', 1);
      try {
        const done = JSON.parse(await worker.next('DONE'));
        const ms = Number(BigInt(done.done_ns) - worker.launchedNs) / 1e6;
        samples.push(ms);
        log(`cold-start: run ${run + 1}/${runs}: ${round(ms, 1)} ms`);
      } finally {
        await worker.stop();
      }
    }
    return {
      workload: 'cold-start', n: runs, cold_start_ms: round(median(samples), 1),
      config: `median of ${runs}: launch of 'node worker.mjs' to first completed event, one task already queued; `
        + `samples ms ${samples.map((s) => round(s, 1)).join('/')}`,
    };
  });
}

async function run(workload) {
  const n = args.n ? Number(args.n) : DEFAULT_N[workload];
  switch (workload) {
    case 'enqueue-single': return enqueueSingle(n);
    case 'enqueue-batch': return enqueueBatch(n);
    case 'drain': return drain(n);
    case 'latency': return latency(Number(args.rate), Number(args.seconds));
    case 'cold-start': return coldStart(Number(args.runs));
    default: throw new Error(`unknown workload '${workload}' (expected one of ${WORKLOADS.join(', ')} or all)`);
  }
}

const selected = args.workload === 'all' ? WORKLOADS : [args.workload];
for (const workload of selected) emit(await run(workload));
