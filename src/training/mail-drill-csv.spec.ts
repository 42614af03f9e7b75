import { cumulative, detectDrillFormat, readDrillCsv, readFlag } from './mail-drill-csv.js';

const GOPHISH_HEADER = 'id,status,ip,latitude,longitude,send_date,reported,modified_date,email,first_name,last_name,position';
const gophish = (...rows: string[]) => `${[GOPHISH_HEADER, ...rows].join('\r\n')}\r\n`;

describe('the drill results file', () => {
  it('reads a Gophish results export: the status is the furthest step, cumulative; reported is its own column', async () => {
    const file = await readDrillCsv(
      gophish(
        'Xk3P9aQ,Submitted Data,203.0.113.24,35.6895,139.6917,2022-10-03T09:00:12.402581+09:00,false,2022-10-03T09:14:51.118092+09:00,Hanako.Yamada@Town.example,花子,山田,主事',
        'b7GhQ2w,Email Opened,203.0.113.9,35.6895,139.6917,2022-10-03T09:00:12.5+09:00,true,2022-10-03T10:02:00+09:00,ichiro.sato@town.example,一郎,佐藤,係長',
        'c1LmN0p,Email Sent,,0,0,2022-10-03T09:00:13+09:00,false,2022-10-03T09:00:13+09:00,jiro.suzuki@town.example,次郎,鈴木,',
        'd9ZyX8v,Error,,0,0,0001-01-01T00:00:00Z,false,2022-10-03T09:00:13+09:00,saburo.tanaka@town.example,三郎,田中,',
        'e5RtY6u,Email Reported,,0,0,2022-10-03T09:00:13+09:00,true,2022-10-03T09:30:00+09:00,shiro.ito@town.example,四郎,伊藤,',
      ),
    );
    expect(file).toMatchObject({ format: 'gophish', key: 'email', issues: [] });
    expect(file.rows).toEqual([
      { line: 2, email: 'hanako.yamada@town.example', sent: true, opened: true, clicked: true, submittedData: true, reported: false },
      { line: 3, email: 'ichiro.sato@town.example', sent: true, opened: true, clicked: false, submittedData: false, reported: true },
      { line: 4, email: 'jiro.suzuki@town.example', sent: true, opened: false, clicked: false, submittedData: false, reported: false },
      { line: 5, email: 'saburo.tanaka@town.example', sent: false, opened: false, clicked: false, submittedData: false, reported: false },
      { line: 6, email: 'shiro.ito@town.example', sent: true, opened: false, clicked: false, submittedData: false, reported: true },
    ]);
  });

  it('refuses every bad row by line and column: an unknown status, a reported value that is not yes or no, no address, the same person twice', async () => {
    const file = await readDrillCsv(
      gophish(
        'a,Clicked Link,,0,0,,false,,a@town.example,,,',
        'b,Clicked,,0,0,,false,,b@town.example,,,',
        'c,Email Sent,,0,0,,maybe,,c@town.example,,,',
        'd,Email Sent,,0,0,,false,,,,,',
        'e,Email Opened,,0,0,,false,,A@TOWN.example,,,',
      ),
    );
    expect(file.rows.map((row) => row.line)).toEqual([2]);
    expect(file.issues.map(({ line, field, code }) => ({ line, field, code }))).toEqual([
      { line: 3, field: 'status', code: 'statusUnknown' },
      { line: 4, field: 'reported', code: 'flagInvalid' },
      { line: 5, field: 'email', code: 'required' },
      { line: 6, field: 'email', code: 'duplicate' },
    ]);
    expect(file.issues[3]!.values).toEqual({ firstLine: '2' });
  });

  it('refuses a file without the columns its format needs, by line 1', async () => {
    const file = await readDrillCsv('id,status,email\r\nx,Email Sent,a@town.example\r\n');
    expect(file.format).toBe('gophish');
    expect(file.issues).toMatchObject([{ line: 1, field: 'reported', code: 'missingColumn' }]);
    const plain = await readDrillCsv('メールアドレス,開封\na@town.example,1\n', 'plain');
    expect(plain.issues.map((issue) => issue.field)).toEqual(['clicked', 'reported']);
    expect((await readDrillCsv('')).issues).toMatchObject([{ line: 1, code: 'empty' }]);
    expect((await readDrillCsv('email,clicked,reported\n"a@x,1,0\n')).issues).toMatchObject([{ field: 'file', code: 'malformed' }]);
  });

  it('reads a plain file by employee number or address, with Japanese headers and 1/0, true/false, はい/いいえ, cumulatively', async () => {
    const file = await readDrillCsv(
      '\uFEFF職員番号,氏名,送信,開封,クリック,入力,報告\nK001,山田 花子,1,0,0,1,0\nK002,佐藤 一郎,はい,はい,いいえ,いいえ,はい\nK003,鈴木,true,,false,,false\n',
    );
    expect(file).toMatchObject({ format: 'plain', key: 'employeeNumber', issues: [] });
    expect(file.rows).toEqual([
      { line: 2, employeeNumber: 'K001', sent: true, opened: true, clicked: true, submittedData: true, reported: false },
      { line: 3, employeeNumber: 'K002', sent: true, opened: true, clicked: false, submittedData: false, reported: true },
      { line: 4, employeeNumber: 'K003', sent: true, opened: false, clicked: false, submittedData: false, reported: false },
    ]);
    const minimal = await readDrillCsv('email,clicked,reported\nA@Town.example,0,1\nb@town.example,yes,2\n');
    expect(minimal.rows).toEqual([{ line: 2, email: 'a@town.example', sent: true, opened: false, clicked: false, submittedData: false, reported: true }]);
    expect(minimal.issues).toMatchObject([{ line: 3, field: 'reported', code: 'flagInvalid', values: { value: '2' } }]);
  });

  it('tells the format from the header, and the flags their meaning', () => {
    expect(detectDrillFormat(GOPHISH_HEADER.split(','))).toBe('gophish');
    expect(detectDrillFormat(['email', 'clicked', 'reported'])).toBe('plain');
    expect([readFlag('はい'), readFlag(' TRUE '), readFlag('0'), readFlag(''), readFlag('2')]).toEqual([true, true, false, false, null]);
    expect(cumulative({ sent: false, opened: false, clicked: false, submittedData: false, reported: true })).toMatchObject({ sent: true, opened: false });
  });
});
