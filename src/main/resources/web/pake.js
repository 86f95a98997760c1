// rtcat in the browser: SHA-256, HMAC-SHA256 and J-PAKE, bit-compatible with rtcat's Java side
// (BouncyCastle's org.bouncycastle.crypto.agreement.jpake over the NIST 3072-bit group with SHA-256).
// Own SHA-256 rather than WebCrypto: crypto.subtle exists only in secure contexts, and this page is
// normally opened over plain http:// from the signaling server. Randomness: crypto.getRandomValues.
'use strict';

const rtcatCrypto = (() => {
  // ---- SHA-256 (FIPS 180-4), incremental ----
  const K = new Uint32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2]);

  class Sha256 {
    constructor() {
      this.h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
        0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
      this.block = new Uint8Array(64);
      this.fill = 0;
      this.length = 0; // bytes
      this.w = new Uint32Array(64);
    }

    update(data) {
      let i = 0;
      this.length += data.length;
      if (this.fill > 0) {
        const take = Math.min(64 - this.fill, data.length);
        this.block.set(data.subarray(0, take), this.fill);
        this.fill += take;
        i = take;
        if (this.fill < 64) return this;
        this.compress(this.block, 0);
        this.fill = 0;
      }
      for (; i + 64 <= data.length; i += 64) this.compress(data, i);
      if (i < data.length) {
        this.block.set(data.subarray(i), 0);
        this.fill = data.length - i;
      }
      return this;
    }

    digest() {
      const bits = this.length * 8;
      const pad = new Uint8Array(((this.fill < 56) ? 56 : 120) - this.fill + 8);
      pad[0] = 0x80;
      const view = new DataView(pad.buffer);
      view.setUint32(pad.length - 8, Math.floor(bits / 0x100000000));
      view.setUint32(pad.length - 4, bits >>> 0);
      this.length -= pad.length; // padding does not count
      this.update(pad);
      const out = new Uint8Array(32);
      const ov = new DataView(out.buffer);
      for (let j = 0; j < 8; j++) ov.setUint32(j * 4, this.h[j]);
      return out;
    }

    compress(b, o) {
      const w = this.w;
      for (let t = 0; t < 16; t++) {
        w[t] = (b[o + 4 * t] << 24) | (b[o + 4 * t + 1] << 16) | (b[o + 4 * t + 2] << 8) | b[o + 4 * t + 3];
      }
      for (let t = 16; t < 64; t++) {
        const x = w[t - 15], y = w[t - 2];
        const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
        const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
        w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
      }
      const h = this.h;
      let a = h[0], bb = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
      for (let t = 0; t < 64; t++) {
        const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
        const ch = (e & f) ^ (~e & g);
        const t1 = (hh + S1 + ch + K[t] + w[t]) | 0;
        const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
        const maj = (a & bb) ^ (a & c) ^ (bb & c);
        const t2 = (S0 + maj) | 0;
        hh = g; g = f; f = e; e = (d + t1) | 0; d = c; c = bb; bb = a; a = (t1 + t2) | 0;
      }
      h[0] += a; h[1] += bb; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
    }
  }

  const utf8 = (s) => new TextEncoder().encode(s);
  const concat = (...parts) => {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) { out.set(p, o); o += p.length; }
    return out;
  };
  const sha256 = (...parts) => { const s = new Sha256(); parts.forEach((p) => s.update(p)); return s.digest(); };
  const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

  function hmacSha256(key, ...parts) {
    let k = key.length > 64 ? sha256(key) : key;
    const ipad = new Uint8Array(64), opad = new Uint8Array(64);
    ipad.set(k); opad.set(k);
    for (let i = 0; i < 64; i++) { ipad[i] ^= 0x36; opad[i] ^= 0x5c; }
    return sha256(opad, sha256(ipad, ...parts));
  }

  /** Equal length and content, without an early exit. */
  function sameBytes(a, b) {
    if (a.length !== b.length) return false;
    let diff = 0;
    for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
    return diff === 0;
  }

  // ---- big numbers ----
  const P = BigInt('0x' +
  '90066455b5cfc38f9caa4a48b4281f292c260feef01fd61037e56258a7795a1c7ad46076982ce6bb956936c6ab4dcfe0' +
  '5e6784586940ca544b9b2140e1eb523f009d20a7e7880e4e5bfa690f1b9004a27811cd9904af70420eefd6ea11ef7da1' +
  '29f58835ff56b89faa637bc9ac2efaab903402229f491d8d3485261cd068699b6ba58a1ddbbef6db51e8fe34e8a78e54' +
  '2d7ba351c21ea8d8f1d29f5d5d15939487e27f4416b0ca632c59efd1b1eb66511a5a0fbf615b766c5862d0bd8a3fe7a0' +
  'e0da0fb2fe1fcb19e8f9996a8ea0fccde538175238fc8b0ee6f29af7f642773ebe8cd5402415a01451a840476b2fceb0' +
  'e388d30d4b376c37fe401c2a2c2f941dad179c540c1c8ce030d460c4d983be9ab0b20f69144c1ae13f9383ea1c08504f' +
  'b0bf321503efe43488310dd8dc77ec5b8349b8bfe97c2c560ea878de87c11e3d597f1fea742d73eec7f37be43949ef1a' +
  '0d15c3f3e3fc0a8335617055ac91328ec22b50fc15b941d3d1624cd88bc25f3e941fddc6200689581bfec416b4b2cb73');
  const Q = BigInt('0x' +
  'cfa0478a54717b08ce64805b76e5b14249a77a4838469df7f7dc987efccfb11d');
  const G = BigInt('0x' +
  '5e5cba992e0a680d885eb903aea78e4a45a469103d448ede3b7accc54d521e37f84a4bdd5b06b0970cc2d2bbb715f7b8' +
  '2846f9a0c393914c792e6a923e2117ab805276a975aadb5261d91673ea9aaffeecbfa6183dfcb5d3b7332aa19275afa1' +
  'f8ec0b60fb6f66cc23ae4870791d5982aad1aa9485fd8f4a60126feb2cf05db8a7f0f09b3397f3937f2e90b9e5b9c9b6' +
  'efef642bc48351c46fb171b9bfa9ef17a961ce96c7e7a7cc3d3d03dfad1078ba21da425198f07d2481622bce45969d9c' +
  '4d6063d72ab7a0f08b2f49a7cc6af335e08c4720e31476b67299e231f8bd90b39ac3ae3be0c6b6cacef8289a2e2873d5' +
  '8e51e029cafbd55e6841489ab66b5b4b9ba6e2f784660896aff387d92844ccb8b69475496de19da2e58259b090489ac8' +
  'e62363cdf82cfd8ef2a427abcd65750b506f56dde3b988567a88126b914d7828e2b63a6d7ed0747ec59e0e0a23ce7d8a' +
  '74c1d2c2a7afb6a29799620f00e11c33787f7ded3b30e1a22d09f1fbda1abbbfbf25cae05a13f812e34563f99410e73b');
  const P_BYTES = 384;
  const MAX_HEX = P_BYTES * 2;

  function modPow(base, exp, m) {
    let result = 1n;
    let b = base % m;
    let e = exp;
    while (e > 0n) {
      if (e & 1n) result = (result * b) % m;
      b = (b * b) % m;
      e >>= 1n;
    }
    return result;
  }

  const mod = (a, m) => { const r = a % m; return r < 0n ? r + m : r; };

  /** Java's BigIntegers.asUnsignedByteArray: minimal big-endian bytes of a non-negative number. */
  function unsignedBytes(n) {
    let h = n.toString(16);
    if (h.length % 2) h = '0' + h;
    const out = new Uint8Array(h.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(h.substr(2 * i, 2), 16);
    return out;
  }

  function fixedBytes(n, len) {
    const u = unsignedBytes(n);
    const out = new Uint8Array(len);
    out.set(u, len - u.length);
    return out;
  }

  /** new BigInteger(bytes): two's complement, big-endian. */
  function signedFromBytes(bytes) {
    let n = BigInt('0x' + (hex(bytes) || '0'));
    if (bytes.length && bytes[0] & 0x80) n -= 1n << BigInt(bytes.length * 8);
    return n;
  }

  /** Uniform-enough random number in [min, max]: 64 extra bits make the modulo bias negligible. */
  function randomIn(min, max) {
    const bytes = new Uint8Array(40);
    crypto.getRandomValues(bytes);
    return min + BigInt('0x' + hex(bytes)) % (max - min + 1n);
  }

  const lengthPrefixed = (bytes) => {
    const len = new Uint8Array(4);
    new DataView(len.buffer).setUint32(0, bytes.length);
    return concat(len, bytes);
  };

  /** JPAKEUtil.calculateHashForZeroKnowledgeProof: each value length-prefixed, result signed. */
  function zkpHash(generator, gv, gx, participantId) {
    return signedFromBytes(sha256(lengthPrefixed(unsignedBytes(generator)), lengthPrefixed(unsignedBytes(gv)),
      lengthPrefixed(unsignedBytes(gx)), lengthPrefixed(utf8(participantId))));
  }

  function proveKnowledge(generator, x, gx, participantId) {
    const v = randomIn(0n, Q - 1n);
    const gv = modPow(generator, v, P);
    const h = zkpHash(generator, gv, gx, participantId);
    return [gv, mod(v - x * h, Q)];
  }

  function checkKnowledge(generator, gx, [gv, r], participantId) {
    const h = zkpHash(generator, gv, gx, participantId);
    const ok = gx > 0n && gx < P && modPow(gx, Q, P) === 1n
      && (modPow(generator, r, P) * modPow(gx, mod(h, Q), P)) % P === gv;
    if (!ok) throw new PakeError('malformed PAKE message: zero-knowledge proof validation failed');
  }

  /** JPAKEUtil.calculateMacTag: HMAC keyed with SHA-256(K || "JPAKE_KC"). */
  function macTag(id, partnerId, gx1, gx2, gx3, gx4, keyingMaterial) {
    const macKey = sha256(unsignedBytes(keyingMaterial), utf8('JPAKE_KC'));
    return hmacSha256(macKey, utf8('KC_1_U'), utf8(id), utf8(partnerId), unsignedBytes(gx1),
      unsignedBytes(gx2), unsignedBytes(gx3), unsignedBytes(gx4));
  }

  class PakeError extends Error {
    constructor(message, mismatch = false) {
      super(message);
      this.mismatch = mismatch;
    }
  }

  const SUITE = 'jpake-nist3072-sha256';
  const HEX = /^[0-9a-f]+$/;

  function number(m, name) {
    const s = m[name];
    if (typeof s !== 'string' || s.length === 0 || s.length > MAX_HEX || !HEX.test(s)) {
      throw new PakeError(`malformed PAKE message: field '${name}' must be 1 to ${MAX_HEX} lowercase hex digits`);
    }
    return BigInt('0x' + s);
  }

  function element(m, name) {
    const v = number(m, name);
    if (v <= 0n || v >= P) throw new PakeError(`malformed PAKE message: field '${name}' is out of range`);
    return v;
  }

  function proof(m, prefix) {
    const r = number(m, prefix + 'r');
    if (r >= Q) throw new PakeError(`malformed PAKE message: field '${prefix}r' is out of range`);
    return [element(m, prefix + 'gv'), r];
  }

  /**
   * One side of rtcat's PAKE (see PakeSession.java): the same three rounds and the same flat
   * string maps. role is 'rtcat-sender' or 'rtcat-receiver'.
   */
  class PakeSession {
    constructor(password, role) {
      if (!password) throw new Error('empty code');
      this.id = role;
      this.partner = role === 'rtcat-sender' ? 'rtcat-receiver' : 'rtcat-sender';
      const s = mod(BigInt('0x' + hex(utf8(password))), Q);
      if (s === 0n) throw new PakeError('MUST ensure s is not equal to 0 modulo q');
      this.s = s;
    }

    header(round) {
      return { round: String(round), participant: this.id };
    }

    checkHeader(m, round) {
      if (!m || m.round !== String(round)) {
        throw new PakeError(`malformed PAKE message: expected round ${round}`);
      }
      if (m.participant !== this.partner) {
        throw new PakeError(`malformed PAKE message: expected participant '${this.partner}'`);
      }
    }

    round1() {
      this.x1 = randomIn(0n, Q - 1n);
      this.x2 = randomIn(1n, Q - 1n);
      this.gx1 = modPow(G, this.x1, P);
      this.gx2 = modPow(G, this.x2, P);
      const z1 = proveKnowledge(G, this.x1, this.gx1, this.id);
      const z2 = proveKnowledge(G, this.x2, this.gx2, this.id);
      return { ...this.header(1), suite: SUITE, gx1: this.gx1.toString(16), gx2: this.gx2.toString(16),
        zkp1_gv: z1[0].toString(16), zkp1_r: z1[1].toString(16),
        zkp2_gv: z2[0].toString(16), zkp2_r: z2[1].toString(16) };
    }

    acceptRound1(m) {
      this.checkHeader(m, 1);
      if (m.suite !== SUITE) throw new PakeError(`malformed PAKE message: unsupported suite, expected ${SUITE}`);
      this.gx3 = element(m, 'gx1');
      this.gx4 = element(m, 'gx2');
      const z3 = proof(m, 'zkp1_'), z4 = proof(m, 'zkp2_');
      if (this.gx4 === 1n) throw new PakeError('malformed PAKE message: g^x should not be 1');
      checkKnowledge(G, this.gx3, z3, this.partner);
      checkKnowledge(G, this.gx4, z4, this.partner);
    }

    round2() {
      const gA = (this.gx1 * this.gx3 * this.gx4) % P;
      const x2s = (this.x2 * this.s) % Q;
      const a = modPow(gA, x2s, P);
      const z = proveKnowledge(gA, x2s, a, this.id);
      return { ...this.header(2), a: a.toString(16), zkp_gv: z[0].toString(16), zkp_r: z[1].toString(16) };
    }

    acceptRound2(m) {
      this.checkHeader(m, 2);
      const gB = (this.gx3 * this.gx1 * this.gx2) % P;
      if (gB === 1n) throw new PakeError('malformed PAKE message: ga is equal to 1');
      this.b = element(m, 'a');
      checkKnowledge(gB, this.b, proof(m, 'zkp_'), this.partner);
    }

    round3() {
      const exponent = mod(-(this.x2 * this.s), Q);
      this.k = modPow((modPow(this.gx4, exponent, P) * this.b) % P, this.x2, P);
      const tag = macTag(this.id, this.partner, this.gx1, this.gx2, this.gx3, this.gx4, this.k);
      return { ...this.header(3), mac: hex(tag) };
    }

    /** Key confirmation; on success returns the 32-byte session key: SHA-256 of K as 384 bytes. */
    acceptRound3(m) {
      this.checkHeader(m, 3);
      if (typeof m.mac !== 'string' || !/^[0-9a-f]{64}$/.test(m.mac)) {
        throw new PakeError("malformed PAKE message: field 'mac' must be 64 lowercase hex digits");
      }
      const expected = macTag(this.partner, this.id, this.gx3, this.gx4, this.gx1, this.gx2, this.k);
      const given = new Uint8Array(m.mac.match(/../g).map((b) => parseInt(b, 16)));
      if (!sameBytes(expected, given)) {
        throw new PakeError('code phrase mismatch: the PAKE failed (wrong code or interference)', true);
      }
      return sha256(fixedBytes(this.k, P_BYTES));
    }
  }

  // ---- the DTLS fingerprint binding (FingerprintBinding.java) ----
  const FINGERPRINT = /^([A-Za-z0-9][A-Za-z0-9-]*)[ \t]+([0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2})+)$/;

  function fingerprints(sdp) {
    const found = [];
    for (const line of String(sdp || '').split(/\r\n|\r|\n/)) {
      const t = line.trim();
      if (t.slice(0, 14).toLowerCase() !== 'a=fingerprint:') continue;
      const m = FINGERPRINT.exec(t.slice(14).trim());
      if (!m) throw new PakeError("the peer's session description has a malformed DTLS fingerprint");
      found.push(m[1].toLowerCase() + ' ' + m[2].toUpperCase());
    }
    if (!found.length) throw new PakeError("the peer's session description has no DTLS fingerprint");
    return found;
  }

  function bindingMac(key, role, offerSdp, answerSdp) {
    const str = (s) => lengthPrefixed(utf8(s));
    const list = (items) => {
      const count = new Uint8Array(4);
      new DataView(count.buffer).setUint32(0, items.length);
      return concat(count, ...items.map(str));
    };
    return hex(hmacSha256(key, str('rtcat-fingerprint-binding-v1'), str(role),
      list(fingerprints(offerSdp)), list(fingerprints(answerSdp))));
  }

  function checkBinding(key, role, offerSdp, answerSdp, macHex) {
    const expected = bindingMac(key, role, offerSdp, answerSdp);
    return typeof macHex === 'string' && sameBytes(utf8(expected), utf8(macHex));
  }

  return { Sha256, sha256, hmacSha256, hex, PakeSession, PakeError, bindingMac, checkBinding, fingerprints };
})();

if (typeof module !== 'undefined') module.exports = rtcatCrypto;
