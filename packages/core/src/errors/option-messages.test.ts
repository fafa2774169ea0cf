import { describe, expect, it } from 'vitest';
import { closestName, unknownKeysMessage } from './option-messages.js';

describe('closestName', () => {
  it('suggests a name differing by case, separators, a plural, a typo or a missing half', () => {
    const known = ['fallback', 'loadbalance', 'maxMsPerOutputToken', 'failureRateThreshold', 'cooldownMs', 'retries', 'weight'];
    expect(['Fallback', 'fallbacks', 'load_balance', 'loadBalance', 'fallbak', 'weigth', 'retrys', 'cooldown', 'treshold', 'max_ms_per_output_token'].map((name) => closestName(name, known))).toEqual([
      'fallback',
      'fallback',
      'loadbalance',
      'loadbalance',
      'fallback',
      'weight',
      'retries',
      'cooldownMs',
      'failureRateThreshold',
      'maxMsPerOutputToken',
    ]);
  });

  it('suggests nothing for a name that is not close to any', () => {
    expect(['colour', 'model', 'x', 'targets', ''].map((name) => closestName(name, ['fallback', 'weight', 'retry']))).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(unknownKeysMessage(['colour'], [])).toBe("unknown key 'colour'");
    expect(unknownKeysMessage(['a', 'retyr'], ['retry'])).toBe("unknown keys 'a', 'retyr' (did you mean 'retry'?); known keys: 'retry'");
  });
});
