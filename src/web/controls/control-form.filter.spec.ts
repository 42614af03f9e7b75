import type { ConfigService } from '@nestjs/config';
import type { Actor } from '../../common/actor.js';
import { AppException } from '../../common/errors/app.exception.js';
import { loadCatalogue } from '../../common/messages.js';
import { LOCALES } from '../../common/locale.js';
import type { MamoriConfig } from '../../config/configuration.js';
import type { UnitOfWork } from '../../database/unit-of-work.js';
import { ControlEvidenceService, type UploadedEvidenceFile } from '../../controls/control-evidence.service.js';
import type { ControlsService } from '../../controls/controls.service.js';
import { ACCEPTED_EXTENSIONS } from '../../controls/file-sniffing.js';
import { evidenceFormErrors } from './control-form.filter.js';

const MAX_BYTES = 10 * 1024 * 1024;
const officer: Actor = {
  staffId: '00000000-0000-4000-8000-000000000001',
  organizationId: '00000000-0000-4000-8000-000000000002',
  roles: ['security_officer'],
  departmentId: null,
  clientAddress: '127.0.0.1',
  sessionId: null,
  mfa: true,
  label: 'officer@test.example',
};

/** The service as the page calls it; every refusal here comes before it touches the database. */
const service = new ControlEvidenceService(
  {} as UnitOfWork,
  {} as ControlsService,
  {
    get: () => ({ maxBytes: MAX_BYTES, dir: undefined }),
  } as unknown as ConfigService<MamoriConfig, true>,
);

async function refusalOf(file: UploadedEvidenceFile | undefined): Promise<AppException> {
  const error: unknown = await service.upload(officer, officer.organizationId, file, {}).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof AppException)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}

const fileOf = (originalname: string, buffer: Buffer, size = buffer.length): UploadedEvidenceFile => ({ originalname, buffer, size });

describe('a refused evidence upload on the control page', () => {
  it('says one thing per refusal, at the top and beside the file field', async () => {
    const cases = {
      missing: await refusalOf(undefined),
      empty: await refusalOf(fileOf('empty.pdf', Buffer.alloc(0))),
      tooLarge: await refusalOf(fileOf('big.txt', Buffer.from('a'), MAX_BYTES + 1)),
      notAccepted: await refusalOf(fileOf('setup.exe', Buffer.from([0x4d, 0x5a, 0, 0, 0x90]))),
      misnamed: await refusalOf(fileOf('screen.pdf', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2]))),
    };
    const shown = Object.fromEntries(
      Object.entries(cases).map(([name, error]) => {
        const errors = evidenceFormErrors(error, { note: '点検記録' }, MAX_BYTES);
        expect(errors.messages).toHaveLength(1);
        expect(errors.messages[0]!.href).toBe('#file');
        expect(Object.keys(errors.fields)).toEqual(['file']);
        expect(errors.submitted).toEqual({ note: '点検記録' });
        return [name, errors.messages[0]];
      }),
    );
    expect(shown).toEqual({
      missing: { key: 'formField.evidence.file', values: { max: '10 MB' }, href: '#file' },
      empty: { key: 'formError.EVIDENCE_EMPTY', values: { max: '10 MB' }, href: '#file' },
      tooLarge: { key: 'formError.EVIDENCE_TOO_LARGE', values: { max: '10 MB' }, href: '#file' },
      notAccepted: { key: 'formError.EVIDENCE_TYPE_NOT_ALLOWED', values: { max: '10 MB' }, href: '#file' },
      misnamed: { key: 'control.evidenceForm.misnamed', values: { expected: '.png' }, href: '#file' },
    });
  });

  it('names every accepted kind of file and the limit, in every language', () => {
    for (const locale of LOCALES) {
      const catalogue = loadCatalogue(locale);
      const accepted = catalogue['formError.EVIDENCE_TYPE_NOT_ALLOWED']!;
      expect(ACCEPTED_EXTENSIONS.filter((extension) => !accepted.includes(extension))).toEqual([]);
      expect(catalogue['formError.EVIDENCE_TOO_LARGE']).toContain('{max}');
      expect(catalogue['control.evidenceForm.misnamed']).toContain('{expected}');
    }
  });
});
