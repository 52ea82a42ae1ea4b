import JSZip from 'jszip';

/**
 * Makes an Office Open XML package (XLSX, DOCX) a function of its parts alone: the zip
 * libraries stamp every entry with the time of writing, so the same workbook written twice
 * differs in its entries' dates. The package is read back and written again with every entry
 * dated `at` (the time of the event the document comes from), in the original order, with the
 * same compression, so the same events always give the same bytes.
 */
export async function normalisePackage(bytes: Uint8Array, at: Date): Promise<Buffer> {
  const source = await JSZip.loadAsync(bytes);
  const target = new JSZip();
  for (const entry of Object.values(source.files)) {
    if (entry.dir) continue;
    target.file(entry.name, await entry.async('uint8array'), { date: at, createFolders: false });
  }
  return target.generateAsync({
    type: 'nodebuffer',
    compression: 'DEFLATE',
    compressionOptions: { level: 6 },
    platform: 'DOS',
  });
}
