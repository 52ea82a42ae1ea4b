import {
  Button,
  Card,
  Col,
  DatePicker,
  Form,
  type FormInstance,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Table,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useLabel } from '../labels';
import { usePortalWords } from './words';

/**
 * The application form, generated from the data fields of the programmes (shared/API.md,
 * "Programme data"; the api validates with the same field list in
 * libs/incubation/src/domain/policies/application-data.ts). Every field is labelled from the
 * catalogue's `materials` group (GET /v1/labels), units included; amounts are integer yuan
 * shown with thousands separators.
 */
type Kind = 'yuan' | 'signedYuan' | 'int' | 'number' | 'percent' | 'bool' | 'text' | 'date' | 'currency';
interface Field {
  /** The dotted code of the catalogue (and the path in `data`). */
  code: string;
  kind: Kind;
  required?: boolean;
  max?: number;
}

/** Asked of every applicant: the evaluator fails a rule whose figure is missing. */
const BASICS: Field[] = [
  { code: 'employees', kind: 'int', required: true, max: 10_000_000 },
  { code: 'rdStaff', kind: 'int', required: true, max: 10_000_000 },
  { code: 'ipRights.classI', kind: 'int', required: true, max: 1_000_000 },
  { code: 'ipRights.classII', kind: 'int', required: true, max: 1_000_000 },
  { code: 'ipRights.applied', kind: 'int', required: true, max: 1_000_000 },
  { code: 'negativeRecords.majorAccident', kind: 'bool', required: true },
  { code: 'negativeRecords.seriousDishonesty', kind: 'bool', required: true },
];

/** Asked by some policies only (fast tracks, little giant, venture paths): left empty when not applicable. */
const OTHER: Field[] = [
  { code: 'hasRdInstitution', kind: 'bool' },
  { code: 'emergingIndustry', kind: 'bool' },
  { code: 'ventureInvestment3y', kind: 'yuan' },
  { code: 'equityFinancing2y', kind: 'yuan' },
  { code: 'valuation.amount', kind: 'yuan' },
  { code: 'valuation.currency', kind: 'currency' },
  { code: 'nicheYears', kind: 'number', max: 200 },
  { code: 'nationalMarketShare', kind: 'percent', max: 100 },
  { code: 'managementSystemCertified', kind: 'bool' },
  { code: 'coreProcessOnInformationSystem', kind: 'bool' },
  { code: 'ownBrand', kind: 'bool' },
  { code: 'creditRating', kind: 'text', max: 16 },
  { code: 'provincialSrdi.certificateNo', kind: 'text', max: 64 },
  { code: 'provincialSrdi.validUntil', kind: 'date' },
];

const PROJECT: Field[] = [
  { code: 'project.name', kind: 'text', required: true, max: 200 },
  { code: 'project.totalInvestment', kind: 'yuan', required: true },
  { code: 'project.fixedAssetInvestment', kind: 'yuan', required: true },
  { code: 'project.requestedFinancing', kind: 'yuan', required: true },
  { code: 'project.termYears', kind: 'number', required: true, max: 30 },
];

const FINANCIAL_COLUMNS: Field[] = [
  { code: 'revenue', kind: 'yuan', required: true },
  { code: 'mainBusinessRevenue', kind: 'yuan' },
  { code: 'rdExpense', kind: 'yuan', required: true },
  { code: 'netProfit', kind: 'signedYuan' },
  { code: 'totalAssets', kind: 'yuan' },
  { code: 'totalLiabilities', kind: 'yuan' },
];

const thousands = (value: string | number | undefined) =>
  value === undefined || value === '' ? '' : `${value}`.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const unformat = (value: string | undefined) => (value ?? '').replace(/,/g, '');

/** One field's input; Form.Item hands it `value` and `onChange`, passed on to the antd control. */
function Control({
  field,
  disabled,
  label,
  ...control
}: {
  field: Field;
  disabled: boolean;
  label: string;
  value?: never;
  onChange?: never;
  id?: string;
}) {
  const w = usePortalWords();
  const common = { ...control, disabled, 'aria-label': label, style: { width: '100%' } };
  switch (field.kind) {
    case 'yuan':
    case 'signedYuan':
      return (
        <InputNumber<number>
          {...common}
          min={field.kind === 'yuan' ? 0 : undefined}
          precision={0}
          formatter={thousands}
          parser={(v) => Number(unformat(v))}
          suffix="元"
        />
      );
    case 'int':
      return <InputNumber<number> {...common} min={0} max={field.max} precision={0} />;
    case 'number':
      return <InputNumber<number> {...common} min={0} max={field.max} />;
    case 'percent':
      return <InputNumber<number> {...common} min={0} max={100} suffix="%" />;
    case 'bool':
      return (
        <Radio.Group {...control} disabled={disabled} aria-label={label}>
          <Radio value={true}>{w('yes')}</Radio>
          <Radio value={false}>{w('no')}</Radio>
        </Radio.Group>
      );
    case 'currency':
      return (
        <Select
          {...common}
          allowClear
          options={[
            { value: 'CNY', label: '人民币 CNY' },
            { value: 'USD', label: '美元 USD' },
          ]}
        />
      );
    case 'date':
      return <DatePicker {...common} />;
    case 'text':
      return <Input {...common} maxLength={field.max} />;
  }
}

function Fields({ fields, disabled }: { fields: Field[]; disabled: boolean }) {
  const t = useLabel();
  return (
    <Row gutter={16}>
      {fields.map((field) => {
        const label = t('materials', field.code);
        return (
          <Col key={field.code} xs={24} md={12} xl={8}>
            <Form.Item
              name={field.code.split('.')}
              label={label}
              rules={field.required ? [{ required: true, message: `请填写${label}` }] : []}
            >
              <Control field={field} disabled={disabled} label={label} />
            </Form.Item>
          </Col>
        );
      })}
    </Row>
  );
}

