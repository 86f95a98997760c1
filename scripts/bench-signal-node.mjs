// The reference signaling relay for scripts/bench-signal: rtcat's protocol (join/joined/user-joined/user-left,
// relay to target or room with "sender" stamped) on Node's `ws`, the most used WebSocket server. It is a yardstick
// for rtcat signal's latency, not a product: no limits, no tokens. Prints {"port":N} once it listens.
// Usage: node scripts/bench-signal-node.mjs [port]   (ws comes from the pinned tracker's node_modules)
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', 'src', 'test', 'tracker', 'package.json'));
const { WebSocketServer } = require('ws');

const rooms = new Map(); // room -> Map(userId -> socket), in join order
const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.argv[2] || 0), perMessageDeflate: false });

const send = (ws, obj) => ws.send(typeof obj === 'string' ? obj : JSON.stringify(obj));
const error = (ws, code, message) => send(ws, { type: 'error', code, message });

function leave(ws) {
  const { room, userId } = ws.member || {};
  if (!room) return;
  ws.member = null;
  const members = rooms.get(room);
  if (!members || members.get(userId) !== ws) return;
  members.delete(userId);
  if (members.size === 0) { rooms.delete(room); return; }
  const note = JSON.stringify({ type: 'user-left', userId });
  for (const other of members.values()) send(other, note);
}

wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => {
    if (isBinary) return error(ws, 'binary-unsupported', 'send json text');
    let msg;
    try { msg = JSON.parse(data.toString()); } catch { return error(ws, 'bad-json', 'malformed json'); }
    if (!msg || typeof msg !== 'object' || Array.isArray(msg)) return error(ws, 'bad-json', 'not an object');
    if (typeof msg.type !== 'string' || !msg.type) return error(ws, 'missing-type', 'no type');
    if (msg.type === 'join') {
      if (ws.member) return error(ws, 'already-joined', 'leave first');
      let members = rooms.get(msg.room);
      if (!members) rooms.set(msg.room, members = new Map());
      if (members.has(msg.userId)) return error(ws, 'user-id-taken', 'taken');
      const note = JSON.stringify({ type: 'user-joined', userId: msg.userId });
      for (const other of members.values()) send(other, note);
      const users = [...members.keys()];
      members.set(msg.userId, ws);
      ws.member = { room: msg.room, userId: msg.userId };
      return send(ws, { type: 'joined', room: msg.room, userId: msg.userId, users, v: 1 });
    }
    if (msg.type === 'leave') return leave(ws);
    if (!ws.member) return error(ws, 'not-joined', 'join first');
    const members = rooms.get(ws.member.room);
    msg.sender = ws.member.userId;
    const out = JSON.stringify(msg);
    if (typeof msg.target === 'string') {
      const dst = members.get(msg.target);
      return dst ? send(dst, out) : error(ws, 'unknown-target', 'no such user');
    }
    for (const other of members.values()) if (other !== ws) send(other, out);
  });
  ws.on('close', () => leave(ws));
});
wss.on('listening', () => console.log(JSON.stringify({ port: wss.address().port })));
wss.on('error', (e) => { console.error('bench-signal-node: ' + e.message); process.exit(69); });
process.on('SIGTERM', () => process.exit(0));
