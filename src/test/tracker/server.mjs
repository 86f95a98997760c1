// The reference WebTorrent tracker (npm bittorrent-tracker, WebSocket server only) for rtcat's tests.
//   node server.mjs HOST PORT [--drop-answers] [--flip-fingerprints]
// Prints "listening HOST:PORT" once it accepts connections. The flags make it a hostile tracker: it drops every
// answer, or alters the DTLS fingerprint in every offer and answer it relays (as an operator might).
import Server from 'bittorrent-tracker/server'

const [host, portText, ...flags] = process.argv.slice(2)
const dropAnswers = flags.includes('--drop-answers')
const flipFingerprints = flags.includes('--flip-fingerprints')
const server = new Server({ udp: false, http: false, ws: true, stats: false })

const onRequest = server._onWebSocketRequest.bind(server)
server._onWebSocketRequest = (socket, opts, text) => {
  let params = null
  try { params = JSON.parse(text) } catch { /* the server answers garbage itself */ }
  if (params && dropAnswers && params.answer) return
  if (params && flipFingerprints) {
    const flip = d => { if (d && typeof d.sdp === 'string') d.sdp = d.sdp.replace(/(a=fingerprint:sha-256 )([0-9A-F])/g, (m, a, c) => a + (c === 'A' ? 'B' : 'A')) }
    if (Array.isArray(params.offers)) params.offers.forEach(o => flip(o.offer))
    flip(params.answer)
    text = JSON.stringify(params)
  }
  onRequest(socket, opts, text)
}
server.on('error', err => { console.error('tracker error: ' + err.message); process.exit(1) })
server.on('warning', err => console.error('tracker warning: ' + err.message))
server.on('listening', () => {
  const a = server.ws.address()
  console.log(`listening ${a.address}:${a.port}`)
})
server.listen(Number(portText), host)
process.on('SIGTERM', () => server.close(() => process.exit(0)))
