import { loadCatalogue } from '../common/messages.js';
import { EMPLOYMENT_TYPE_WORDS, EMPLOYMENT_TYPES, employmentTypeOf } from './employment.js';

describe('employment types', () => {
  it('read the CSV word in Japanese or English, the code, or an alias, whatever the width, case and spaces', () => {
    expect(employmentTypeOf('会計年度任用職員')).toBe('fiscal_year_appointed');
    expect(employmentTypeOf(' 会計年度 ')).toBe('fiscal_year_appointed');
    expect(employmentTypeOf('Fiscal-year appointed staff')).toBe('fiscal_year_appointed');
    expect(employmentTypeOf('FISCAL_YEAR_APPOINTED')).toBe('fiscal_year_appointed');
    expect(employmentTypeOf('正規職員')).toBe('regular');
    expect(employmentTypeOf('ｒｅｇｕｌａｒ')).toBe('regular');
    expect(employmentTypeOf('臨時')).toBe('temporary');
    expect(employmentTypeOf('委託先職員')).toBe('contractor');
    expect(employmentTypeOf('Contractor staff')).toBe('contractor');
    expect(employmentTypeOf('派遣')).toBeNull();
    expect(employmentTypeOf('')).toBeNull();
  });

  it('name each type on the pages as the CSV words do', () => {
    const ja = loadCatalogue('ja');
    const en = loadCatalogue('en');
    for (const type of EMPLOYMENT_TYPES) {
      expect(ja[`employmentType.${type}`]).toBe(EMPLOYMENT_TYPE_WORDS[type].ja);
      expect(en[`employmentType.${type}`]).toBe(EMPLOYMENT_TYPE_WORDS[type].en);
    }
  });
});
