import { breakableEmail, prose } from './view-helpers.js';
import { joinLines, paragraphsOf } from './text.js';

describe('text as Japanese and English are written', () => {
  it('joins a line broken inside Japanese without a space, and with one elsewhere', () => {
    expect(joinLines('幹部職員を含む全職員が\n研修を受講する。\n記録を残す。')).toBe('幹部職員を含む全職員が研修を受講する。記録を残す。');
    expect(joinLines('Every member of staff completes\n  training each year.')).toBe('Every member of staff completes training each year.');
    expect(joinLines('ISO/IEC\n27001に基づく')).toBe('ISO/IEC 27001に基づく');
    expect(paragraphsOf('一段落目の\n続き。\n\n二段落目。\r\n')).toEqual(['一段落目の続き。', '二段落目。']);
    expect(paragraphsOf(null)).toEqual([]);
  });

  it('writes plain text as escaped paragraphs, and long e-mail addresses with places to break', () => {
    expect(prose('<b>太字</b>の\n説明\n\n次')).toBe('<p>&lt;b&gt;太字&lt;/b&gt;の説明</p><p>次</p>');
    expect(breakableEmail('yamada.taro@town.example.jp')).toBe('yamada.<wbr>taro<wbr>@town.<wbr>example.<wbr>jp');
    expect(breakableEmail('<x>@y')).toBe('&lt;x&gt;<wbr>@y');
  });
});
