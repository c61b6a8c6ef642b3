// A bounded slow-body load against a running `densekit serve`: N clients send their headers and then
// trickle the body one byte a second (the slow-loris pattern), while one client keeps searching.
// Reports how many searches were answered and how fast, and when and how the slow clients were cut off.
//   node scripts/slow-body-load.mjs http://127.0.0.1:8080 [--slow 64] [--seconds 20]
// Stops by itself after --seconds (plus at most 30 s waiting for the slow clients to be cut off).
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

const [url, ...rest] = process.argv.slice(2);
if (!url) {
  console.error('usage: node scripts/slow-body-load.mjs URL [--slow N] [--seconds S]');
  process.exit(2);
}
const arg = (name, fallback) => {
  const i = rest.indexOf(name);
  return i >= 0 ? Number(rest[i + 1]) : fallback;
};
const slow = arg('--slow', 64);
const seconds = arg('--seconds', 20);
const { hostname, port } = new URL(url);

const body = JSON.stringify({ query: 'slow client '.repeat(10), k: 3 });
const slowEndings = [];
const started = performance.now();
const sockets = [];
for (let i = 0; i < slow; i++) {
  const socket = connect(Number(port), hostname);
  sockets.push(socket);
  let reply = '';
  let sent = 0;
  let timer;
  socket.setEncoding('utf8');
  socket.on('connect', () => {
    socket.write(`POST /search HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`);
    timer = setInterval(() => {
      if (sent < body.length && socket.writable) socket.write(body[sent++]);
    }, 1000);
  });
  socket.on('data', (chunk) => (reply += chunk));
  socket.on('error', () => {});
  slowEndings.push(
    new Promise((resolve) =>
      socket.on('close', () => {
        clearInterval(timer);
        resolve({ status: reply.split('\r\n')[0] || '(closed without a reply)', afterMs: performance.now() - started });
      }),
    ),
  );
}
await sleep(500);

// One client searching back to back while the slow bodies hold their connections.
const latencies = [];
const statuses = new Map();
const deadline = performance.now() + seconds * 1000;
for (let i = 0; performance.now() < deadline; i++) {
  const t = performance.now();
  const res = await fetch(`${url}/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `vitamin deficiency ${i}`, k: 10 }) });
  await res.arrayBuffer();
  latencies.push(performance.now() - t);
  statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
}
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(1);

const endings = await Promise.race([Promise.all(slowEndings), sleep(30_000).then(() => undefined)]);
for (const s of sockets) s.destroy();
console.log(`slow clients: ${slow}, each trickling a ${Buffer.byteLength(body)}-byte body at 1 byte/s`);
console.log(`searches while they were connected: ${latencies.length} in ${seconds} s, status ${JSON.stringify(Object.fromEntries(statuses))}, latency p50 ${pct(50)} ms, p95 ${pct(95)} ms, max ${latencies.at(-1).toFixed(1)} ms`);
if (!endings) console.log('slow clients: still connected 30 s after the searches ended');
else {
  const byStatus = new Map();
  for (const e of endings) byStatus.set(e.status, (byStatus.get(e.status) ?? 0) + 1);
  const times = endings.map((e) => e.afterMs / 1000).sort((a, b) => a - b);
  console.log(`slow clients cut off: ${JSON.stringify(Object.fromEntries(byStatus))}, between ${times[0].toFixed(1)} s and ${times.at(-1).toFixed(1)} s after connecting`);
}
