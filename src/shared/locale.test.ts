import { describe, expect, it } from 'vitest';
import { clockText, dateTimeText, negotiateLanguage, offsetLabel, utcOffset } from './locale.js';

describe('language negotiation (Accept-Language)', () => {
  it.each([
    [undefined, 'en'],
    ['', 'en'],
    ['zh', 'zh'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh'],
    ['zh-Hant-TW', 'zh'],
    ['en-US,en;q=0.9,zh-CN;q=0.8', 'en'],
    ['fr-FR, zh;q=0.5, en;q=0.4', 'zh'],
    ['en;q=0.2, zh;q=0.7', 'zh'],
    ['zh;q=0, en', 'en'],
    // "zhx" is no Chinese tag, nor is "eng".
    ['zhx, eng', 'en'],
    ['de, fr', 'en'],
  ])('%s -> %s', (header, expected) => {
    expect(negotiateLanguage(header)).toBe(expected);
  });
});

describe('time in a zone', () => {
  it('gives the offset at the instant, across daylight saving and in half- and three-quarter-hour zones', () => {
    expect(utcOffset('Asia/Shanghai', new Date('2026-07-01T00:00:00Z'))).toBe('+08:00');
    expect(utcOffset('America/New_York', new Date('2026-01-15T12:00:00Z'))).toBe('-05:00');
    expect(utcOffset('America/New_York', new Date('2026-07-15T12:00:00Z'))).toBe('-04:00');
    expect(utcOffset('Asia/Kolkata', new Date('2026-07-15T12:00:00Z'))).toBe('+05:30');
    expect(utcOffset('Asia/Kathmandu', new Date('2026-07-15T12:00:00Z'))).toBe('+05:45');
    expect(utcOffset('UTC', new Date('2026-07-15T12:00:00Z'))).toBe('+00:00');
    expect(offsetLabel('Asia/Shanghai', new Date('2026-07-01T00:00:00Z'))).toBe('UTC+8');
    expect(offsetLabel('Asia/Kolkata', new Date('2026-07-01T00:00:00Z'))).toBe('UTC+5:30');
    expect(offsetLabel('America/St_Johns', new Date('2026-01-01T00:00:00Z'))).toBe('UTC-3:30');
    expect(offsetLabel('UTC', new Date('2026-07-01T00:00:00Z'))).toBe('UTC');
    // Europe/Berlin switches to summer time at 01:00 UTC on 29 March 2026.
    expect(offsetLabel('Europe/Berlin', new Date('2026-03-29T00:59:00Z'))).toBe('UTC+1');
    expect(offsetLabel('Europe/Berlin', new Date('2026-03-29T01:00:00Z'))).toBe('UTC+2');
  });

  it('writes the date only when the day in the zone differs from the reference, and the year only across years', () => {
    const shanghai = { language: 'en', timeZone: 'Asia/Shanghai' } as const;
    // 16:30 UTC on the 27th is already the 28th in Shanghai: the same day as 01:00 UTC on the 28th there.
    expect(clockText(shanghai, '2026-11-27T16:30:00Z', '2026-11-28T01:00:00Z')).toBe('00:30');
    expect(clockText({ language: 'en', timeZone: 'UTC' }, '2026-11-27T16:30:00Z', '2026-11-28T01:00:00Z')).toBe('27 Nov 16:30');
    expect(clockText({ language: 'zh', timeZone: 'UTC' }, '2026-11-27T16:30:00Z', '2026-11-28T01:00:00Z')).toBe('11月27日 16:30');
    expect(clockText(shanghai, '2026-12-31T15:00:00Z', '2026-12-01T00:00:00Z')).toBe('31 Dec 23:00');
    expect(clockText(shanghai, '2026-12-31T16:00:00Z', '2026-12-01T00:00:00Z')).toBe('1 Jan 2027 00:00');
    expect(clockText({ language: 'zh', timeZone: 'Asia/Shanghai' }, '2026-12-31T16:00:00Z', '2026-12-01T00:00:00Z')).toBe('2027年1月1日 00:00');
    expect(dateTimeText(shanghai, '2026-11-27T16:30:00Z')).toBe('2026-11-28 00:30 UTC+8');
  });
});
