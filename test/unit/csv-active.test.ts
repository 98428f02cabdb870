import { describe, expect, it } from 'vitest';
import { ACCEPTED_ACTIVE_VALUES, parseActiveValue } from '../../src-main/core/connectors/csv/active-value';

describe('parseActiveValue', () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    [' True ', true],
    ['t', true],
    ['yes', true],
    ['Y', true],
    ['1', true],
    ['Active', true],
    ['enabled', true],
    ['false', false],
    ['F', false],
    ['no', false],
    ['n', false],
    ['0', false],
    ['INACTIVE', false],
    ['Disabled', false],
    ['deactivated', false],
    ['Suspended', false],
    ['terminated', false],
  ])('reads %j as %s', (cell, expected) => {
    expect(parseActiveValue(cell)).toBe(expected);
  });

  it.each(['', ' ', 'maybe', 'on leave', 'pending', '2', '-1', 'yes please', 'tru', 'on', 'off', '1.0', 'null'])(
    'refuses to guess %j',
    (cell) => {
      expect(parseActiveValue(cell)).toBeUndefined();
    },
  );

  it('lists every accepted spelling for messages', () => {
    expect(ACCEPTED_ACTIVE_VALUES).toBe(
      'true/false, t/f, yes/no, y/n, 1/0, active/inactive, enabled/disabled, deactivated, suspended, terminated',
    );
  });
});
