// The e-mails the server sends. With no SMTP server configured, its job worker (every
// ~2 s) writes each message as an .eml file under <data dir>/mail/: these helpers wait
// for one, decode it (MIME multipart, quoted-printable or base64 parts, RFC 2047
// headers) and take the link out of it.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

const POLL_MS = 100;

/** Files already handed to a test: each message is returned once. */
const taken = new Set();

/** Decodes RFC 2047 encoded words (`=?utf-8?b?…?=`, `=?utf-8?q?…?=`) of an unfolded header. */
export function decodeHeader(value) {
  return value
    .replace(/(\?=)\s+(?==\?)/g, '$1') // white space between two encoded words is not text
    .replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (_, charset, enc, text) => {
      const bytes =
        enc.toLowerCase() === 'b'
          ? Buffer.from(text, 'base64')
          : Buffer.from(
              text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, h) => String.fromCharCode(parseInt(h, 16))),
              'latin1',
            );
      return new TextDecoder(charset).decode(bytes);
    });
}

/** Quoted-printable: soft line breaks (`=` at the end of a line) go, `=XX` are bytes. */
export function decodeQuotedPrintable(text, charset = 'utf-8') {
  const raw = text.replace(/=\r?\n/g, '');
  const bytes = [];
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(raw.slice(i + 1, i + 3))) {
      bytes.push(parseInt(raw.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(raw[i], 'utf8'));
    }
  }
  return new TextDecoder(charset).decode(Uint8Array.from(bytes));
}

/** Headers (names lower-cased, folded lines joined) and body of a message or MIME part. */
function splitHeaders(source) {
  const m = /\r?\n\r?\n/.exec(source);
  const head = m ? source.slice(0, m.index) : source;
  const body = m ? source.slice(m.index + m[0].length) : '';
  const headers = {};
  for (const line of head.replace(/\r?\n(?=[ \t])/g, '').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { headers, body };
}

function param(headerValue, name) {
  const m = new RegExp(`${name}="?([^";]+)"?`, 'i').exec(headerValue ?? '');
  return m?.[1];
}

function decodePart(headers, body) {
  const charset = param(headers['content-type'], 'charset') ?? 'utf-8';
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body, charset);
  if (encoding === 'base64') return new TextDecoder(charset).decode(Buffer.from(body.replace(/\s+/g, ''), 'base64'));
  return body;
}

/**
 * Parses an .eml file's text. Returns null while the file is incomplete (the worker may
 * still be writing it).
 *
 * @returns {{ to: string, subject: string, text: string, html: string } | null}
 */
export function parseEml(source) {
  const { headers, body } = splitHeaders(source);
  const type = headers['content-type'] ?? 'text/plain';
  let text = '';
  let html = '';
  const boundary = param(type, 'boundary');
  if (/^multipart\//i.test(type)) {
    if (!boundary || !body.includes(`--${boundary}--`)) return null;
    const parts = body.split(`--${boundary}`).slice(1, -1);
    for (const part of parts) {
      const p = splitHeaders(part.replace(/^\r?\n/, ''));
      const t = (p.headers['content-type'] ?? 'text/plain').toLowerCase();
      const content = decodePart(p.headers, p.body.replace(/\r?\n$/, ''));
      if (t.startsWith('text/plain')) text = content;
      else if (t.startsWith('text/html')) html = content;
    }
  } else {
    if (!headers.subject) return null;
    text = decodePart(headers, body);
  }
  return {
    to: decodeHeader(headers.to ?? ''),
    subject: decodeHeader(headers.subject ?? ''),
    text,
    html,
  };
}

/**
 * Waits (polling, at most `timeoutMs`) for a message to `to` whose subject matches
 * `subject`, that no earlier call returned. Fails listing what did arrive.
 *
 * @param {string} mailDir
 * @param {{ to: string, subject?: RegExp, timeoutMs?: number }} options
 */
export async function waitForMail(mailDir, { to, subject = /./, timeoutMs = 15_000 }) {
  const deadline = Date.now() + timeoutMs;
  const address = `<${to.toLowerCase()}>`;
  const seen = new Map(); // file -> parsed message (complete ones)
  for (;;) {
    let files = [];
    try {
      files = (await readdir(mailDir)).filter((f) => f.endsWith('.eml')).sort();
    } catch (e) {
      if (e.code !== 'ENOENT') throw e;
    }
    for (const f of files) {
      const file = path.join(mailDir, f);
      if (taken.has(file)) continue;
      let mail = seen.get(file);
      if (!mail) {
        mail = parseEml(await readFile(file, 'utf8'));
        if (!mail) continue; // still being written
        seen.set(file, mail);
      }
      const recipient = mail.to.toLowerCase();
      if ((recipient === to.toLowerCase() || recipient.endsWith(address)) && subject.test(mail.subject)) {
        taken.add(file);
        return { file, ...mail };
      }
    }
    if (Date.now() > deadline) {
      const got = [...seen.values()].map((m) => `  to ${m.to}: ${m.subject}`).join('\n') || '  (none)';
      throw new Error(
        `no e-mail to ${to} with a subject matching ${subject} within ${timeoutMs / 1000} s in ${mailDir}; messages there:\n${got}`,
      );
    }
    await delay(POLL_MS);
  }
}

/**
 * The links of a text, as path + query (the server's configured public address differs
 * from the test server's), keeping only those to `pathname`.
 */
export function linksTo(text, pathname) {
  return [...text.matchAll(/https?:\/\/[^\s<>"')]+/g)]
    .map((m) => new URL(m[0]))
    .filter((u) => u.pathname === pathname)
    .map((u) => u.pathname + u.search);
}
