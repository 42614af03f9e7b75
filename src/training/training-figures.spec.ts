import { completionRate, defaultAsOf, endOfDayBound } from './training-figures.service.js';

describe('training figures: the day they are taken at, and the rate', () => {
  it('takes a fiscal year’s figures today while it runs, and on 31 March once it is over', () => {
    expect(defaultAsOf(2022, '2022-11-30')).toBe('2022-11-30');
    expect(defaultAsOf(2022, '2023-03-31')).toBe('2023-03-31');
    expect(defaultAsOf(2022, '2023-04-01')).toBe('2023-03-31');
    expect(defaultAsOf(2022, '2026-06-01')).toBe('2023-03-31');
  });

  it('counts what happened before midnight at the end of the day in Tokyo', () => {
    expect(endOfDayBound('2023-03-31').toISOString()).toBe('2023-03-31T15:00:00.000Z');
    const lastMinute = new Date('2023-03-31T23:59:59.999+09:00');
    const april = new Date('2023-04-01T00:00:00+09:00');
    expect(lastMinute < endOfDayBound('2023-03-31')).toBe(true);
    expect(april < endOfDayBound('2023-03-31')).toBe(false);
  });

  it('is completed ÷ (enrolled − exempt) to four decimals, and none when nobody is owed', () => {
    expect(completionRate({ enrolled: 7, exempt: 1, completed: 4 })).toBe(0.6667);
    expect(completionRate({ enrolled: 12, exempt: 0, completed: 12 })).toBe(1);
    expect(completionRate({ enrolled: 3, exempt: 3, completed: 0 })).toBeNull();
    expect(completionRate({ enrolled: 0, exempt: 0, completed: 0 })).toBeNull();
  });
});
