import { sanitizeFileName, sniffMediaType } from './materials';

describe('material files', () => {
  describe('media type by magic bytes', () => {
    it('recognises PDF, PNG, JPEG and OFD by their first bytes', () => {
      expect(sniffMediaType(Buffer.from('%PDF-1.7\n%âãÏÓ'))).toBe('application/pdf');
      expect(sniffMediaType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]))).toBe(
        'image/png',
      );
      expect(sniffMediaType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toBe('image/jpeg');
      const ofd = Buffer.concat([
        Buffer.from([0x50, 0x4b, 0x03, 0x04]),
        Buffer.alloc(22),
        Buffer.from([7, 0, 0, 0]),
        Buffer.from('OFD.xml'),
      ]);
      expect(sniffMediaType(ofd)).toBe('application/ofd');
    });

    it('refuses what only the name or a look-alike claims: a zip, a text file, an empty file', () => {
      expect(sniffMediaType(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]))).toBeNull();
      expect(sniffMediaType(Buffer.from('hello.pdf'))).toBeNull();
      expect(sniffMediaType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
      expect(sniffMediaType(Buffer.alloc(0))).toBeNull();
      expect(sniffMediaType(Buffer.from('%PD'))).toBeNull();
    });
  });

  describe('file names', () => {
    it('keeps a Chinese name and drops any path', () => {
      expect(sanitizeFileName('C:\\Users\\张三\\营业执照（副本）.pdf', 'application/pdf')).toBe(
        '营业执照（副本）.pdf',
      );
      expect(sanitizeFileName('../../etc/passwd', 'application/pdf')).toBe('passwd');
    });

    it('removes control and bidi characters, quotes and leading dots', () => {
      expect(sanitizeFileName('..\u0000evil"\r\nname\u202e.pdf', 'application/pdf')).toBe('evil_name.pdf');
      expect(sanitizeFileName('  .hidden.png  ', 'image/png')).toBe('hidden.png');
    });

    it('names an empty name after its type, and cuts a long one keeping the extension', () => {
      expect(sanitizeFileName('', 'image/jpeg')).toBe('material.jpg');
      expect(sanitizeFileName('...', 'application/ofd')).toBe('material.ofd');
      const long = sanitizeFileName(`${'审'.repeat(300)}.pdf`, 'application/pdf');
      expect([...long].length).toBe(120);
      expect(long.endsWith('.pdf')).toBe(true);
    });
  });
});
