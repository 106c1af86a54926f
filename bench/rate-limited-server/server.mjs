// An independent rate-limited stand-in for Aha!'s list endpoint, for the export benchmark (docs/benchmarks.md).
//
// Why it exists: the export benchmark's default server is our own sandbox (src/Aha.Sandbox), which the client's
// authors also wrote. This server shares nothing with it or with the client: another runtime (Node.js, no packages),
// another process, its own rate limiter. It enforces Aha!'s documented limits exactly, per source IP:
//   at most --per-second (20) accepted requests in any 1-second interval and --per-minute (300) in any 60-second
//   interval, counted when the request ARRIVES (its headers are parsed), rejected requests not counted;
//   a rejected request gets 429 with Retry-After in whole seconds (rounded up), like Aha!.
// It serves GET {prefix}/features?page=P&per_page=N with N records in total, each page answered from prebuilt bytes
// (so the server's own CPU time per page is small, and the measurement is about the client's pacing), with Aha!'s
// list shape: { "features": [...], "pagination": { "total_records", "total_pages", "current_page" } }.
// With --aha-headers it also sends X-Ratelimit-Limit / -Remaining / -Reset (whole Unix seconds) on every answer.
// With --latency-ms L every accepted page is answered L ms after it arrived (counted), as a real server that takes time
// to build a page would (Aha! itself: hundreds of milliseconds); 429s are answered at once.
//
// Not rate-limited, for the benchmark: GET /_stats (counters and peaks as JSON), POST /_reset (forget every window).
//
//   node bench/rate-limited-server/server.mjs [--port 0] [--host 127.0.0.1] [--records 20000] [--per-second 20]
//        [--per-minute 300] [--prefix /api/v1] [--aha-headers] [--latency-ms 0]
// Prints "listening http://HOST:PORT{prefix}/" on stdout once it accepts connections; stops on SIGTERM/SIGINT.
import http from 'node:http';
import { performance } from 'node:perf_hooks';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const flag = (name) => args.includes(`--${name}`);
const int = (name, fallback, min) => {
  const raw = opt(name, String(fallback));
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    console.error(`--${name} must be an integer >= ${min} (was '${raw}')`);
    process.exit(2);
  }
  return value;
};

const port = int('port', 0, 0);
const host = opt('host', '127.0.0.1');
const records = int('records', 20000, 0);
const perSecond = int('per-second', 20, 1);
const perMinute = int('per-minute', 300, 1);
const prefix = opt('prefix', '/api/v1').replace(/\/+$/, '');
const ahaHeaders = flag('aha-headers');
const latencyMs = Number(opt('latency-ms', '0'));
if (!Number.isFinite(latencyMs) || latencyMs < 0) {
  console.error(`--latency-ms must be a number >= 0 (was '${opt('latency-ms', '0')}')`);
  process.exit(2);
}
const windows = [
  { ms: 1000, limit: perSecond },
  { ms: 60000, limit: perMinute },
];
const longest = 60000;

// ---- data: record i (0-based), newest first as Aha! lists them ---------------------------------------------------
const epoch = Date.UTC(2026, 0, 1);
function feature(i) {
  const n = records - i;
  const id = String(7000000000000000000n + BigInt(n));
  return {
    id,
    reference_num: `BENCH-${n}`,
    name: `Benchmark feature ${n}`,
    created_at: new Date(epoch + n * 60000).toISOString().replace('.000Z', 'Z'),
    url: `https://bench.aha.io/features/BENCH-${n}`,
    resource: `https://bench.aha.io/api/v1/features/BENCH-${n}`,
  };
}

const pageCache = new Map(); // `${page}/${perPage}` -> Buffer
function pageBytes(page, perPage) {
  const key = `${page}/${perPage}`;
  let bytes = pageCache.get(key);
  if (!bytes) {
    const totalPages = Math.max(1, Math.ceil(records / perPage));
    const from = (page - 1) * perPage;
    const to = Math.min(records, from + perPage);
    const features = [];
    for (let i = from; i < to; i++) features.push(feature(i));
    bytes = Buffer.from(JSON.stringify({
      features,
      pagination: { total_records: records, total_pages: totalPages, current_page: page },
    }));
    pageCache.set(key, bytes);
  }
  return bytes;
}
// Prebuild the pages a 200-per-page export asks for, so no page is built while the clock runs.
for (let p = 1; p <= Math.max(1, Math.ceil(records / 200)); p++) pageBytes(p, 200);

