import { indicatorStatus } from './indicator-status.js';

describe('indicatorStatus', () => {
  const percent = { unit: 'percent', direction: 'higher', target: 100 } as const;

  it('is no_data without a value or without a target', () => {
    expect(indicatorStatus({ ...percent, value: null, yearOver: true })).toBe('no_data');
    expect(indicatorStatus({ ...percent, target: null, value: 50, yearOver: false })).toBe('no_data');
  });

  it('judges a year that is over against its target only', () => {
    expect(indicatorStatus({ ...percent, value: 100, yearOver: true })).toBe('met');
    expect(indicatorStatus({ ...percent, value: 99.9, projected: 100, yearOver: true })).toBe('not_met');
    expect(indicatorStatus({ unit: 'count', direction: 'lower', target: 0, value: 0, yearOver: true })).toBe('met');
  });

  it('judges a year in progress by its pace', () => {
    expect(indicatorStatus({ ...percent, value: 62.5, projected: 100, yearOver: false })).toBe('on_track');
    expect(indicatorStatus({ ...percent, value: 62.5, projected: 97.5, yearOver: false })).toBe('at_risk');
    expect(indicatorStatus({ ...percent, value: 100, yearOver: false })).toBe('on_track');
  });

  it('settles counts that can only grow', () => {
    expect(indicatorStatus({ unit: 'count', direction: 'higher', target: 1, value: 1, yearOver: false })).toBe('met');
    expect(indicatorStatus({ unit: 'count', direction: 'higher', target: 1, value: 0, projected: 1, yearOver: false })).toBe('on_track');
    expect(indicatorStatus({ unit: 'count', direction: 'higher', target: 1, value: 0, projected: 0, yearOver: false })).toBe('at_risk');
    expect(indicatorStatus({ unit: 'count', direction: 'lower', target: 0, value: 1, yearOver: false })).toBe('not_met');
    expect(indicatorStatus({ unit: 'count', direction: 'lower', target: 0, value: 0, yearOver: false })).toBe('on_track');
  });
});
