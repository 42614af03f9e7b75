import { eraYear, excelDate, fiscalYearOf, formatDate, formatDateTime, formatFiscalYear } from './dates.js';

describe('dates as Mamori writes them', () => {
  it('writes a calendar date in Japanese and in English', () => {
    expect(formatDate('2026-11-30', 'ja')).toBe('2026年11月30日');
    expect(formatDate('2026-11-30', 'en')).toBe('30 November 2026');
    expect(formatDate('2025-05-01', 'ja')).toBe('2025年5月1日');
    expect(formatDate('2025-05-01', 'en')).toBe('1 May 2025');
  });

  it('takes a Date as its day in Tokyo, and writes nothing for what is not a date', () => {
    expect(formatDate(new Date('2026-11-30T15:30:00Z'), 'ja')).toBe('2026年12月1日'); // 00:30 in Tokyo
    for (const value of [null, undefined, '', '2026-02-30', '30/11/2026', new Date('x')]) expect(formatDate(value, 'ja')).toBe('');
  });

  it('writes a moment in Asia/Tokyo', () => {
    const moment = new Date('2026-11-30T05:05:00Z');
    expect(formatDateTime(moment, 'ja')).toBe('2026/11/30 14:05');
    expect(formatDateTime(moment, 'en')).toBe('30 Nov 2026 14:05');
    expect(formatDateTime('2026-01-01T00:00:00Z', 'ja')).toBe('2026/01/01 09:00');
    expect(formatDateTime(new Date('2026-12-31T15:00:00Z'), 'en')).toBe('1 Jan 2027 00:00'); // midnight is 00, not 24
    expect(formatDateTime(null, 'ja')).toBe('');
    expect(formatDateTime('not a date', 'en')).toBe('');
  });

  it('reckons the fiscal year from April in Tokyo', () => {
    expect(fiscalYearOf('2026-04-01')).toBe(2026);
    expect(fiscalYearOf('2027-03-31')).toBe(2026);
    expect(fiscalYearOf('2026-03-31')).toBe(2025);
    expect(fiscalYearOf(new Date('2026-03-31T15:00:00Z'))).toBe(2026); // 1 April 00:00 in Tokyo
    expect(() => fiscalYearOf('soon')).toThrow();
  });

  it('names a fiscal year by its era year, with 元年 for the first', () => {
    expect(formatFiscalYear(2026, 'ja')).toBe('令和8年度（2026年度）');
    expect(formatFiscalYear(2019, 'ja')).toBe('令和元年度（2019年度）'); // begins in April, while still Heisei
    expect(formatFiscalYear(2020, 'ja')).toBe('令和2年度（2020年度）');
    expect(formatFiscalYear(2018, 'ja')).toBe('平成30年度（2018年度）');
    expect(formatFiscalYear(2026, 'en')).toBe('FY2026 (April 2026 – March 2027)');
    for (let year = 2019; year <= 2040; year++) expect(eraYear(year)).toBe(year === 2019 ? '令和元年' : `令和${year - 2018}年`);
  });

  it('gives XLSX cells real dates', () => {
    expect(excelDate('2026-11-30')).toEqual(new Date(Date.UTC(2026, 10, 30)));
    expect(excelDate('')).toBeNull();
    expect(excelDate(null)).toBeNull();
  });
});
