// rtcat's file transfer protocol v1 over an RTCDataChannel (see ProtocolCodec.java, BatchSender.java and
// BatchReceiver.java): the receiver says hello with a credit window, the sender lists its files (manifest),
// the receiver accepts (manifest-ack, with what it already holds of each), then each file is file-start,
// binary chunks (acknowledged cumulatively), file-end with its SHA-256, and the receiver's done; the batch
// ends with batch-end and batch-done. Either side may send cancel {by, reason} before it closes on purpose (Ctrl-C
// in rtcat, this page being closed), so the other stops at once.
// The stripe set-up that precedes it on the channel (Stripes.java) is the connection step's, in app.js: as in rtcat,
// the transfer starts on a channel whose set-up is over.
'use strict';

const rtcatTransfer = (() => {
  const { Sha256, hex } = rtcatCrypto;
  // Kept equal to rtcat's by WebPageConstantsTest.
  const PROTOCOL = 1;
  const CHUNK = 64 * 1024;
  const WINDOW = 16 * 1024 * 1024;
  const ACK_INTERVAL = 1024 * 1024;
  const BLOB_PART = 8 * 1024 * 1024;
  const PAGE_BYTES = 60000;
  const READ_BYTES = 1024 * 1024;
  const BUFFERED_HIGH = 4 * 1024 * 1024;
  const FIRST_TIMEOUT = 120000;
  const IDLE_TIMEOUT = 600000;

  class TransferError extends Error {
    constructor(message, code = 'protocol') {
      super(message);
      this.code = code;
    }
  }

  /** Messages from the channel, in order, for code that awaits them one at a time. */
  class Inbox {
    constructor(channel) {
      this.channel = channel;
      this.queue = [];
      this.waiters = [];
      this.closed = false;
      this.acked = 0;
      this.onAck = null;
      channel.binaryType = 'arraybuffer';
      channel.onmessage = (e) => this.push(e.data);
      channel.onclose = () => { this.closed = true; this.wake(); };
      channel.bufferedAmountLowThreshold = BUFFERED_HIGH / 2;
      channel.onbufferedamountlow = () => this.wake();
    }

    push(data) {
      if (typeof data === 'string') {
        let m;
        try { m = JSON.parse(data); } catch (e) { m = { type: '?malformed' }; }
        if (m && m.type === 'ack' && this.onAck) { // credit for a sending page: handled at once
          this.onAck(m.bytes);
          this.wake();
          return;
        }
        this.queue.push({ text: m });
      } else {
        this.queue.push({ binary: new Uint8Array(data) });
      }
      this.wake();
    }

    /** Returns a text message taken with nextText to the front of the queue (a step that only looked at it). */
    putBack(m) {
      this.queue.unshift({ text: m });
    }

    wake() {
      const w = this.waiters;
      this.waiters = [];
      w.forEach((f) => f());
    }

    /** Resolves at the next event (message, ack, drain, close) or after ms. */
    changed(ms) {
      return new Promise((resolve) => {
        const t = setTimeout(resolve, ms);
        this.waiters.push(() => { clearTimeout(t); resolve(); });
      });
    }

    async next(ms, what) {
      const deadline = Date.now() + ms;
      while (!this.queue.length) {
        if (this.closed) throw new TransferError('the peer closed the connection ' + what, 'closed');
        const left = deadline - Date.now();
        if (left <= 0) throw new TransferError('timed out ' + what, 'timeout');
        await this.changed(left);
      }
      return this.queue.shift();
    }

    /** The next text message, skipping the sender's keep-alives; binary data here is a protocol error. */
    async nextText(ms, what) {
      for (;;) {
        const e = await this.next(ms, what);
        if (e.binary) throw new TransferError('the peer sent data ' + what);
        if (e.text.type === 'cancel') throw cancelled(e.text);
        if (e.text.type === 'error') throw new TransferError('the peer aborted: ' + (e.text.message || e.text.code), 'peer');
        if (e.text.type === 'preparing') continue;
        return e.text;
      }
    }
  }

  /** The error for the peer's cancel: it stopped on purpose and is closing. */
  function cancelled(m) {
    const who = m.by === 'sender' || m.by === 'receiver' ? m.by : 'peer';
    return new TransferError('the ' + who + ' cancelled: ' + (m.reason || 'no reason given'), 'cancelled');
  }

  /**
   * Best effort: tells the peer this side stops on purpose (as rtcat does on Ctrl-C), plus the error form that
   * peers older than cancel understand.
   */
  function cancel(channel, by, reason) {
    try {
      if (channel.readyState === 'open') {
        sendJson(channel, { type: 'cancel', by, reason });
        sendJson(channel, { type: 'error', code: 'cancelled', message: 'the ' + by + ' cancelled: ' + reason });
      }
    } catch (ignored) { /* closing anyway */ }
  }

  function sendJson(channel, message) {
    channel.send(JSON.stringify(message));
  }

  /** Best effort: tells the peer why this side stops. */
  function tellPeer(channel, error) {
    if (error.code === 'cancelled') return; // the peer cancelled: it is gone, and knows why
    try {
      if (channel.readyState === 'open') {
        sendJson(channel, { type: 'error', code: error.code || 'protocol', message: String(error.message) });
      }
    } catch (ignored) { /* closing anyway */ }
  }

  /** Waits until the channel has sent what it buffered (so a last message is not cut off by a close). */
  async function drained(channel, inbox, ms) {
    const deadline = Date.now() + ms;
    while (channel.readyState === 'open' && channel.bufferedAmount > 0 && Date.now() < deadline) {
      await inbox.changed(50);
    }
  }

  /**
   * After batch-done: waits (at most ms) for the sender to close, its sign that batch-done arrived; closing first
   * could lose it on a lossy path, and the sender would report a failure for files that were saved.
   */
  async function senderHungUp(inbox, ms) {
    const deadline = Date.now() + ms;
    while (!inbox.closed && Date.now() < deadline) {
      await inbox.changed(deadline - Date.now());
    }
  }

  // ---------------------------------------------------------------- receiving

  /**
   * Receives a batch from `rtcat send`. ui: progress(done, total), file(name, blob, sha256).
   * announced: the sender opened with its stripe announcement (now over), so it waits for our hello; otherwise
   * it is one that never says hello and sends files one after another.
   * Returns {files, bytes}.
   */
  async function receive(channel, inbox, ui, announced) {
    let m;
    if (announced) {
      sendJson(channel, { type: 'hello', protocol: PROTOCOL, window: WINDOW });
      m = await inbox.nextText(FIRST_TIMEOUT, 'before the sender offered a file');
    } else {
      m = await inbox.nextText(FIRST_TIMEOUT, 'before the sender started');
    }
    if (m.type === 'file-start') { // a sender that missed our hello: files one after another, then it hangs up
      let files = 0, bytes = 0;
      while (m && m.type === 'file-start') {
        bytes += (await receiveFile(channel, inbox, ui, m, null)).bytes;
        files++;
        try {
          m = await inbox.nextText(30000, 'after ' + files + (files === 1 ? ' file' : ' files'));
        } catch (e) {
          if (e.code !== 'closed' && e.code !== 'timeout') throw e;
          m = null;
        }
      }
      if (m) throw new TransferError('unexpected message ' + m.type + ' between files');
      return { files, bytes };
    }
    if (m.type !== 'manifest') throw new TransferError('unexpected message ' + m.type + ' before the file list');
    const files = [...(m.files || [])];
    while (m.more) {
      m = await inbox.nextText(IDLE_TIMEOUT, 'in the middle of the file list');
      if (m.type !== 'manifest') throw new TransferError('unexpected message ' + m.type + ' in the file list');
      files.push(...(m.files || []));
    }
    if (!files.length) throw new TransferError('the sender offered no files');
    const total = files.reduce((n, f) => n + Math.max(0, f.size), 0);
    ui.offered(files, total);
    sendJson(channel, { type: 'manifest-ack', resume: [] });
    const listed = new Map(files.map((f) => [f.name, f]));
    let received = 0, bytes = 0;
    for (;;) {
      m = await inbox.nextText(IDLE_TIMEOUT, 'between files');
      if (m.type === 'file-start') {
        const entry = listed.get(m.name);
        if (!entry) throw new TransferError('the sender sent a file that is not in its list');
        listed.delete(m.name);
        const r = await receiveFile(channel, inbox, ui, m, entry, bytes, total);
        received++;
        bytes += r.bytes;
      } else if (m.type === 'batch-end') {
        if (m.files !== files.length || received !== files.length) {
          throw new TransferError('the sender ended after ' + received + ' of ' + files.length + ' files');
        }
        sendJson(channel, { type: 'batch-done', files: received, bytes });
        await drained(channel, inbox, 5000);
        await senderHungUp(inbox, 10000);
        return { files: received, bytes };
      } else {
        throw new TransferError('unexpected message ' + m.type + ' between files');
      }
    }
  }

  async function receiveFile(channel, inbox, ui, start, entry, before = 0, total = start.size) {
    if (start.protocol != null && start.protocol !== PROTOCOL) {
      throw new TransferError('the sender speaks file protocol ' + start.protocol);
    }
    if (start.offset) throw new TransferError('the sender resumed a file that was never offered for resuming');
    const size = start.size;
    if (!(size >= 0)) throw new TransferError('the sender did not say how big ' + start.name + ' is');
    // Chunks are folded into Blobs every BLOB_PART bytes: the browser keeps Blob data in its own storage (on
    // disk once large), so the page's heap holds one part at most, not the whole file.
    const parts = [];
    let chunks = [], chunkBytes = 0;
    const hash = new Sha256();
    let position = 0, acked = 0;
    ui.started(start.name, size);
    for (;;) {
      const e = await inbox.next(IDLE_TIMEOUT, 'after ' + position + ' bytes of ' + start.name);
      if (e.binary) {
        if (position + e.binary.length > size) throw new TransferError('the sender sent more than ' + size + ' bytes', 'size');
        chunks.push(e.binary);
        chunkBytes += e.binary.length;
        if (chunkBytes >= BLOB_PART) {
          parts.push(new Blob(chunks));
          chunks = [];
          chunkBytes = 0;
        }
        hash.update(e.binary);
        position += e.binary.length;
        if (position - acked >= ACK_INTERVAL) {
          sendJson(channel, { type: 'ack', bytes: position });
          acked = position;
        }
        ui.progress(before + position, total);
        continue;
      }
      const m = e.text;
      if (m.type === 'preparing') continue;
      if (m.type === 'cancel') throw cancelled(m);
      if (m.type === 'error') throw new TransferError('the sender aborted: ' + (m.message || m.code), 'peer');
      if (m.type !== 'file-end') throw new TransferError('the sender moved on before finishing ' + start.name);
      if (position !== size || (m.size != null && m.size !== position)) {
        throw new TransferError('size mismatch for ' + start.name + ': ' + position + ' bytes received, '
          + size + ' announced', 'size');
      }
      const actual = hex(hash.digest());
      for (const claimed of [m.sha256, entry && entry.sha256]) {
        if (claimed && claimed.toLowerCase() !== actual) {
          throw new TransferError('checksum mismatch for ' + start.name + ': the sender says ' + claimed
            + ', the received data hashes to ' + actual, 'checksum');
        }
      }
      sendJson(channel, { type: 'ack', bytes: position });
      sendJson(channel, { type: 'done', bytes: position, sha256: actual, name: start.name });
      ui.file(start.name, new Blob(parts.concat(chunks), { type: 'application/octet-stream' }), actual);
      return { bytes: position, sha256: actual };
    }
  }

  // ---------------------------------------------------------------- sending

  async function readSlice(file, from, to) {
    return new Uint8Array(await file.slice(from, to).arrayBuffer());
  }

  async function hashFile(file, ui) {
    const hash = new Sha256();
    for (let at = 0; at < file.size; at += READ_BYTES) {
      hash.update(await readSlice(file, at, Math.min(file.size, at + READ_BYTES)));
      ui.hashing(file.name, at, file.size);
    }
    return hex(hash.digest());
  }

  /** First offset whose block differs from the receiver's partial file (as BatchSender.resumeOffset). */
  async function resumeOffset(file, r) {
    if (!r) return 0;
    const limit = Math.min(r.offset, file.size);
    let offset = 0;
    for (const expected of r.blocks || []) {
      const end = Math.min(offset + r.blockSize, r.offset);
      if (end > limit) break;
      if (hex(new Sha256().update(await readSlice(file, offset, end)).digest()) !== expected) break;
      offset = end;
    }
    return offset;
  }

  /** Sends `files` (File objects) to `rtcat receive`, once the stripe announcement is out. Returns {files, bytes}. */
  async function send(channel, inbox, files, ui) {
    let acked = 0;
    inbox.onAck = (bytes) => { if (typeof bytes === 'number' && bytes > acked) acked = bytes; };
    const hello = await inbox.nextText(30000, 'waiting for the receiver to say hello');
    if (hello.type !== 'hello') throw new TransferError('expected hello from the receiver, got ' + hello.type);
    if (hello.protocol !== PROTOCOL) throw new TransferError('the receiver speaks file protocol ' + hello.protocol);
    const credit = Math.max(CHUNK, Number(hello.window) || WINDOW);
    const entries = [];
    for (const f of files) {
      entries.push({ name: f.name, size: f.size, sha256: await hashFile(f, ui), mtime: f.lastModified });
    }
    const totalBytes = entries.reduce((n, e) => n + e.size, 0);
    let page = [];
    const flush = (more) => {
      const m = { type: 'manifest', files: page, totalBytes };
      if (more) m.more = true;
      sendJson(channel, m);
      page = [];
    };
    for (const e of entries) {
      if (page.length && JSON.stringify(page).length + JSON.stringify(e).length > PAGE_BYTES) flush(true);
      page.push(e);
    }
    flush(false);
    ui.log('waiting for the receiver to accept');
    const resume = new Map();
    for (let more = true; more;) {
      const m = await inbox.nextText(600000, 'waiting for the receiver to accept the files');
      if (m.type !== 'manifest-ack') throw new TransferError('expected manifest-ack, got ' + m.type);
      (m.resume || []).forEach((r) => resume.set(r.name, r));
      more = !!m.more;
    }
    let batchBytes = 0;
    for (let i = 0; i < files.length; i++) {
      const file = files[i], entry = entries[i];
      const offset = await resumeOffset(file, resume.get(entry.name));
      if (offset) ui.log('resuming ' + entry.name + ' at ' + offset + ' bytes');
      acked = offset;
      const start = { type: 'file-start', name: entry.name, size: entry.size,
        totalChunks: entry.size - offset === 0 ? 0 : Math.floor((entry.size - offset - 1) / CHUNK) + 1,
        protocol: PROTOCOL, chunkSize: CHUNK, mtime: entry.mtime };
      if (offset) start.offset = offset;
      sendJson(channel, start);
      ui.started(entry.name, entry.size);
      let sent = offset;
      while (sent < entry.size) {
        const block = await readSlice(file, sent, Math.min(entry.size, sent + READ_BYTES));
        for (let at = 0; at < block.length; at += CHUNK) {
          const chunk = block.subarray(at, Math.min(block.length, at + CHUNK));
          const stall = Date.now() + IDLE_TIMEOUT;
          while (sent - acked + chunk.length > credit || channel.bufferedAmount > BUFFERED_HIGH) {
            if (inbox.closed) throw new TransferError('the receiver closed the connection', 'closed');
            const first = inbox.queue.length && inbox.queue[0].text;
            if (first && (first.type === 'error' || first.type === 'cancel')) {
              await inbox.nextText(1, ''); // throws with the receiver's reason
            }
            if (Date.now() > stall) throw new TransferError('the receiver stopped acknowledging data', 'timeout');
            await inbox.changed(1000);
          }
          channel.send(chunk);
          sent += chunk.length;
          ui.progress(batchBytes + sent, totalBytes);
        }
      }
      sendJson(channel, { type: 'file-end', sha256: entry.sha256, size: sent });
      const done = await inbox.nextText(IDLE_TIMEOUT, 'waiting for the receiver to confirm ' + entry.name);
      if (done.type !== 'done') throw new TransferError('expected done from the receiver, got ' + done.type);
      if (done.sha256 !== entry.sha256 || done.bytes !== sent) {
        throw new TransferError('the receiver saved ' + done.bytes + ' bytes with SHA-256 ' + done.sha256
          + ' but ' + sent + ' bytes with SHA-256 ' + entry.sha256 + ' were sent', 'checksum');
      }
      batchBytes += sent;
      ui.sent(entry.name, entry.sha256);
    }
    sendJson(channel, { type: 'batch-end', files: files.length });
    const end = await inbox.nextText(IDLE_TIMEOUT, 'waiting for the receiver to confirm the batch');
    if (end.type !== 'batch-done' || end.files !== files.length || end.bytes !== batchBytes) {
      throw new TransferError('the receiver did not confirm all ' + files.length + ' files');
    }
    channel.close(); // the receiver waits for this sign that its batch-done arrived
    return { files: files.length, bytes: batchBytes };
  }

  return { Inbox, receive, send, sendJson, tellPeer, cancel, TransferError, FIRST_TIMEOUT };
})();
