import { describe, expect, it } from 'vitest';
import {
  containerCheckDigit,
  isValidContainerNumber,
  isValidImoNumber,
  isValidUscc,
  usccCheckCharacter,
} from './check-digits.js';

describe('unified social credit code (GB 32100-2015)', () => {
  it('accepts codes published by the enterprises themselves', () => {
    expect(isValidUscc('914403001922038216')).toBe(true); // Huawei Technologies Co., Ltd.
    expect(isValidUscc('9144030071526726XG')).toBe(true); // Tencent Technology (Shenzhen) Co., Ltd.
  });

  it('accepts the README fixtures, whose check characters were computed with this algorithm', () => {
    expect(isValidUscc('91310115MA1H7L0Q2K')).toBe(true); // declarant
    expect(isValidUscc('91310000MA1K4A2B90')).toBe(true); // consignee
  });

  it('computes the check character, writing 31 as 0', () => {
    expect(usccCheckCharacter('9144030071526726X')).toBe('G');
    expect(usccCheckCharacter('91440300192203821')).toBe('6');
    // The consignee fixture is a case where 31 - (sum mod 31) = 31.
    expect(usccCheckCharacter('91310000MA1K4A2B9')).toBe('0');
  });

  it('gives no check character for a prefix that is not 17 code characters', () => {
    expect(usccCheckCharacter('9144030071526726')).toBeUndefined();
    expect(usccCheckCharacter('9144030071526726XG')).toBeUndefined();
    expect(usccCheckCharacter('9144030071526726I')).toBeUndefined();
    expect(usccCheckCharacter('9144030071526726x')).toBeUndefined();
  });

  it('rejects a wrong check character', () => {
    expect(isValidUscc('914403001922038217')).toBe(false);
    expect(isValidUscc('9144030071526726XH')).toBe(false);
  });

  it('rejects a wrong length', () => {
    expect(isValidUscc('9144030071526726X')).toBe(false);
    expect(isValidUscc('9144030071526726XG0')).toBe(false);
    expect(isValidUscc('')).toBe(false);
  });

  it.each(['I', 'O', 'Z', 'S', 'V'])('rejects the forbidden letter %s', (letter) => {
    // The letter replaces the X of Tencent's code; no check character can make it valid.
    const first17 = `9144030071526726${letter}`;
    expect(usccCheckCharacter(first17)).toBeUndefined();
    for (const check of '0123456789ABCDEFGHJKLMNPQRTUWXY') {
      expect(isValidUscc(`${first17}${check}`)).toBe(false);
    }
  });

  it('rejects lowercase letters', () => {
    expect(isValidUscc('9144030071526726xg')).toBe(false);
    expect(isValidUscc('91310115ma1h7l0q2k')).toBe(false);
  });

  it('rejects a code whose check character is right but whose structure is not', () => {
    const withCheck = (first17: string): string => `${first17}${usccCheckCharacter(first17) ?? ''}`;
    // 0 is not a registration authority.
    expect(isValidUscc(withCheck('0144030071526726X'))).toBe(false);
    // Market regulation (9) registers entity types 1, 2 and 3 only.
    expect(isValidUscc(withCheck('9444030071526726X'))).toBe(false);
    // 99 is not a province of GB/T 2260.
    expect(isValidUscc(withCheck('9199030071526726X'))).toBe(false);
    // The administrative division is six digits.
    expect(isValidUscc(withCheck('91A40300715267260'))).toBe(false);
    // The same prefix with a valid structure passes, so the rejections above come from the structure.
    expect(isValidUscc(withCheck('9144030071526726X'))).toBe(true);
  });
});

describe('container number (ISO 6346)', () => {
  it("accepts Wikipedia's published example", () => {
    expect(isValidContainerNumber('CSQU3054383')).toBe(true);
    expect(containerCheckDigit('CSQU305438')).toBe(3);
  });

  it('accepts the README fixture, whose check digit was computed with this algorithm', () => {
    expect(containerCheckDigit('MSKU123456')).toBe(5);
    expect(isValidContainerNumber('MSKU1234565')).toBe(true);
  });

  it('writes a remainder of 10 as 0', () => {
    expect(containerCheckDigit('CSQU000007')).toBe(0);
    expect(isValidContainerNumber('CSQU0000070')).toBe(true);
  });

  it('accepts the equipment categories J and Z as well as U', () => {
    const forCategory = (category: string): string => {
      const first10 = `CSQ${category}305438`;
      return `${first10}${containerCheckDigit(first10) ?? ''}`;
    };
    expect(isValidContainerNumber(forCategory('J'))).toBe(true);
    expect(isValidContainerNumber(forCategory('Z'))).toBe(true);
  });

  it('rejects a wrong check digit', () => {
    expect(isValidContainerNumber('CSQU3054384')).toBe(false);
    expect(isValidContainerNumber('MSKU1234567')).toBe(false);
  });

  it('rejects an unknown equipment category even when the digit sum would match', () => {
    // CSQA305438 sums to a check digit of 3, but A is not an ISO 6346 category.
    expect(containerCheckDigit('CSQA305438')).toBeUndefined();
    expect(isValidContainerNumber('CSQA3054383')).toBe(false);
  });

  it('rejects a wrong length, lowercase letters and a malformed owner code', () => {
    expect(isValidContainerNumber('CSQU305438')).toBe(false);
    expect(isValidContainerNumber('CSQU30543830')).toBe(false);
    expect(isValidContainerNumber('csqu3054383')).toBe(false);
    expect(isValidContainerNumber('C5QU3054383')).toBe(false);
    expect(containerCheckDigit('CSQU30543')).toBeUndefined();
  });
});

describe('IMO ship number', () => {
  it("accepts Wikipedia's published example and Emma Mærsk's number", () => {
    expect(isValidImoNumber('9074729')).toBe(true);
    expect(isValidImoNumber('9321483')).toBe(true);
  });

  it('rejects a wrong check digit', () => {
    expect(isValidImoNumber('9074728')).toBe(false);
    expect(isValidImoNumber('9321484')).toBe(false);
  });

  it('accepts exactly seven digits and nothing else', () => {
    expect(isValidImoNumber('IMO9074729')).toBe(false);
    expect(isValidImoNumber('IMO 9074729')).toBe(false);
    expect(isValidImoNumber('907472')).toBe(false);
    expect(isValidImoNumber('90747290')).toBe(false);
    expect(isValidImoNumber(' 9074729')).toBe(false);
    expect(isValidImoNumber('')).toBe(false);
  });
});
