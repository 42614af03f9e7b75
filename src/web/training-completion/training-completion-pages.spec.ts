import { LOCALES } from '../../common/locale.js';
import { loadCatalogue } from '../../common/messages.js';
import { ROLES } from '../../common/roles.js';
import { EMPLOYMENT_TYPES } from '../../staff/employment.js';
import { COURSE_KINDS } from '../../training/course.entity.js';
import { COMPLETION_GROUPS, NOT_COMPLETED_STATES } from '../../training/dto/figures.dto.js';
import { EXEMPTION_KINDS } from '../../training/enrolment.entity.js';
import { formatPercent } from '../view-helpers.js';
import { completionChart } from './completion-chart.js';
import { NOT_COMPLETED_FILTERS } from './training-completion-page.dto.js';
import { queryOf } from './training-completion-pages.service.js';

describe('completion board: the chart', () => {
  it('draws a bar per department as a share of the width up to the 100% line, green when complete', () => {
    const chart = completionChart(
      [
        { label: '総務課', rate: 0.95, completed: 19, owed: 20 },
        { label: '財政課', rate: 1, completed: 12, owed: 12 },
        { label: '議会事務局', rate: null, completed: 0, owed: 0 },
        { label: 'とても長い名前の部署とその下の係とさらにその下の班', rate: 0.5, completed: 1, owed: 2 },
      ],
      formatPercent,
    );
    expect(chart.target).toBe('99%');
    expect(chart.rows.map((row) => [row.value, row.width, row.full])).toEqual([
      ['95.0%', '94.05%', false],
      ['100.0%', '99%', true],
      ['—', '0%', false],
      ['50.0%', '49.5%', false],
    ]);
    expect(chart.rows[3]!.label).toBe('とても長い名前の部署とその下の…');
    // each row below the one before, the line from the top to the last bar
    expect(chart.rows.map((row) => row.barY)).toEqual([47, 91, 135, 179]);
    expect(chart.lineBottom).toBeGreaterThan(179 + chart.barHeight);
  });

  it('keeps the filters in its links, in the form’s order', () => {
    expect(queryOf({ state: 'exempt', fiscalYear: '2022', asOf: '', departmentId: 'd' }, NOT_COMPLETED_FILTERS)).toBe(
      '?fiscalYear=2022&departmentId=d&state=exempt',
    );
    expect(queryOf({}, NOT_COMPLETED_FILTERS)).toBe('');
  });
});

describe('completion board and exports: message keys built from values', () => {
  it('exist in every language', () => {
    const keys = [
      ...COURSE_KINDS.map((kind) => `trainingFigures.kind.${kind}`),
      ...EXEMPTION_KINDS.map((kind) => `trainingFigures.exemptionKind.${kind}`),
      ...COMPLETION_GROUPS.map((group) => `trainingFigures.group.${group}`),
      ...NOT_COMPLETED_STATES.map((state) => `trainingFigures.state.${state}`),
      ...['all', 'department'].map((scope) => `trainingFigures.scope.${scope}`),
      ...['completion', 'notCompleted', 'exempt', 'conditions'].map((sheet) => `trainingFigures.sheet.${sheet}`),
      ...['fiscalYear', 'asOf', 'groupBy', 'kinds', 'scope', 'state', 'count'].map((name) => `trainingFigures.cond.${name}`),
      ...[
        'departmentName',
        'departmentCode',
        'course',
        'kind',
        'dueDate',
        'role',
        'employmentType',
        'fiscalYear',
        'enrolled',
        'exempt',
        'owed',
        'completed',
        'late',
        'rate',
        'ratePercent',
        'employeeNumber',
        'name',
        'exemptOn',
        'exemptionKind',
        'exemptionReason',
        'overdueDays',
      ].map((column) => `trainingFigures.col.${column}`),
      ...ROLES.map((role) => `role.${role}`),
      ...EMPLOYMENT_TYPES.map((type) => `employmentType.${type}`),
      ...['fiscalYear', 'asOf', 'courseId', 'departmentId', 'state', 'page'].map((field) => `formField.completionFilter.${field}`),
    ];
    for (const locale of LOCALES) {
      const catalogue = loadCatalogue(locale);
      expect(keys.filter((key) => !(key in catalogue))).toEqual([]);
    }
  });
});
