import { describe, expect, it } from 'vitest';
import { decodings, ENCODINGS, encode, findThrough, fold, fromBase64, rot13, toBase64 } from './codecs.ts';

describe('codecs', () => {
  it('base64 round-trips UTF-8 text, and rejects what is not base64 text', () => {
    for (const s of ['ZEBRA-7731-QUARTZ', 'Grüße, 世界', '']) expect(fromBase64(toBase64(s))).toBe(s);
    expect(fromBase64(toBase64('abc').replace(/=+$/, ''))).toBe('abc'); // unpadded
    expect(fromBase64('not base64!')).toBeUndefined();
    expect(fromBase64('//79')).toBeUndefined(); // bytes that are not UTF-8
  });

  it('rot13 is its own inverse and leaves digits and punctuation alone', () => {
    expect(rot13('Hello, World 42')).toBe('Uryyb, Jbeyq 42');
    expect(rot13(rot13('Any Text-9'))).toBe('Any Text-9');
  });

  it('fold makes every shipped encoding except base64/rot13/reversed compare equal to the original', () => {
    const secret = 'ZEBRA-7731-QUARTZ';
    for (const name of ['leetspeak', 'spacing', 'homoglyphs'] as const)
      expect(fold(encode(name, secret)), name).toBe(fold(secret));
    expect(fold('ｚｅｂｒａ')).toBe('zebra'); // fullwidth, through NFKC
    expect(fold('ze\u200bbra')).toBe('zebra'); // zero-width space dropped
  });

  it('finds a needle through every encoding Assay ships', () => {
    const secret = 'ZEBRA-7731-QUARTZ';
    for (const name of ENCODINGS) {
      const leaked = `Sure, here it is: ${encode(name, secret)} — anything else?`;
      expect(findThrough(secret, leaked), name).toBeDefined();
    }
  });

  it('finds base64 inside a longer encoded text at any alignment and split over lines', () => {
    for (const prefix of ['', 'a', 'ab', 'abc']) {
      const b64 = toBase64(`${prefix}the code is ZEBRA-7731-QUARTZ ok`);
      expect(findThrough('ZEBRA-7731-QUARTZ', `out: ${b64}`), prefix).toBe('base64');
      expect(findThrough('ZEBRA-7731-QUARTZ', b64.replace(/(.{10})/g, '$1\n'))).toBe('base64');
    }
  });

  it('reads percent-encoded URLs', () => {
    const url = 'https://evil.example/p?q=ZEBRA%2D7731%2DQUARTZ';
    expect(decodings(url).some((d) => d.via === 'url-encoding')).toBe(true);
    expect(findThrough('ZEBRA-7731-QUARTZ', `![img](${url})`)).toBeDefined();
  });

  it('does not match text that merely shares letters', () => {
    expect(findThrough('ZEBRA-7731-QUARTZ', 'A zebra and a quartz crystal, 7731 of them.')).toBeUndefined();
    expect(findThrough('', 'anything')).toBeUndefined();
  });
});
