const RAW = Symbol('shell.raw');

export type ShellRaw = { readonly [RAW]: string };

/** A literal shell fragment written in code (operators, redirections). Never pass values from a spec here. */
export function raw(fragment: string): ShellRaw {
  return { [RAW]: fragment };
}

function isRaw(value: unknown): value is ShellRaw {
  return typeof value === 'object' && value !== null && RAW in value;
}

const LONE_SURROGATE = /\p{Cs}/u;

function quoteText(text: string): string {
  if (text.includes('\0')) throw new TypeError('shellQuote: a shell argument cannot contain a NUL byte');
  if (LONE_SURROGATE.test(text)) throw new TypeError('shellQuote: string has lone surrogates and cannot be encoded exactly');
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** Length of the well-formed UTF-8 sequence at i, or 0 when the byte there starts none. */
function utf8SequenceLength(bytes: Buffer, i: number): number {
  const b0 = bytes[i] ?? 0;
  if (b0 < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => {
    const b = bytes[i + k];
    return b !== undefined && b >= lo && b <= hi;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const lo = b0 === 0xe0 ? 0xa0 : 0x80;
    const hi = b0 === 0xed ? 0x9f : 0xbf;
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const lo = b0 === 0xf0 ? 0x90 : 0x80;
    const hi = b0 === 0xf4 ? 0x8f : 0xbf;
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

// Bytes that are not UTF-8 cannot travel in a JS string (argv is UTF-8 encoded), so the shell recreates them
// with printf octal escapes. They are all >= 0x80, never a newline, so command substitution strips nothing.
function quoteBytes(bytes: Buffer): string {
  if (bytes.includes(0)) throw new TypeError('shellQuote: a shell argument cannot contain a NUL byte');
  const parts: string[] = [];
  let i = 0;
  while (i < bytes.length) {
    const start = i;
    let n: number;
    while (i < bytes.length && (n = utf8SequenceLength(bytes, i)) > 0) i += n;
    if (i > start) parts.push(quoteText(bytes.subarray(start, i).toString('utf8')));
    const badStart = i;
    while (i < bytes.length && utf8SequenceLength(bytes, i) === 0) i++;
    if (i > badStart) {
      const octal = [...bytes.subarray(badStart, i)].map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('');
      parts.push(`"$(printf '${octal}')"`);
    }
  }
  return parts.length === 0 ? "''" : parts.join('');
}

/** Quote one value as a single POSIX shell word that expands to exactly its bytes. */
export function shellQuote(value: string | Buffer): string {
  return typeof value === 'string' ? quoteText(value) : quoteBytes(value);
}

function quoteValue(value: unknown): string {
  if (isRaw(value)) return value[RAW];
  if (typeof value === 'string' || Buffer.isBuffer(value)) return shellQuote(value);
  if (typeof value === 'number' || typeof value === 'bigint') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`sh: cannot interpolate ${value}`);
    return shellQuote(String(value));
  }
  if (Array.isArray(value)) return value.map(quoteValue).join(' ');
  throw new TypeError(`sh: cannot interpolate a value of type ${value === null ? 'null' : typeof value}`);
}

/** Tagged template: every interpolated value is quoted (arrays become space-separated words); use raw() for literal fragments. */
export function sh(strings: TemplateStringsArray, ...values: unknown[]): string {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += quoteValue(value) + (strings[i + 1] ?? '');
  });
  return out;
}