function Financials({ disabled }: { disabled: boolean }) {
  const t = useLabel();
  const w = usePortalWords();
  return (
    <Form.List name="financials">
      {(rows, { add, remove }) => (
        <>
          <Table
            size="small"
            pagination={false}
            rowKey="key"
            dataSource={rows}
            columns={[
              {
                title: t('materials', 'financials.year'),
                render: (_, row) => (
                  <Form.Item
                    name={[row.name, 'year']}
                    rules={[{ required: true, message: '请填写年度' }]}
                    style={{ margin: 0 }}
                  >
                    <InputNumber<number>
                      aria-label={`${t('materials', 'financials.year')} ${row.name + 1}`}
                      min={1900}
                      max={2200}
                      precision={0}
                      disabled={disabled}
                      style={{ width: 90 }}
                    />
                  </Form.Item>
                ),
              },
              ...FINANCIAL_COLUMNS.map((field) => {
                const label = t('materials', `financials.${field.code}`);
                return {
                  title: (field.required ? '* ' : '') + label,
                  render: (_: unknown, row: { name: number }) => (
                    <Form.Item
                      name={[row.name, field.code]}
                      rules={field.required ? [{ required: true, message: `请填写${label}` }] : []}
                      style={{ margin: 0 }}
                    >
                      <InputNumber<number>
                        aria-label={`${label} ${row.name + 1}`}
                        min={field.kind === 'yuan' ? 0 : undefined}
                        precision={0}
                        formatter={thousands}
                        parser={(v) => Number(unformat(v))}
                        disabled={disabled}
                        style={{ width: '100%', minWidth: 110 }}
                      />
                    </Form.Item>
                  ),
                };
              }),
              {
                title: '',
                render: (_, row) =>
                  disabled ? null : (
                    <Button type="link" onClick={() => remove(row.name)}>
                      {w('remove')}
                    </Button>
                  ),
              },
            ]}
          />
          {!disabled && (
            <Button style={{ marginTop: 8 }} onClick={() => add({ year: nextYear(rows.length) })}>
              {w('addYear')}
            </Button>
          )}
        </>
      )}
    </Form.List>
  );
}

function nextYear(existing: number) {
  return new Date().getFullYear() - 1 - existing;
}

export function DataForm({
  form,
  programme,
  data,
  disabled,
  onEdit,
}: {
  form: FormInstance;
  programme: string;
  data: Record<string, unknown> | undefined;
  disabled: boolean;
  /** Called on every change the person makes (not on loading). */
  onEdit?: () => void;
}) {
  const w = usePortalWords();
  const t = useLabel();
  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={toForm(data)}
      disabled={disabled}
      onValuesChange={onEdit}
      scrollToFirstError
    >
      <Card
        size="small"
        title={<h3 style={{ fontSize: 14, margin: 0 }}>{t('materials', 'financials')}</h3>}
        style={{ marginBottom: 12 }}
      >
        <Financials disabled={disabled} />
      </Card>
      <Card
        size="small"
        title={<h3 style={{ fontSize: 14, margin: 0 }}>{w('basics')}</h3>}
        style={{ marginBottom: 12 }}
      >
        <Fields fields={BASICS} disabled={disabled} />
      </Card>
      {programme === 'tech-retrofit' && (
        <Card
          size="small"
          title={<h3 style={{ fontSize: 14, margin: 0 }}>{t('materials', 'project')}</h3>}
          style={{ marginBottom: 12 }}
        >
          <Fields fields={PROJECT} disabled={disabled} />
        </Card>
      )}
      <Card size="small" title={<h3 style={{ fontSize: 14, margin: 0 }}>{w('other')}</h3>}>
        <Fields fields={OTHER} disabled={disabled} />
      </Card>
    </Form>
  );
}

/** The data as the form holds it (dates as dayjs); a new application starts with last year's row. */
function toForm(data: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!data) return { financials: [{ year: new Date().getFullYear() - 1 }] };
  const srdi = data.provincialSrdi as { certificateNo?: string; validUntil?: string } | undefined;
  return {
    ...data,
    ...(srdi
      ? { provincialSrdi: { ...srdi, validUntil: srdi.validUntil ? dayjs(srdi.validUntil) : undefined } }
      : {}),
  };
}

/** The form's values as `data`: empty fields left out (the api's schema is strict), dates as YYYY-MM-DD. */
export function fromForm(values: Record<string, unknown>): Record<string, unknown> {
  const clean = (value: unknown): unknown => {
    if (value === null || value === undefined || value === '') return undefined;
    if (dayjs.isDayjs(value)) return (value as Dayjs).format('YYYY-MM-DD');
    if (Array.isArray(value)) return value.map(clean).filter((v) => v !== undefined);
    if (typeof value === 'object') {
      const entries = Object.entries(value as Record<string, unknown>)
        .map(([k, v]) => [k, clean(v)] as const)
        .filter(([, v]) => v !== undefined);
      return entries.length ? Object.fromEntries(entries) : undefined;
    }
    return value;
  };
  return (clean(values) as Record<string, unknown>) ?? {};
}

/** `data.financials[0].revenue` (the api's validation detail) as a form field name. */
export function fieldName(apiField: string): (string | number)[] | null {
  if (!apiField.startsWith('data.')) return null;
  return apiField
    .slice('data.'.length)
    .split(/[.[\]]/)
    .filter(Boolean)
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}
