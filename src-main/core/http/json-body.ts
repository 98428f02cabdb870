import { DriftlineError } from '../errors';

/**
 * Parses a JSON response body; a syntax error becomes `invalid_json` with its position and a few
 * characters around it, never more of the body, and nothing at all when a secret is nearby.
 */
export function parseJsonBody(text: string, where: string, secrets: ReadonlySet<string>): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const offset = jsonErrorOffset(text);
    const { line, column } = lineAndColumn(text, offset);
    throw new DriftlineError(
      'invalid_json',
      `${where} returned malformed JSON (${text.length} characters; error at position ${offset}, line ${line} column ${column}, ` +
        `near "${excerpt(text, offset, secrets)}"). The server or something between us and it is sending a broken response.`,
    );
  }
}

// V8's messages only sometimes carry a position and sometimes quote the body, so we locate the error ourselves.
/** Offset of the first JSON syntax error (text.length when the input ends too early). */
export function jsonErrorOffset(text: string): number {
  const closers: string[] = [];
  let expect: 'value' | 'key' | 'colon' | 'next' | 'end' = 'value';
  let i = 0;
  const afterValue = (): 'next' | 'end' => (closers.length > 0 ? 'next' : 'end');
  for (;;) {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
    if (i >= text.length) return text.length;
    const c = text.charAt(i);
    if (expect === 'end') return i;
    if (expect === 'colon') {
      if (c !== ':') return i;
      i++;
      expect = 'value';
    } else if (expect === 'next') {
      if (c === ',') {
        i++;
        expect = closers.at(-1) === '}' ? 'key' : 'value';
      } else if (c === closers.at(-1)) {
        closers.pop();
        i++;
        expect = afterValue();
      } else return i;
    } else if (expect === 'key') {
      if (c !== '"') return i;
      const end = scanString(text, i);
      if (end < 0) return -end - 1;
      i = end;
      expect = 'colon';
    } else if (c === '{' || c === '[') {
      closers.push(c === '{' ? '}' : ']');
      i++;
      while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
      if (text.charAt(i) === closers.at(-1)) {
        closers.pop();
        i++;
        expect = afterValue();
      } else expect = c === '{' ? 'key' : 'value';
    } else {
      const end = c === '"' ? scanString(text, i) : scanScalar(text, i);
      if (end < 0) return -end - 1;
      i = end;
      expect = afterValue();
    }
  }
}

/** Index after a string starting at `start`, or -(errorOffset + 1). */
function scanString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 0x22) return i + 1;
    if (code < 0x20) return -(i + 1);
    if (code === 0x5c) {
      const escape = text.charAt(i + 1);
      if (escape === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return -(i + 1);
        i += 6;
      } else if (escape !== '' && '"\\/bfnrt'.includes(escape)) {
        i += 2;
      } else return -(i + 1);
    } else i++;
  }
  return -(text.length + 1);
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Index after a number or literal starting at `start`, or -(errorOffset + 1). */
function scanScalar(text: string, start: number): number {
  for (const literal of ['true', 'false', 'null']) {
    if (text.startsWith(literal, start)) return start + literal.length;
  }
  NUMBER.lastIndex = start;
  return NUMBER.test(text) ? NUMBER.lastIndex : -(start + 1);
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lastBreak = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: offset - lastBreak };
}

/** A few characters around the error, printable ASCII only, so the message cannot carry much of the body. */
function excerpt(text: string, offset: number, secrets: ReadonlySet<string>): string {
  const start = Math.max(0, offset - 12);
  const end = offset + 12;
  for (const secret of secrets) {
    for (let i = text.indexOf(secret); i >= 0; i = text.indexOf(secret, i + 1)) {
      if (i < end && i + secret.length > start) return '[redacted]';
    }
  }
  return text
    .slice(start, end)
    .replace(/[^\x20-\x7e]/g, '?')
    .replaceAll('"', "'");
}
