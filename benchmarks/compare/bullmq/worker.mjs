// One BullMQ worker process, launched by bench.mjs so that its RSS and start-up time are its own.
//
// Protocol with the orchestrator (one line each on stdout):
//   READY <monotonic ns>           the worker is connected and waiting for jobs
//   DONE <json>                    the n-th counted job has completed; json = { done_ns, first_done_ns, latencies_ms? }
// The worker then keeps running (so the orchestrator can read /proc/<pid>/status) until its stdin closes.
//
// Times are process.hrtime.bigint(), i.e. CLOCK_MONOTONIC, which is one clock for every process on the machine:
// the orchestrator's launch stamp and the producer's enqueue stamp are directly comparable with ours.
import { Worker } from 'bullmq';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    redis: { type: 'string', default: '127.0.0.1:6379' },
    queue: { type: 'string', default: 'compare' },
    mode: { type: 'string', default: 'drain' }, // drain | latency | cold-start
    n: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '50' },
  },
});

const [host, port] = args.redis.split(':');
const expected = Number(args.n);
const measureLatency = args.mode === 'latency';
const latenciesMs = [];
let counted = 0;
let firstDoneNs = null;

const worker = new Worker(
  args.queue,
  async (job) => {
    // Pickup latency is taken at the start of the handler: that is when user code would begin to run.
    if (measureLatency && job.data.i >= 0) {
      const startedNs = process.hrtime.bigint();
      const payload = job.data.payload;
      const stampNs = BigInt(payload.slice(0, payload.indexOf('|')));
      latenciesMs.push(Number(startedNs - stampNs) / 1e6);
    }
  },
  {
    connection: { host, port: Number(port) },
    concurrency: Number(args.concurrency),
  },
);

// 'completed' fires after the job has been moved to completed (here: removed) in Redis, i.e. it is really done.
worker.on('completed', (job) => {
  if (job.data.i < 0) return; // warm-up jobs of the latency workload
  counted++;
  const now = process.hrtime.bigint();
  if (firstDoneNs === null) firstDoneNs = now;
  if (counted === expected) {
    const report = { done_ns: now.toString(), first_done_ns: firstDoneNs.toString() };
    if (measureLatency) report.latencies_ms = latenciesMs;
    process.stdout.write(`DONE ${JSON.stringify(report)}\n`);
  }
});

worker.on('failed', (job, err) => process.stderr.write(`worker: job ${job?.id} failed: ${err?.message}\n`));
worker.on('error', (err) => process.stderr.write(`worker: ${err?.message}\n`));

let closing = false;
async function shutdown() {
  if (closing) return;
  closing = true;
  await worker.close();
  process.exit(0);
}
process.stdin.on('end', shutdown);
process.stdin.on('close', shutdown);
process.stdin.resume();
process.on('SIGTERM', shutdown);

await worker.waitUntilReady();
process.stdout.write(`READY ${process.hrtime.bigint()}\n`);
