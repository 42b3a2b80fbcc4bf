export type PiiKind = 'email' | 'phone' | 'card' | 'ssn' | 'iban' | 'national-id';

export const PII_KINDS: readonly PiiKind[] = ['email', 'phone', 'card', 'ssn', 'iban', 'national-id'];

export interface PiiMatch {
  kind: PiiKind;
  /** The value with all but its last few characters hidden; the full value is never kept. */
  masked: string;
  index: number;
}

interface Detector {
  kind: PiiKind;
  pattern: RegExp;
  /** Confirms a candidate (checksums, reserved ranges); returns the exact matched text or undefined. */
  accept?: (match: string) => string | undefined;
}

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function ibanValid(compact: string): boolean {
  if (compact.length < 15 || compact.length > 34) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const value = code >= 65 ? String(code - 55) : ch; // A=10 … Z=35
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

// Order matters: stricter, checksummed kinds claim their text first so a card number is not also
// reported as a phone number.
const DETECTORS: Detector[] = [
  {
    kind: 'iban',
    pattern: /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![A-Za-z0-9])/g,
    // A trailing word in capitals can be swallowed as a last group: retry without trailing groups.
    accept: (match) => {
      const groups = match.split(' ');
      for (let n = groups.length; n >= 1; n--) {
        const candidate = groups.slice(0, n).join(' ');
        if (ibanValid(candidate.replaceAll(' ', ''))) return candidate;
      }
      return undefined;
    },
  },
  {
    kind: 'card',
    // 13–19 digits: contiguous, in groups of four, or Amex/Diners 4-6-5/4-6-4, one separator style.
    pattern:
      /(?<![\d-])(?:\d{13,19}|\d{4}([ -])\d{4}\1\d{4}\1\d{1,4}(?:\1\d{1,3})?|\d{4}([ -])\d{6}\2\d{4,5})(?![\d])/g,
    accept: (match) => (luhnValid(match.replace(/[ -]/g, '')) ? match : undefined),
  },
  {
    kind: 'ssn',
    pattern: /(?<![\d-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\d-])/g,
    accept: (match) => {
      const [area, group, serial] = match.split(/[- ]/) as [string, string, string];
      const reserved =
        area === '000' || area === '666' || area.startsWith('9') || group === '00' || serial === '0000';
      return reserved ? undefined : match;
    },
  },
  {
    kind: 'phone',
    // International (leading +, 8–15 digits) or US (3-3-4 with separators, optional +1 / (area)).
    pattern:
      /(?<![\w+])\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,6}(?!\d)|(?<![\w(])(?:1[ .-]?)?(?:\(\d{3}\)[ .-]?|\d{3}[ .-])\d{3}[ .-]\d{4}(?!\d)/g,
    accept: (match) => {
      const digits = match.replace(/\D/g, '').length;
      return match.startsWith('+') && (digits < 8 || digits > 15) ? undefined : match;
    },
  },
  {
    kind: 'email',
    pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g,
  },
  {
    kind: 'national-id',
    // UK National Insurance number: two prefix letters (with the excluded letters and pairs), six
    // digits, suffix A–D.
    pattern:
      /(?<![A-Za-z0-9])(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![A-Za-z0-9])/g,
  },
];

function mask(kind: PiiKind, value: string): string {
  if (kind === 'email') {
    const at = value.indexOf('@');
    return `${value[0]}***${value.slice(at)}`;
  }
  // Keep separators and the last 4 letters/digits, hide the rest.
  let keep = 4;
  const out: string[] = [];
  for (let i = value.length - 1; i >= 0; i--) {
    const ch = value[i] as string;
    if (/[A-Za-z0-9]/.test(ch)) {
      out.push(keep > 0 ? ch : '*');
      keep--;
    } else out.push(ch);
  }
  return out.reverse().join('');
}

/** Finds personal data of the given kinds in text; overlapping candidates are reported once. */
export function findPii(text: string, kinds: readonly PiiKind[] = PII_KINDS): PiiMatch[] {
  const claimed: [number, number][] = [];
  const found: PiiMatch[] = [];
  for (const detector of DETECTORS) {
    const wanted = kinds.includes(detector.kind);
    for (const m of text.matchAll(detector.pattern)) {
      const value = detector.accept ? detector.accept(m[0]) : m[0];
      if (value === undefined) continue;
      const start = m.index;
      const end = start + value.length;
      if (claimed.some(([s, e]) => start < e && end > s)) continue;
      // Claim even unwanted kinds, so a card excluded by `kinds` is not then reported as a phone.
      claimed.push([start, end]);
      if (wanted) found.push({ kind: detector.kind, masked: mask(detector.kind, value), index: start });
    }
  }
  return found.sort((a, b) => a.index - b.index);
}
