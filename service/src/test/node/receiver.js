// A webhook receiver for tests, independent of the Java code: it checks X-Trunkline-Signature with Node's own
// crypto, answers 204 (valid) or 401 (invalid), and prints one JSON line per request on stdout.
// Env: SECRET (required), PORT (default 0 = any free port), TOLERANCE seconds (default 300).
// The first line printed is {"listening":<port>}.
'use strict';
const http = require('http');
const crypto = require('crypto');

const secret = process.env.SECRET;
if (!secret) { console.error('SECRET is required'); process.exit(2); }
const tolerance = Number(process.env.TOLERANCE || 300);

function verify(header, raw) {
  if (!header) return false;
  const parts = header.split(',').map((p) => p.trim());
  const t = parts.find((p) => p.startsWith('t='));
  if (!t || !/^t=\d+$/.test(t)) return false;
  const ts = Number(t.slice(2));
  if (Math.abs(Date.now() / 1000 - ts) > tolerance) return false;
  const expected = crypto.createHmac('sha256', secret)
    .update(Buffer.concat([Buffer.from(ts + '.'), raw])).digest('hex');
  return parts.filter((p) => p.startsWith('v1=')).some((p) => {
    const got = Buffer.from(p.slice(3));
    return got.length === expected.length && crypto.timingSafeEqual(got, Buffer.from(expected));
  });
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks); // the raw bytes: re-serialising parsed JSON would break the MAC
    const ok = verify(req.headers['x-trunkline-signature'], raw);
    let body = {};
    try { body = JSON.parse(raw.toString('utf8')); } catch (e) { /* logged as nulls */ }
    process.stdout.write(JSON.stringify({
      call_id: req.headers['x-trunkline-call-id'] || null,
      seq: Number(req.headers['x-trunkline-sequence']),
      event: body.event === undefined ? null : body.event,
      sequence_number: body.sequence_number === undefined ? null : body.sequence_number,
      signature_ok: ok,
    }) + '\n');
    res.writeHead(ok ? 204 : 401);
    res.end();
  });
});
server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ listening: server.address().port }) + '\n');
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
