// The page's glue: the code phrase, the signaling room, the PAKE and its binding to the DTLS fingerprints, the
// WebRTC peer connection, the stripe set-up on its channel, and the buttons. Same messages as rtcat's Handshake,
// PakeAuthenticator and Stripes; transfer.js then runs the file protocol on the channel.
'use strict';

(() => {
  const { PakeSession, PakeError, bindingMac, checkBinding } = rtcatCrypto;
  const CONNECT_TIMEOUT = 120000;

  // ---- the code phrase (CodePhrase.java; WebPageConstantsTest keeps the list equal) ----
  const WORDS = [
  'acorn', 'almond', 'amber', 'anchor', 'apple', 'apricot', 'archer', 'arrow', 'aspen', 'atlas', 'avocado',
  'badger', 'bagel', 'bamboo', 'banana', 'banjo', 'barrel', 'basket', 'beaver', 'biscuit', 'bison',
  'blanket', 'bonfire', 'bottle', 'bramble', 'bronze', 'bubble', 'bucket', 'bugle', 'butter', 'button',
  'cabin', 'cactus', 'camel', 'camera', 'candle', 'canoe', 'canyon', 'captain', 'carpet', 'cashew', 'castle',
  'cello', 'cherry', 'chess', 'circus', 'clover', 'cobalt', 'cobra', 'coconut', 'comet', 'compass', 'cookie',
  'copper', 'cotton', 'cowboy', 'coyote', 'crayon', 'cricket', 'crimson', 'crossbow', 'crystal', 'cushion',
  'daisy', 'denim', 'dolphin', 'domino', 'donkey', 'dragon', 'drum', 'eagle', 'easel', 'echo', 'eclipse',
  'elbow', 'ember', 'emerald', 'engine', 'falcon', 'ferret', 'fiddle', 'flamingo', 'flute', 'forest',
  'fossil', 'fountain', 'fox', 'galaxy', 'garden', 'garlic', 'gecko', 'giant', 'gibbon', 'ginger', 'glacier',
  'goblin', 'granite', 'grape', 'guitar', 'hammer', 'hamster', 'harbor', 'harp', 'hazel', 'helmet', 'heron',
  'hippo', 'hockey', 'honey', 'horizon', 'hornet', 'husky', 'iceberg', 'igloo', 'indigo', 'island', 'ivory',
  'jackal', 'jacket', 'jasmine', 'jelly', 'jester', 'jigsaw', 'jungle', 'kangaroo', 'karate', 'kayak',
  'kettle', 'kitten', 'kiwi', 'koala', 'ladder', 'lagoon', 'lantern', 'lemon', 'lemur', 'lobster', 'lotus',
  'magnet', 'magpie', 'mango', 'maple', 'marble', 'marmot', 'meadow', 'melon', 'meteor', 'mitten', 'monsoon',
  'muffin', 'museum', 'napkin', 'nebula', 'needle', 'noodle', 'nutmeg', 'oasis', 'ocean', 'octopus', 'olive',
  'onion', 'orbit', 'orchid', 'otter', 'owl', 'oyster', 'paddle', 'palace', 'panda', 'parade', 'parrot',
  'peanut', 'pebble', 'pelican', 'pencil', 'penguin', 'pepper', 'piano', 'pickle', 'pillow', 'pilot',
  'pirate', 'planet', 'pocket', 'potato', 'prairie', 'pretzel', 'puffin', 'pumpkin', 'puppy', 'puzzle',
  'quartz', 'quilt', 'rabbit', 'radish', 'rainbow', 'raven', 'ribbon', 'robot', 'rocket', 'rugby', 'saddle',
  'salmon', 'scarlet', 'shark', 'sheriff', 'shovel', 'silver', 'sloth', 'snowman', 'spider', 'spoon',
  'squid', 'stapler', 'sunset', 'sweater', 'tablet', 'teapot', 'temple', 'tennis', 'thunder', 'ticket',
  'tiger', 'toast', 'tomato', 'tornado', 'toucan', 'tractor', 'trumpet', 'tuba', 'tulip', 'tundra', 'tunnel',
  'turnip', 'turtle', 'unicorn', 'valley', 'velvet', 'viking', 'violet', 'violin', 'volcano', 'waffle',
  'wagon', 'wallet', 'walnut', 'walrus', 'wasp', 'weasel', 'whistle', 'willow', 'wizard', 'wombat', 'yogurt',
  'zebra', 'zipper'];

  function parseCode(text) {
    const parts = String(text || '').trim().toLowerCase().split(/[-_\s]+/);
    if (!/^[0-9]{1,6}$/.test(parts[0]) || +parts[0] < 1) {
      throw new Error('invalid code: it must start with a number from 1 to 999999, e.g. 7-crossbow-orbit');
    }
    const words = parts.slice(1);
    if (words.length < 2 || words.length > 16 || !words.every((w) => /^[a-z]{2,32}$/.test(w))) {
      throw new Error('invalid code: expected NUMBER-WORD-WORD, e.g. 7-crossbow-orbit');
    }
    const nameplate = String(+parts[0]);
    return { nameplate, secret: nameplate + '-' + words.join('-') };
  }

  function randomCode() {
    const r = new Uint32Array(3);
    crypto.getRandomValues(r);
    return (1 + (r[0] % 999)) + '-' + WORDS[r[1] % WORDS.length] + '-' + WORDS[r[2] % WORDS.length];
  }

  // ---- the page ----
  const $ = (id) => document.getElementById(id);
  const body = document.body;

  function setState(state, text) {
    body.dataset.state = state;
    if (text) $('status').textContent = text;
  }

  function log(text) {
    const line = document.createElement('div');
    line.textContent = text;
    $('log').appendChild(line);
  }

  const mib = (n) => (n / 1048576).toFixed(2) + ' MiB';

  const ui = {
    log,
    offered(files, total) { log(files.length + (files.length === 1 ? ' file' : ' files') + ' offered, ' + mib(total)); },
    started(name, size) { log((body.dataset.mode === 'send' ? 'sending ' : 'receiving ') + name + ' (' + mib(size) + ')'); },
    hashing(name, at, size) { $('status').textContent = 'checksumming ' + name + ' ' + Math.floor(100 * at / Math.max(1, size)) + '%'; },
    progress(done, total) {
      $('progress').value = total ? done / total : 1;
      $('status').textContent = mib(done) + ' of ' + mib(total);
    },
    file(name, blob, sha256) {
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = name.split('/').join('_');
      a.textContent = 'save ' + name + ' (' + mib(blob.size) + ')';
      a.className = 'received';
      a.dataset.name = name;
      a.dataset.sha256 = sha256;
      a.dataset.size = String(blob.size);
      $('files').appendChild(a);
      a.click(); // starts the download; the link stays for saving again
      log('received ' + name + ', SHA-256 ' + sha256 + ' (verified)');
    },
    sent(name, sha256) { log('sent ' + name + ', SHA-256 ' + sha256 + ' (confirmed by the receiver)'); },
  };

  // ---- signaling + PAKE + WebRTC: one attempt ----

  /**
   * Meets the other side in the code's room and returns an authenticated, open data channel.
   * role: 'offerer' (this page sends) or 'answerer' (this page receives).
   */
  function connect(code, role) {
    return new Promise((resolve, reject) => {
      const pakeRole = role === 'offerer' ? 'rtcat-sender' : 'rtcat-receiver';
      const peerRole = role === 'offerer' ? 'answerer' : 'offerer';
      const userId = (role === 'offerer' ? 'browser-send-' : 'browser-receive-') + Math.random().toString(16).slice(2, 10);
      const pake = new PakeSession(code.secret, pakeRole);
      const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + location.pathname.replace(/[^/]*$/, '') + location.search;
      const ws = new WebSocket(url);
      let peer = null, round1 = null, nextRound = 1, key = null;
      let pc = null, channel = null, offerSdp = null, answerSdp = null, peerMac = null, verified = false, open = false;
      let described = false;
      // STUN/TURN servers the signaling server hands out on join (rtcat signal --turn-secret-file), if any.
      let iceServers = [];
      const localCandidates = [], remoteCandidates = [];
      let finished = false;

      const fail = (error) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        try { ws.close(); } catch (ignored) { /* */ }
        if (pc) pc.close();
        reject(error);
      };
      const timer = setTimeout(() => fail(new Error(peer ? 'timed out connecting to the peer'
        : 'nobody with this code came within ' + CONNECT_TIMEOUT / 1000 + ' s')), CONNECT_TIMEOUT);
      const signal = (m, target) => {
        if (target) m.target = target;
        if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(m));
      };
      const sendRound = (n, fields, target) => signal({ type: 'pake', step: String(n), payload: fields }, target);
      const maybeDone = () => {
        if (verified && open && !finished) {
          finished = true;
          clearTimeout(timer);
          log('connected; the peer proved it knows the code');
          resolve({ channel, pc, ws });
        }
      };
      const checkBind = () => {
        if (peerMac == null || answerSdp == null || verified) return;
        if (checkBinding(key, peerRole, offerSdp, answerSdp, peerMac)) {
          verified = true;
          maybeDone();
        } else {
          fail(new Error("the peer's DTLS fingerprint does not match the code phrase: someone between you "
            + '(possibly the signaling server) tampered with the connection; aborted'));
        }
      };
      const applied = () => {
        signal({ type: 'bind', mac: bindingMac(key, role, offerSdp, answerSdp) }, peer);
        checkBind();
      };
      const sendCandidate = (c) => signal({ type: 'ice-candidate', candidate: c }, peer);

      const newPeerConnection = () => {
        pc = new RTCPeerConnection({ iceServers });
        pc.onicecandidate = (e) => {
          if (!e.candidate || !e.candidate.candidate) return;
          const c = e.candidate.toJSON();
          if (described) sendCandidate(c); else localCandidates.push(c);
        };
        pc.onconnectionstatechange = () => {
          log('connection: ' + pc.connectionState);
          if (pc.connectionState === 'failed') fail(new Error('ICE failed: no candidate pair worked'));
        };
      };
      const useChannel = (ch) => {
        channel = ch;
        channel.binaryType = 'arraybuffer';
        // Messages may come before the binding is checked: the transfer's inbox picks them up from here.
        channel.early = [];
        channel.onmessage = (e) => channel.early.push(e.data);
        const opened = () => { open = true; maybeDone(); };
        if (channel.readyState === 'open') opened(); else channel.onopen = opened;
      };
      const answerSent = () => {
        described = true;
        localCandidates.splice(0).forEach(sendCandidate);
        remoteCandidates.splice(0).forEach((c) => pc.addIceCandidate(c).catch(() => {}));
      };

      const offer = async () => {
        newPeerConnection();
        useChannel(pc.createDataChannel('rtcat'));
        const o = await pc.createOffer();
        await pc.setLocalDescription(o);
        offerSdp = o.sdp;
        signal({ type: 'offer', sdp: { type: 'offer', sdp: o.sdp } }, peer);
        log('offer sent');
        described = true;
        localCandidates.splice(0).forEach(sendCandidate);
      };

      const onOffer = async (m) => {
        if (role !== 'answerer' || pc) return;
        newPeerConnection();
        pc.ondatachannel = (e) => useChannel(e.channel);
        offerSdp = m.sdp.sdp;
        await pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
        const a = await pc.createAnswer();
        await pc.setLocalDescription(a);
        answerSdp = a.sdp;
        signal({ type: 'answer', sdp: { type: 'answer', sdp: a.sdp } }, peer);
        log('answer sent');
        answerSent();
        applied();
      };

      const onAnswer = async (m) => {
        if (role !== 'offerer' || !pc || answerSdp) return;
        answerSdp = m.sdp.sdp;
        await pc.setRemoteDescription({ type: 'answer', sdp: answerSdp });
        remoteCandidates.splice(0).forEach((c) => pc.addIceCandidate(c).catch(() => {}));
        applied();
      };

      const onPake = (m) => {
        if (peer == null) {
          // Anyone in the room can send a round 1: the peer is the first whose round 1 validates.
          if (m.step !== '1' || !m.sender) return;
          try {
            pake.acceptRound1(m.payload || {});
          } catch (e) {
            log('ignored an invalid code check from ' + m.sender);
            return;
          }
          peer = m.sender;
          log('checking the code with ' + peer);
          sendRound(2, pake.round2(), peer);
          nextRound = 2;
          return;
        }
        if (m.sender !== peer || Number(m.step) !== nextRound) return;
        const fields = m.payload || {};
        if (nextRound === 1) {
          pake.acceptRound1(fields);
          sendRound(2, pake.round2(), peer);
        } else if (nextRound === 2) {
          pake.acceptRound2(fields);
          sendRound(3, pake.round3(), peer);
        } else if (nextRound === 3) {
          try {
            key = pake.acceptRound3(fields);
          } catch (e) {
            if (e.mismatch) signal({ type: 'pake-failed' }, peer);
            throw e;
          }
          log('code phrase confirmed');
          if (role === 'offerer') offer().catch(fail);
        }
        nextRound++;
      };

      const handle = (m) => {
        switch (m.type) {
          case 'joined':
            if (Array.isArray(m.iceServers)) iceServers = m.iceServers;
            log('joined room ' + code.nameplate + ' as ' + userId + '; waiting for the other side'
              + (iceServers.length ? ' (TURN from the server: ' + iceServers.map((s) => s.urls).join(' ') + ')' : ''));
            setState('waiting', 'waiting for the other side');
            round1 = pake.round1();
            sendRound(1, round1);
            return;
          case 'user-joined':
            if (peer == null && round1) sendRound(1, round1, m.userId);
            return;
          case 'user-left':
            if (m.userId && m.userId === peer) fail(new Error('the peer left before the connection was established'));
            return;
          case 'error':
            fail(new Error('signaling server refused: ' + m.message + (m.code ? ' (' + m.code + ')' : '')));
            return;
          case 'pake':
            onPake(m);
            return;
          case 'pake-failed':
            if (peer != null && m.sender === peer) {
              fail(new PakeError('code phrase mismatch: the PAKE failed (wrong code or interference)', true));
            }
            return;
          default:
        }
        if (!key || m.sender !== peer) return; // before the PAKE nothing else is trusted
        switch (m.type) {
          case 'offer': onOffer(m).catch(fail); break;
          case 'answer': onAnswer(m).catch(fail); break;
          case 'ice-candidate': {
            const c = typeof m.candidate === 'string' ? { candidate: m.candidate, sdpMid: '0' } : m.candidate;
            if (!c || !c.candidate) break;
            if (pc && pc.remoteDescription) pc.addIceCandidate(c).catch(() => {}); else remoteCandidates.push(c);
            break;
          }
          case 'bind': peerMac = m.mac; if (key) checkBind(); break;
          default:
        }
      };

      ws.onopen = () => {
        log('signaling server reached');
        ws.send(JSON.stringify({ type: 'join', room: code.nameplate, userId }));
      };
      ws.onmessage = (e) => {
        if (finished) return;
        let m;
        try { m = JSON.parse(e.data); } catch (x) { return; }
        try { handle(m); } catch (x) { fail(x); }
      };
      ws.onclose = (e) => fail(new Error('the signaling connection closed (' + e.code + (e.reason ? ' ' + e.reason : '') + ')'));
      ws.onerror = () => {};
    });
  }

  // ---- stripes (Stripes.java): the set-up that precedes the transfer on the channel ----

  /**
   * Does this page's part of the stripe set-up, then the channel is the transfer's. A page uses one connection:
   * sending, it announces one stream; receiving, it declines extra connections (`stripes-unsupported`, so that the
   * sender goes on with one at once) and waits for the sender to abandon them. Returns whether the sender
   * announced itself (it then waits for the receiver's hello); a sender that does not is left its first message.
   */
  async function stripeStep(channel, inbox, mode) {
    const { sendJson, TransferError, FIRST_TIMEOUT } = rtcatTransfer;
    if (mode === 'send') {
      sendJson(channel, { type: 'stripes', count: 1, reason: 'browser page: one stream' });
      return true;
    }
    let m = await inbox.nextText(FIRST_TIMEOUT, 'before the sender started');
    if (m.type !== 'stripes') {
      inbox.putBack(m);
      return false;
    }
    if ((m.count || 1) > 1) {
      sendJson(channel, { type: 'stripes-unsupported', why: 'a browser page uses one connection' });
      log('the sender asked for ' + m.count + ' connections; using one');
      do { // its offers and candidates for the extra connections, until it gives them up
        m = await inbox.nextText(60000, 'while the sender set up its connections');
      } while (m.type !== 'stripes-abandon' && m.type !== 'stripes-ready');
      if (m.type === 'stripes-ready') throw new TransferError('the sender striped the transfer anyway');
    }
    return true;
  }

  async function run(mode) {
    body.dataset.mode = mode;
    $('files').textContent = '';
    let code;
    try {
      code = parseCode($('code').value);
    } catch (e) {
      setState('failed', e.message);
      return;
    }
    const files = mode === 'send' ? Array.from($('file').files) : [];
    if (mode === 'send' && !files.length) {
      setState('failed', 'choose a file to send first');
      return;
    }
    $('receive').disabled = $('send').disabled = true;
    setState('connecting', 'connecting');
    let link = null, inbox = null;
    // Closing or leaving the page mid-transfer: tell the rtcat peer, so it stops now instead of at a timeout.
    const onLeave = () => {
      if (link) rtcatTransfer.cancel(link.channel, mode === 'send' ? 'sender' : 'receiver', 'the page was closed');
    };
    window.addEventListener('pagehide', onLeave);
    try {
      link = await connect(code, mode === 'send' ? 'offerer' : 'answerer');
      inbox = new rtcatTransfer.Inbox(link.channel);
      link.channel.early.forEach((d) => inbox.push(d));
      setState('transferring', 'transferring');
      const t0 = performance.now();
      const announced = await stripeStep(link.channel, inbox, mode);
      const r = mode === 'send' ? await rtcatTransfer.send(link.channel, inbox, files, ui)
        : await rtcatTransfer.receive(link.channel, inbox, ui, announced);
      const seconds = (performance.now() - t0) / 1000;
      setState('done', (mode === 'send' ? 'sent ' : 'received ') + r.files + (r.files === 1 ? ' file, ' : ' files, ')
        + mib(r.bytes) + ' in ' + seconds.toFixed(2) + ' s');
    } catch (e) {
      if (link) rtcatTransfer.tellPeer(link.channel, e);
      setState('failed', 'failed: ' + e.message);
      log('error: ' + e.message);
    } finally {
      window.removeEventListener('pagehide', onLeave);
      if (link) {
        setTimeout(() => { link.pc.close(); link.ws.close(); }, 500);
      }
    }
  }

  $('receive').addEventListener('click', () => run('receive'));
  $('send').addEventListener('click', () => run('send'));
  $('new-code').addEventListener('click', () => {
    $('code').value = randomCode();
    showReceiveCommand();
  });
  const showReceiveCommand = () => {
    const server = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/';
    $('command').textContent = 'rtcat receive ' + ($('code').value.trim() || 'CODE') + ' --signal ' + server;
  };
  $('code').addEventListener('input', showReceiveCommand);
  const fromLink = decodeURIComponent(location.hash.replace(/^#/, ''));
  if (fromLink) $('code').value = fromLink;
  showReceiveCommand();
  setState('idle', fromLink ? 'press Receive to fetch the file' : 'enter the code, or make one to send');
})();
