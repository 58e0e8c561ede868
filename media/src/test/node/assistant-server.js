'use strict';
// A Media Streams assistant for the bridge tests, on the ws library (an implementation independent of Netty).
// It echoes the callee's audio back as its own speech, sends a mark and a clear at set points, and reports
// every message it gets as one JSON line on stdout for the Java test to assert on.
//
// Options: --port N (0: any; the chosen port is reported), --pfx FILE --passphrase PW (serve wss),
//   --mark-after N, --clear-after N (media messages received before sending them; 0: never),
//   --rechunk BYTES (echo in chunks of this size instead of message by message),
//   --garbage (open with malformed messages), --close-after N --close-code C (close the socket after N media),
//   --stall (stop reading from the socket once connected: a wedged assistant),
//   --sink (only count media, reported with stop: a fast reader for load-like tests).
const fs = require('fs');
const http = require('http');
const https = require('https');
const { WebSocketServer } = require('ws');

const opts = { port: 0, markAfter: 0, clearAfter: 0, rechunk: 0, garbage: false, closeAfter: 0, closeCode: 4000, stall: false, sink: false };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const next = () => argv[++i];
  switch (a) {
    case '--port': opts.port = Number(next()); break;
    case '--pfx': opts.pfx = next(); break;
    case '--passphrase': opts.passphrase = next(); break;
    case '--mark-after': opts.markAfter = Number(next()); break;
    case '--clear-after': opts.clearAfter = Number(next()); break;
    case '--rechunk': opts.rechunk = Number(next()); break;
    case '--garbage': opts.garbage = true; break;
    case '--stall': opts.stall = true; break;
    case '--sink': opts.sink = true; break;
    case '--close-after': opts.closeAfter = Number(next()); break;
    case '--close-code': opts.closeCode = Number(next()); break;
    default: throw new Error('unknown option ' + a);
  }
}

const report = (o) => process.stdout.write(JSON.stringify(o) + '\n');

const server = opts.pfx
  ? https.createServer({ pfx: fs.readFileSync(opts.pfx), passphrase: opts.passphrase })
  : http.createServer();
const wss = new WebSocketServer({ server });

wss.on('connection', (ws, req) => {
  report({ type: 'connection', url: req.url, authorization: req.headers['authorization'] || null });
  let streamSid = null;
  let media = 0;
  let pending = Buffer.alloc(0);
  const send = (o) => ws.send(JSON.stringify(o));

  if (opts.stall) { ws._socket.pause(); report({ type: 'stalled' }); return; }
  if (opts.garbage) {
    ws.send('{"event":"media", this is not json');
    send({ event: 'media', streamSid: 'x', media: { payload: '%%%not base64%%%' } });
    send({ event: 'transcript', streamSid: 'x', text: 'unknown to Media Streams' });
    ws.send(Buffer.from([1, 2, 3]));
    report({ type: 'sent', event: 'garbage' });
  }

  ws.on('message', (data, isBinary) => {
    if (isBinary) { report({ type: 'binary', bytes: data.length }); return; }
    let msg;
    try { msg = JSON.parse(data.toString('utf8')); } catch (e) { report({ type: 'unparsable', text: data.toString('utf8') }); return; }
    if (msg.event !== 'media') { report({ type: 'recv', msg, mediaCount: media }); }
    if (msg.event === 'start') streamSid = msg.streamSid;
    if (msg.event !== 'media') return;

    media++;
    if (opts.sink) return;
    report({ type: 'media', sequenceNumber: msg.sequenceNumber, streamSid: msg.streamSid, track: msg.media.track,
             chunk: msg.media.chunk, timestamp: msg.media.timestamp, bytes: Buffer.from(msg.media.payload, 'base64').length });
    if (opts.rechunk > 0) {
      pending = Buffer.concat([pending, Buffer.from(msg.media.payload, 'base64')]);
      while (pending.length >= opts.rechunk) {
        send({ event: 'media', streamSid, media: { payload: pending.subarray(0, opts.rechunk).toString('base64') } });
        pending = pending.subarray(opts.rechunk);
      }
    } else {
      send({ event: 'media', streamSid, media: { payload: msg.media.payload } });
    }
    if (media === opts.markAfter) { send({ event: 'mark', streamSid, mark: { name: 'greeting-done "1"' } }); report({ type: 'sent', event: 'mark' }); }
    if (media === opts.clearAfter) { send({ event: 'clear', streamSid }); report({ type: 'sent', event: 'clear' }); }
    if (media === opts.closeAfter) { ws.close(opts.closeCode, 'assistant is done'); report({ type: 'sent', event: 'close' }); }
  });
  ws.on('close', (code, reason) => report({ type: 'close', code, reason: reason.toString('utf8') }));
  ws.on('error', (e) => report({ type: 'error', message: e.message }));
});

server.listen(opts.port, '127.0.0.1', () => report({ type: 'listening', port: server.address().port }));
