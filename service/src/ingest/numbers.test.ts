import { describe, expect, it } from 'vitest';
import { parseBoolean, parseExtra, parseId, parseNumber } from './numbers';

describe('parseNumber', () => {
  it.each([
    ['12', 12],
    ['-3.5', -3.5],
    [' 7 ', 7],
    ['$1,234.50', 1234.5],
    ['-$5', -5],
    ['$-5', -5],
    ['£3', 3],
    ['€ 2.25', 2.25],
    ['(12.50)', -12.5],
    ['20%', 20],
    ['1e3', 1000],
    ['.5', 0.5],
    [4.25, 4.25],
  ] as const)('%s -> %s', (raw, n) => {
    expect(parseNumber(raw)).toBe(n);
  });

  it('gives null for empty cells', () => {
    expect(parseNumber('')).toBeNull();
    expect(parseNumber('  ')).toBeNull();
    expect(parseNumber(null)).toBeNull();
  });

  it.each(['=1+2', 'abc', '1,5', '12,34,5', '--5', 'Infinity', 'NaN', '0x10', '#N/A', '1 2', '0,750', '00,500'])('rejects %s', (raw) => {
    expect(parseNumber(raw)).toBeUndefined();
  });

  it.each([
    ['2,49', 2.49],
    ['0,750', 0.75],
    ['1,250', 1.25],
    ['1.234,5', 1234.5],
    ['12.345.678,90', 12345678.9],
    ['-3,5', -3.5],
    ['2,49 €', 2.49],
    ['€ 2,49', 2.49],
    ['(2,00)', -2],
    ['0.75', 0.75],
    ['7', 7],
    ['5,', 5],
  ] as const)('with a decimal comma, %s -> %s', (raw, n) => {
    expect(parseNumber(raw, true)).toBe(n);
  });

  it.each(['1,234,567', '1.23,4', '2,4,9', 'abc'])('with a decimal comma, rejects %s', (raw) => {
    expect(parseNumber(raw, true)).toBeUndefined();
  });

  it('reads a trailing currency symbol', () => {
    expect(parseNumber('2.49 €')).toBe(2.49);
    expect(parseNumber('3$')).toBe(3);
  });

  it('rejects booleans and dates', () => {
    expect(parseNumber(true)).toBeUndefined();
    expect(parseNumber(new Date())).toBeUndefined();
  });
});

describe('parseBoolean', () => {
  it.each([
    ['1', true],
    ['0', false],
    ['TRUE', true],
    ['false', false],
    ['Yes', true],
    ['no', false],
    ['y', true],
    ['N', false],
    ['t', true],
    ['F', false],
    ['2', true],
    ['0.0', false],
    [1, true],
    [0, false],
    [true, true],
  ] as const)('%s -> %s', (raw, b) => {
    expect(parseBoolean(raw)).toBe(b);
  });

  it('gives null for empty and undefined for nonsense', () => {
    expect(parseBoolean('')).toBeNull();
    expect(parseBoolean('maybe')).toBeUndefined();
  });
});

describe('parseId', () => {
  it('trims and prints numbers briefly', () => {
    expect(parseId('  S01 ')).toBe('S01');
    expect(parseId(2)).toBe('2');
    expect(parseId('17850.0')).toBe('17850');
    expect(parseId('1.5')).toBe('1.5');
    expect(parseId('-1')).toBe('-1');
  });

  it('refuses formula starts and empty ids', () => {
    for (const bad of ['=1+2', '+44', '@A1', '\tX', '\rX', ' =x']) expect(parseId(bad)).toBeUndefined();
    expect(parseId('')).toBeNull();
    expect(parseId(null)).toBeNull();
  });
});

describe('parseExtra', () => {
  it('keeps numbers as numbers and codes as text', () => {
    expect(parseExtra('135.47')).toBe(135.47);
    expect(parseExtra('00123')).toBe('00123');
    expect(parseExtra('12345678901234567890')).toBe('12345678901234567890');
    expect(parseExtra('Rainy')).toBe('Rainy');
    expect(parseExtra(' ')).toBeUndefined();
    expect(parseExtra(3)).toBe(3);
  });
});
