import fc from 'fast-check';
import { maskIdNumber, maskName, maskPerson, maskPhone } from './masking';

describe('masking personal data for those who may not see it', () => {
  it('shows the region of issue and the last four of an ID number', () => {
    expect(maskIdNumber('320102199001011234')).toBe('3201**********1234');
    expect(maskIdNumber('11010519491231002X')).toBe('1101**********002X');
  });

  it('shows the carrier prefix and the last four of a mobile number', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('+86 138-1234-5678')).toBe('138****5678');
  });

  it('shows the first character of a name', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('张')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
  });

  it('masks a whole person, and what it does not recognise entirely', () => {
    expect(maskPerson({ name: '李四', idNumber: '320102199001011234', phone: '13812345678' })).toEqual({
      name: '李*',
      idNumber: '3201**********1234',
      phone: '138****5678',
    });
    expect(maskIdNumber('12345')).toBe('*****');
    expect(maskPhone(undefined)).toBe('*');
    expect(maskName(42)).toBe('*');
  });

  it('never shows the middle of an ID number (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{17}[\dX]$/), (id) => {
        const masked = maskIdNumber(id);
        expect(masked).toHaveLength(18);
        expect(masked.slice(4, 14)).toBe('*'.repeat(10));
      }),
    );
  });
});
