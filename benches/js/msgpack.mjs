// A small MessagePack codec for JSON-like values (null, booleans, numbers, strings, arrays, plain
// objects), as a JS host would need one to use MessagePack bytes from the evaluator. It uses the
// same techniques as the usual npm codecs (@msgpack/msgpack): one growing buffer, TextEncoder.
// encodeInto for long strings, a hand-written UTF-8 decoder for short ones, TextDecoder for long.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encode(value) {
  let buffer = new Uint8Array(4096);
  let view = new DataView(buffer.buffer);
  let at = 0;
  const ensure = (n) => {
    if (at + n <= buffer.length) return;
    let size = buffer.length * 2;
    while (size < at + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(buffer.subarray(0, at));
    buffer = next;
    view = new DataView(buffer.buffer);
  };
  const header = (n, fix, fixMax, c8, c16, c32) => {
    ensure(5);
    if (n <= fixMax) buffer[at++] = fix | n;
    else if (c8 !== 0 && n < 0x100) { buffer[at++] = c8; buffer[at++] = n; }
    else if (n < 0x10000) { buffer[at++] = c16; view.setUint16(at, n); at += 2; }
    else { buffer[at++] = c32; view.setUint32(at, n); at += 4; }
  };
  const string = (s) => {
    const max = s.length * 3;
    ensure(5 + max);
    if (s.length < 64) {
      // Short strings: write UTF-8 by hand after a 1- or 2-byte header, then fix the header.
      const start = at;
      at += s.length < 32 ? 1 : 2;
      const body = at;
      for (let i = 0; i < s.length; i++) {
        let c = s.charCodeAt(i);
        if (c < 0x80) buffer[at++] = c;
        else if (c < 0x800) { buffer[at++] = 0xc0 | (c >> 6); buffer[at++] = 0x80 | (c & 63); }
        else {
          if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
            const d = s.charCodeAt(i + 1);
            if (d >= 0xdc00 && d < 0xe000) {
              i++;
              c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
              buffer[at++] = 0xf0 | (c >> 18); buffer[at++] = 0x80 | ((c >> 12) & 63);
              buffer[at++] = 0x80 | ((c >> 6) & 63); buffer[at++] = 0x80 | (c & 63);
              continue;
            }
          }
          buffer[at++] = 0xe0 | (c >> 12); buffer[at++] = 0x80 | ((c >> 6) & 63); buffer[at++] = 0x80 | (c & 63);
        }
      }
      const n = at - body;
      if (s.length < 32 && n < 32) buffer[start] = 0xa0 | n;
      else if (s.length < 32) { buffer.copyWithin(body + 1, body, at); at++; buffer[start] = 0xd9; buffer[start + 1] = n; }
      else { buffer[start] = 0xd9; buffer[start + 1] = n; }
      return;
    }
    const start = at;
    at += 5;
    const { written } = encoder.encodeInto(s, buffer.subarray(at));
    buffer[start] = 0xdb;
    view.setUint32(start + 1, written);
    at += written;
  };
  const write = (v) => {
    switch (typeof v) {
      case 'string': return string(v);
      case 'boolean': ensure(1); buffer[at++] = v ? 0xc3 : 0xc2; return;
      case 'number':
        ensure(9);
        if (Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER) {
          if (v >= 0 && v < 128) buffer[at++] = v;
          else if (v < 0 && v >= -32) buffer[at++] = v & 0xff;
          else if (v >= 0 && v <= 0xffffffff) { buffer[at++] = 0xce; view.setUint32(at, v); at += 4; }
          else if (v < 0 && v >= -0x80000000) { buffer[at++] = 0xd2; view.setInt32(at, v); at += 4; }
          else { buffer[at++] = 0xd3; view.setBigInt64(at, BigInt(v)); at += 8; }
        } else { buffer[at++] = 0xcb; view.setFloat64(at, v); at += 8; }
        return;
      case 'object':
        if (v === null) { ensure(1); buffer[at++] = 0xc0; return; }
        if (Array.isArray(v)) {
          header(v.length, 0x90, 15, 0, 0xdc, 0xdd);
          for (const item of v) write(item);
          return;
        }
        {
          const keys = Object.keys(v).filter((k) => v[k] !== undefined);
          header(keys.length, 0x80, 15, 0, 0xde, 0xdf);
          for (const k of keys) { string(k); write(v[k]); }
        }
        return;
      default: ensure(1); buffer[at++] = 0xc0;
    }
  };
  write(value);
  return buffer.subarray(0, at);
}

export function decode(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const str = (n) => {
    const start = at;
    at += n;
    if (n > 24) return decoder.decode(bytes.subarray(start, at));
    let s = '';
    for (let i = start; i < at;) {
      const b = bytes[i++];
      if (b < 0x80) s += String.fromCharCode(b);
      else if (b < 0xe0) s += String.fromCharCode(((b & 31) << 6) | (bytes[i++] & 63));
      else if (b < 0xf0) s += String.fromCharCode(((b & 15) << 12) | ((bytes[i++] & 63) << 6) | (bytes[i++] & 63));
      else s += String.fromCodePoint(((b & 7) << 18) | ((bytes[i++] & 63) << 12) | ((bytes[i++] & 63) << 6) | (bytes[i++] & 63));
    }
    return s;
  };
  const array = (n) => { const a = new Array(n); for (let i = 0; i < n; i++) a[i] = read(); return a; };
  const map = (n) => { const o = {}; for (let i = 0; i < n; i++) { const k = read(); o[k] = read(); } return o; };
  const read = () => {
    const b = bytes[at++];
    if (b < 0x80) return b;
    if (b < 0x90) return map(b & 15);
    if (b < 0xa0) return array(b & 15);
    if (b < 0xc0) return str(b & 31);
    if (b >= 0xe0) return b - 256;
    let v;
    switch (b) {
      case 0xc0: return null;
      case 0xc2: return false;
      case 0xc3: return true;
      case 0xca: v = view.getFloat32(at); at += 4; return v;
      case 0xcb: v = view.getFloat64(at); at += 8; return v;
      case 0xcc: return bytes[at++];
      case 0xcd: v = view.getUint16(at); at += 2; return v;
      case 0xce: v = view.getUint32(at); at += 4; return v;
      case 0xcf: v = Number(view.getBigUint64(at)); at += 8; return v;
      case 0xd0: return view.getInt8(at++);
      case 0xd1: v = view.getInt16(at); at += 2; return v;
      case 0xd2: v = view.getInt32(at); at += 4; return v;
      case 0xd3: v = Number(view.getBigInt64(at)); at += 8; return v;
      case 0xd9: return str(bytes[at++]);
      case 0xda: v = view.getUint16(at); at += 2; return str(v);
      case 0xdb: v = view.getUint32(at); at += 4; return str(v);
      case 0xdc: v = view.getUint16(at); at += 2; return array(v);
      case 0xdd: v = view.getUint32(at); at += 4; return array(v);
      case 0xde: v = view.getUint16(at); at += 2; return map(v);
      case 0xdf: v = view.getUint32(at); at += 4; return map(v);
      case 0xc4: v = bytes[at++]; at += v; return bytes.slice(at - v, at);
      default: throw new Error(`msgpack: unsupported byte 0x${b.toString(16)} at ${at - 1}`);
    }
  };
  const value = read();
  if (at !== bytes.length) throw new Error(`msgpack: ${bytes.length - at} trailing bytes`);
  return value;
}
