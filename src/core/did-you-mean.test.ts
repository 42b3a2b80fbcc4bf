import { describe, expect, it } from 'vitest';
import { closestMatch, didYouMean } from './did-you-mean.ts';

describe('didYouMean', () => {
  const types = ['equals', 'contains', 'icontains', 'not-contains', 'regex', 'json-schema'];

  it('suggests the closest candidate for a typo', () => {
    expect(didYouMean('contain', types)).toBe("did you mean 'contains'?");
    expect(didYouMean('jsonschema', types)).toBe("did you mean 'json-schema'?");
    expect(didYouMean('REGEX', types)).toBe("did you mean 'regex'?");
    expect(didYouMean('vaule', ['value', 'mode'])).toBe("did you mean 'value'?");
  });

  it('returns undefined when nothing is close', () => {
    expect(didYouMean('eq', types)).toBeUndefined();
    expect(didYouMean('banana', types)).toBeUndefined();
    expect(didYouMean('x', [])).toBeUndefined();
    expect(didYouMean('min', ['max'])).toBeUndefined();
  });

  it('prefers the smaller distance, then the earlier candidate', () => {
    expect(closestMatch('icontain', types)).toBe('icontains');
    expect(closestMatch('abc', ['abd', 'abe'])).toBe('abd');
  });
});

describe('closestMatch with maxDistance', () => {
  it('only tightens the limit', () => {
    expect(closestMatch('frequncyPenaty', ['frequencyPenalty'])).toBe('frequencyPenalty');
    expect(closestMatch('frequncyPenaty', ['frequencyPenalty'], { maxDistance: 2 })).toBe('frequencyPenalty');
    expect(closestMatch('frqncyPenaty', ['frequencyPenalty'], { maxDistance: 2 })).toBeUndefined();
    expect(closestMatch('frqncyPenaty', ['frequencyPenalty'])).toBe('frequencyPenalty');
    expect(closestMatch('ab', ['xy'], { maxDistance: 5 })).toBeUndefined();
  });
});
