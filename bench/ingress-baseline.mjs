// Bare baseline for webhook ingress: verify PagerDuty v3 HMAC over the raw body, produce to Kafka
// with acks=-1 (idempotent), answer 202 only after the broker acked. MODE=single|batch.
// Copied from the product's shared bench folder (../shared/bench/ingress-baseline.mjs); the only
// change: BROKERS (comma-separated, default 127.0.0.1:9092) so `npm run bench` can point it at
// its own Kafka.
import http from 'node:http';
import crypto from 'node:crypto';
import { Kafka, logLevel, Partitioners, CompressionTypes } from 'kafkajs';

const SECRET = process.env.SECRET ?? 'whsec_test';
const MODE = process.env.MODE ?? 'single';
const LINGER = Number(process.env.LINGER_MS ?? 2);
const topic = process.env.TOPIC ?? 'bench.webhooks.v1';
const kafka = new Kafka({ clientId: 'baseline', brokers: (process.env.BROKERS ?? '127.0.0.1:9092').split(','), logLevel: logLevel.NOTHING });
const admin = kafka.admin(); await admin.connect();
await admin.createTopics({ topics: [{ topic, numPartitions: 6, replicationFactor: 1 }], waitForLeaders: true }).catch(() => {});
await admin.disconnect();
const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
await producer.connect();

let queue = [], timer = null;
function flush() {
  timer = null; const batch = queue; queue = [];
  producer.send({ topic, acks: -1, messages: batch.map((b) => b.msg) })
    .then(() => batch.forEach((b) => b.ok()), (e) => batch.forEach((b) => b.fail(e)));
}
function produce(msg) {
  if (MODE === 'single') return producer.send({ topic, acks: -1, messages: [msg] });
  return new Promise((ok, fail) => { queue.push({ msg, ok, fail }); if (!timer) timer = setTimeout(flush, LINGER); });
}

function verify(raw, header) {
  if (!header) return false;
  const mac = crypto.createHmac('sha256', SECRET).update(raw).digest();
  for (const part of header.split(',')) {
    const [v, hex] = part.trim().split('=');
    if (v !== 'v1' || !hex || hex.length !== 64) continue;
    const sig = Buffer.from(hex, 'hex');
    if (sig.length === mac.length && crypto.timingSafeEqual(sig, mac)) return true;
  }
  return false;
}

http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks);
    if (!verify(raw, req.headers['x-pagerduty-signature'])) { res.writeHead(401).end(); return; }
    let ev; try { ev = JSON.parse(raw); } catch { res.writeHead(400).end(); return; }
    const key = ev?.event?.data?.id ?? 'none';
    produce({ key, value: raw, headers: { 'webhook-id': String(req.headers['x-webhook-id'] ?? '') } })
      .then(() => res.writeHead(202).end(), () => res.writeHead(503).end());
  });
}).listen(Number(process.env.PORT ?? 18500), '127.0.0.1', () => console.log('baseline ready', MODE));
