import { describe, expect, it } from 'vitest';
import {
  checkDays,
  checkHorizon,
  checkMoney,
  checkPercent,
  checkServiceLevel,
  checkUnits,
  defaultHint,
  fieldState,
  orDefault,
} from './fields';

describe('planning fields checked before anything is sent', () => {
  it('reads a service level in percent, 50 to 99.9, and questions one typed as a fraction', () => {
    expect(checkServiceLevel('')).toEqual({ ok: true, value: undefined });
    expect(checkServiceLevel('95')).toEqual({ ok: true, value: 95 });
    expect(checkServiceLevel('99,5')).toEqual({ ok: true, value: 99.5 });
    expect(checkServiceLevel('0.95')).toEqual({ ok: false, message: 'Service level is in percent: did you mean 95%? Type 95, not 0.95' });
    expect(checkServiceLevel('1')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^Service level is in percent: 1 would be 1%/),
    });
    for (const wrong of ['40', '100', '99.95', 'abc', '-5'])
      expect(checkServiceLevel(wrong), wrong).toEqual({ ok: false, message: 'Service level must be between 50 and 99.9%' });
  });

  it('reads days, units and money as 0 or more, saying what the field is in', () => {
    expect(checkDays('7', 'Lead time')).toEqual({ ok: true, value: 7 });
    expect(checkDays('0', 'Review period')).toEqual({ ok: true, value: 0 });
    expect(checkDays('-1', 'Lead time')).toEqual({ ok: false, message: 'Lead time is in days, 0 or more' });
    expect(checkDays('400', 'Lead time')).toEqual({ ok: false, message: 'Lead time is in days, at most 365' });
    expect(checkUnits('x', 'Stock on hand')).toEqual({ ok: false, message: 'Stock on hand is in units, 0 or more' });
    expect(checkMoney('0', 'Price')).toEqual({ ok: false, message: 'Price is an amount per unit, more than 0' });
    expect(checkMoney('0', 'Unit cost')).toEqual({ ok: true, value: 0 });
    expect(checkPercent('120', 'Discount')).toEqual({ ok: false, message: 'Discount is a percent, from 0 to 100' });
    expect(checkHorizon('', 180)).toEqual({ ok: false, message: 'Horizon is in days, from 1 to 180' });
    expect(checkHorizon('2.5', 8, 'weeks')).toEqual({ ok: false, message: 'Horizon is in whole weeks, from 1 to 8' });
  });

  it("highlights the field, and fills an empty one with the buyer's default", () => {
    expect(fieldState(checkDays('-1', 'Lead time'))).toEqual({
      validationState: 'error',
      validationMessage: 'Lead time is in days, 0 or more',
    });
    expect(fieldState(checkDays('1', 'Lead time'))).toEqual({});
    expect(orDefault(checkDays('', 'Lead time'), 5)).toBe(5);
    expect(orDefault(checkDays('3', 'Lead time'), 5)).toBe(3);
    expect(orDefault(checkDays('-3', 'Lead time'), 5)).toBeUndefined();
    expect(defaultHint(5, 'days')).toBe('5 days (your default)');
    expect(defaultHint(undefined, 'days')).toBe('from data');
  });
});