// ---- the limiter: an exact sliding log per source IP ------------------------------------------------------------
const logs = new Map(); // ip -> array of arrival times (ms, performance.now()) of accepted requests, oldest first
const stats = { accepted: 0, rejected: 0, peakPerSecond: 0, peakPerMinute: 0, firstArrivalMs: null, lastArrivalMs: null };

function admit(ip, now) {
  let log = logs.get(ip);
  if (!log) logs.set(ip, (log = []));
  let drop = 0;
  while (drop < log.length && log[drop] <= now - longest) drop++;
  if (drop > 0) log.splice(0, drop);
  let waitMs = 0;
  const counts = [];
  for (const w of windows) {
    // accepted requests in (now - w.ms, now]
    let first = log.length;
    while (first > 0 && log[first - 1] > now - w.ms) first--;
    const count = log.length - first;
    counts.push(count);
    if (count >= w.limit) {
      // the place frees when the request `limit` places back leaves the window
      const freeAt = log[log.length - w.limit] + w.ms;
      waitMs = Math.max(waitMs, freeAt - now);
    }
  }
  if (waitMs > 0) {
    stats.rejected++;
    return { ok: false, waitMs, counts };
  }
  log.push(now);
  stats.accepted++;
  stats.peakPerSecond = Math.max(stats.peakPerSecond, counts[0] + 1);
  stats.peakPerMinute = Math.max(stats.peakPerMinute, counts[1] + 1);
  return { ok: true, counts };
}

function rateLimitHeaders(res, counts, now) {
  if (!ahaHeaders) return;
  // Like Aha!: the per-minute budget, in whole Unix seconds for the reset.
  const remaining = Math.max(0, perMinute - counts[1] - 1);
  res.setHeader('X-Ratelimit-Limit', String(perMinute));
  res.setHeader('X-Ratelimit-Remaining', String(remaining));
  res.setHeader('X-Ratelimit-Reset', String(Math.ceil((Date.now() + longest) / 1000)));
}

function json(res, status, body, extra = {}) {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': bytes.length, ...extra });
  res.end(bytes);
}

const server = http.createServer((req, res) => {
  const now = performance.now(); // arrival: the request line and headers have been parsed
  const url = new URL(req.url, 'http://localhost');

  if (url.pathname === '/_stats' && req.method === 'GET') {
    return json(res, 200, { ...stats, records, perSecond, perMinute, latencyMs });
  }
  if (url.pathname === '/_reset' && req.method === 'POST') {
    logs.clear();
    Object.assign(stats, { accepted: 0, rejected: 0, peakPerSecond: 0, peakPerMinute: 0, firstArrivalMs: null, lastArrivalMs: null });
    return json(res, 200, { reset: true });
  }

  const ip = req.socket.remoteAddress ?? 'unknown';
  const verdict = admit(ip, now);
  stats.firstArrivalMs ??= now;
  stats.lastArrivalMs = now;
  if (!verdict.ok) {
    const retryAfter = Math.max(1, Math.ceil(verdict.waitMs / 1000));
    return json(res, 429, { error: 'Rate limit exceeded' }, { 'Retry-After': String(retryAfter) });
  }
  rateLimitHeaders(res, verdict.counts, now);

  if (!/^Bearer \S+/.test(req.headers.authorization ?? '')) {
    return json(res, 401, { error: 'Missing bearer token' });
  }
  if (req.method !== 'GET' || url.pathname !== `${prefix}/features`) {
    return json(res, 404, { error: `No route for ${req.method} ${url.pathname}` });
  }
  const page = Number(url.searchParams.get('page') ?? '1');
  const perPage = Number(url.searchParams.get('per_page') ?? '30');
  if (!Number.isInteger(page) || page < 1 || !Number.isInteger(perPage) || perPage < 1 || perPage > 200) {
    return json(res, 400, { error: 'page must be >= 1 and per_page 1-200' });
  }
  const bytes = pageBytes(page, perPage);
  if (latencyMs > 0) {
    // Measured from arrival, so the time the server itself needed to get here is part of the latency.
    const left = latencyMs - (performance.now() - now);
    if (left > 0) return void setTimeout(() => json(res, 200, bytes), left);
  }
  return json(res, 200, bytes);
});

server.keepAliveTimeout = 120000;
server.headersTimeout = 130000;
server.listen(port, host, () => {
  const address = server.address();
  process.stdout.write(`listening http://${host}:${address.port}${prefix}/\n`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
