import { describe, expect, it } from 'vitest';
import { findPii } from './find-pii.ts';

const kinds = (text: string) => findPii(text).map((m) => m.kind);

describe('findPii', () => {
  it('finds emails and masks the local part', () => {
    expect(findPii('write to jane.doe+x@mail.example.co.uk now')).toEqual([
      { kind: 'email', masked: 'j***@mail.example.co.uk', index: 9 },
    ]);
  });

  it('finds US and international phone numbers', () => {
    for (const phone of [
      '(555) 123-4567',
      '555-123-4567',
      '555.123.4567',
      '+1 555 123 4567',
      '+44 20 7946 0958',
      '+49 30 123456',
    ]) {
      expect(kinds(`call ${phone} today`), phone).toEqual(['phone']);
    }
  });

  it('does not take dates, versions, times or short numbers for phones', () => {
    expect(kinds('on 2024-05-01 at 10:30, v1.2.3, room 1234 5678, order 12345')).toEqual([]);
  });

  it('finds Luhn-valid card numbers with or without separators, masked to the last 4', () => {
    expect(findPii('card 4111 1111 1111 1111.')).toEqual([
      { kind: 'card', masked: '**** **** **** 1111', index: 5 },
    ]);
    expect(kinds('5500-0000-0000-0004')).toEqual(['card']);
    expect(kinds('amex 378282246310005')).toEqual(['card']);
    expect(kinds('amex 3782 822463 10005')).toEqual(['card']);
  });

  it('ignores digit strings that fail Luhn or have the wrong length', () => {
    expect(kinds('4111111111111112 and 411111111111 and 12345678901234567890')).toEqual([]);
    // Runs of other numbers separated by spaces or dashes are not one card, even if Luhn-valid together.
    expect(kinds('000-12-3456 666-12-3456 9')).toEqual([]);
  });

  it('finds SSNs but not reserved ranges', () => {
    expect(findPii('SSN 123-45-6789')).toEqual([{ kind: 'ssn', masked: '***-**-6789', index: 4 }]);
    expect(kinds('000-12-3456 666-12-3456 900-12-3456 123-00-4567 123-45-0000')).toEqual([]);
  });

  it('finds IBANs with a valid mod-97 checksum, even followed by a capitalised word', () => {
    expect(kinds('IBAN DE89 3704 0044 0532 0130 00 please')).toEqual(['iban']);
    expect(kinds('GB82WEST12345698765432')).toEqual(['iban']);
    const [m] = findPii('pay DE89 3704 0044 0532 0130 00 THANKS');
    expect(m?.masked).toBe('**** **** **** **** **30 00');
    expect(kinds('DE89 3704 0044 0532 0130 01')).not.toContain('iban');
    expect(kinds('GB82WEST12345698765433')).toEqual([]);
  });

  it('finds UK National Insurance numbers, not excluded prefixes', () => {
    expect(kinds('NI number JG 10 37 59 A')).toEqual(['national-id']);
    expect(kinds('AB123456C')).toEqual(['national-id']);
    expect(kinds('QQ123456C GB123456A DA123456A')).toEqual([]);
  });

  it('reports a number once, as its strictest kind, and honours the kinds filter', () => {
    expect(kinds('+1 555 123 4567 and 4111-1111-1111-1111')).toEqual(['phone', 'card']);
    // Excluding cards must not turn a card number into a phone number.
    expect(findPii('4111 1111 1111 1111', ['phone'])).toEqual([]);
    expect(findPii('jane@example.com 123-45-6789', ['ssn']).map((m) => m.kind)).toEqual(['ssn']);
  });
});
