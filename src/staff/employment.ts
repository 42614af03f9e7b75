/**
 * 雇用形態: how a person is employed by the town. One list for the entity's check constraint, the
 * API's enum, the pages' select and the words of the HR system's CSV.
 */
export const EMPLOYMENT_TYPES = ['regular', 'fiscal_year_appointed', 'temporary', 'contractor'] as const;
export type EmploymentType = (typeof EMPLOYMENT_TYPES)[number];

export const DEFAULT_EMPLOYMENT_TYPE: EmploymentType = 'regular';

/**
 * The words for each type: `ja` and `en` are what a person reads (the pages' catalogues say the
 * same); a CSV cell may hold either, the code, or one of the `aliases` HR systems write.
 */
export const EMPLOYMENT_TYPE_WORDS: Readonly<Record<EmploymentType, { ja: string; en: string; aliases: readonly string[] }>> = {
  regular: { ja: '正規職員', en: 'Regular staff', aliases: ['正規', '正職員'] },
  fiscal_year_appointed: { ja: '会計年度任用職員', en: 'Fiscal-year appointed staff', aliases: ['会計年度任用', '会計年度'] },
  temporary: { ja: '臨時職員', en: 'Temporary staff', aliases: ['臨時', '臨時的任用職員'] },
  contractor: { ja: '委託先職員', en: 'Contractor staff', aliases: ['委託先', '委託'] },
};

/** A word as compared: full-width letters and spaces folded (NFKC), lower case, without spaces, hyphens or underscores. */
const folded = (word: string): string =>
  word
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_-]+/g, '');

const BY_WORD = new Map<string, EmploymentType>(
  EMPLOYMENT_TYPES.flatMap((type) => {
    const { ja, en, aliases } = EMPLOYMENT_TYPE_WORDS[type];
    return [type, ja, en, ...aliases].map((word) => [folded(word), type] as const);
  }),
);

/** The type a CSV cell names (Japanese or English word, code or alias), or null for an unknown word. */
export function employmentTypeOf(word: string): EmploymentType | null {
  return BY_WORD.get(folded(word)) ?? null;
}
