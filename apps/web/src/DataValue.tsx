import { useLabel } from './labels';

/** A submitted value as text (objects as JSON, nothing for null). */
export function format(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * One field of an application's data as a person reads it: nested facts (a financial year, a
 * project) by their labels from the catalogue's `materials` group, yes/no for booleans. The
 * officer's page and the expert's blind view show data the same way.
 */
export function DataValue({ field, value }: { field: string; value: unknown }) {
  const t = useLabel();
  if (Array.isArray(value))
    return (
      <>
        {value.map((item, i) => (
          <div key={i}>
            {typeof item === 'object' && item
              ? Object.entries(item)
                  .map(([k, v]) => `${t('materials', `${field}.${k}`)} ${format(v)}`)
                  .join('；')
              : format(item)}
          </div>
        ))}
      </>
    );
  if (value && typeof value === 'object')
    return (
      <>
        {Object.entries(value).map(([k, v]) => (
          <div key={k}>
            {t('materials', `${field}.${k}`)}：{format(v)}
          </div>
        ))}
      </>
    );
  return <>{typeof value === 'boolean' ? (value ? '是' : '否') : format(value)}</>;
}
