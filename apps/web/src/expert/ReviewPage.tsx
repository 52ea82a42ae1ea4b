import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Radio,
  Result,
  Space,
  Table,
  Tag,
} from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../api';
import { DataValue } from '../DataValue';
import { type Locale, LabelsContext, useLabel } from '../labels';
import { useContext } from 'react';
import { type ScoringSheet, totalOfSheet } from './engine';
import { useServerToday } from '../serverDay';
import { workingDaysUntil } from './working-days';
import { useExpertWords } from './words';

/** What the api returns to an expert on the panel: the blind view (no name, no credit code). */
interface BlindView {
  id: string;
  programme: string;
  status: string;
  policyVersion: string;
  eligibility: { eligible: boolean; checks: { rule: string; passed: boolean }[] } | null;
  data: Record<string, unknown>;
  seat: {
    dueOn: string;
    scored: boolean;
    score: number | null;
    declaration: 'none' | 'conflict' | null;
  } | null;
}
interface Materials {
  materials: { id: string; kind: string; size: number; mediaType: string; href: string }[];
  requirements: { kind: string; label: { zh: string; en: string } }[];
}
interface Programme {
  code: string;
  policyVersion: string;
  scoring: ScoringSheet | null;
}
interface SheetValues {
  indicators?: Record<string, { score?: number | null; comment?: string }>;
  score?: number | null;
  comment?: string;
}

const STATUS = { color: '#003a8c', background: '#e6f4ff', borderColor: '#91caff' };
const OK = { color: '#135200', background: '#f6ffed', borderColor: '#b7eb8f' };
const H2 = { fontSize: 14, margin: 0 } as const;

/** One application in its blind view: data and materials, the declaration, then the scoring sheet. */
export function ReviewPage() {
  const { id } = useParams() as { id: string };
  const x = useExpertWords();
  const today = useServerToday();
  const t = useLabel();
  const { locale } = useContext(LabelsContext);
  const [view, setView] = useState<BlindView | null>();
  const [materials, setMaterials] = useState<Materials>();
  const [sheet, setSheet] = useState<ScoringSheet | null>(null);

  const load = useCallback(async () => {
    const [a, m, p] = await Promise.all([
      api.GET('/v1/applications/{id}', { params: { path: { id } } }),
      api.GET('/v1/applications/{id}/materials', { params: { path: { id } } }),
      api.GET('/v1/programmes', {}),
    ]);
    const blind = a.response.ok ? (a.data as unknown as BlindView) : null;
    setView(blind);
    setMaterials(m.response.ok ? (m.data as unknown as Materials) : undefined);
    const programmes = (p.data as unknown as Programme[]) ?? [];
    // The sheet of the application's own policy version (a new version may be in force today).
    const own = programmes.find((x) => x.policyVersion === blind?.policyVersion);
    setSheet(own?.scoring ?? null);
  }, [id]);
  useEffect(() => void load(), [load]);

  if (view === undefined) return null;
  if (view === null || !view.seat) return <Alert type="warning" title={x('notOnPanel')} />;
  const seat = view.seat;
  const left = workingDaysUntil(seat.dueOn, today);
  const kindLabel = (kind: string) => {
    const label = materials?.requirements.find((r) => r.kind === kind)?.label;
    return label ? (locale === 'en' ? label.en : label.zh) : t('materials', kind);
  };

  return (
    <>
      <Link to="/">{x('back')}</Link>
      <h1 style={{ fontSize: 20 }}>
        {x('application')} {view.id.slice(0, 8).toUpperCase()}{' '}
        <Tag style={STATUS}>{t('applicationStatuses', view.status)}</Tag>
      </h1>
      <Alert type="info" title={x('blindNote')} style={{ marginBottom: 16 }} />
      <Descriptions size="small" bordered column={3} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={x('programme')}>{t('programmes', view.programme)}</Descriptions.Item>
        <Descriptions.Item label={x('dueOn')}>{seat.dueOn}</Descriptions.Item>
        <Descriptions.Item label={x('remaining')}>
          {seat.scored ? '—' : left < 0 ? `${x('overdue')} ${-left}` : left}
        </Descriptions.Item>
      </Descriptions>
      <Card size="small" title={<h2 style={H2}>{x('data')}</h2>} style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={2} bordered>
          {Object.entries(view.data ?? {}).map(([key, value]) => (
            <Descriptions.Item key={key} label={t('materials', key)}>
              <DataValue field={key} value={value} />
            </Descriptions.Item>
          ))}
          {view.eligibility && (
            <Descriptions.Item label={x('eligibility')}>
              {view.eligibility.eligible ? x('eligible') : x('notEligible')}（
              {view.eligibility.checks.filter((c) => c.passed).length}/{view.eligibility.checks.length}）
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <Card size="small" title={<h2 style={H2}>{x('materials')}</h2>} style={{ marginBottom: 16 }}>
        {materials && materials.materials.length > 0 ? (
          <ul style={{ margin: 0, paddingLeft: 20 }}>
            {materials.materials.map((m, i) => (
              <li key={m.id}>
                {kindLabel(m.kind)}（{i + 1}，{Math.max(1, Math.round(m.size / 1024))} KB）{' '}
                <a
                  href={m.href}
                  download
                  style={{ textDecoration: 'underline' }}
                  aria-label={`${x('download')} ${kindLabel(m.kind)} ${i + 1}`}
                >
                  {x('download')}
                </a>
              </li>
            ))}
          </ul>
        ) : (
          x('noMaterials')
        )}
      </Card>
      {seat.scored ? (
        <Result status="success" title={`${x('submitted')}：${x('yourTotal')} ${seat.score}`} />
      ) : view.status !== 'in-expert-review' ? null : seat.declaration === null ? (
        <Declaration id={id} onDone={load} />
      ) : seat.declaration === 'conflict' ? (
        <Alert type="warning" title={x('declaredConflict')} />
      ) : (
        <>
          <p>
            <Tag style={OK}>{x('declaredNone')}</Tag>
          </p>
          <ScoringForm id={id} sheet={sheet} locale={locale} onDone={load} />
        </>
      )}
    </>
  );
}

function Declaration({ id, onDone }: { id: string; onDone: () => Promise<void> }) {
  const x = useExpertWords();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ conflict: boolean; reason?: string }>();
  const conflict = Form.useWatch('conflict', form);
  async function declare(values: { conflict: boolean; reason?: string }) {
    const res = await api.POST('/v1/applications/{id}/conflict-declaration', {
      params: { path: { id } },
      body: { conflict: values.conflict, ...(values.conflict ? { reason: values.reason } : {}) },
    });
    if (!res.response.ok) {
      const e = res.error as { message?: string } | undefined;
      void message.error(e?.message ?? res.response.statusText);
    }
    await onDone();
  }
  return (
    <Card size="small" title={<h2 style={H2}>{x('declaration')}</h2>}>
      <p>{x('declarationAsk')}</p>
      <Form form={form} layout="vertical" onFinish={declare}>
        <Form.Item name="conflict" rules={[{ required: true, message: x('declarationAsk') }]}>
          <Radio.Group
            options={[
              { value: false, label: x('noConflict') },
              { value: true, label: x('hasConflict') },
            ]}
          />
        </Form.Item>
        {conflict === true && (
          <Form.Item
            name="reason"
            label={x('conflictReason')}
            rules={[{ required: true, whitespace: true, message: x('reasonRequired') }]}
          >
            <Input.TextArea rows={2} maxLength={1000} />
          </Form.Item>
        )}
        <Button type="primary" htmlType="submit">
          {x('declare')}
        </Button>
      </Form>
    </Card>
  );
}

function ScoringForm({
  id,
  sheet,
  locale,
  onDone,
}: {
  id: string;
  sheet: ScoringSheet | null;
  locale: Locale;
  onDone: () => Promise<void>;
}) {
  const x = useExpertWords();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<SheetValues>();
  const values = Form.useWatch([], form) as SheetValues | undefined;
  const [refused, setRefused] = useState(false);

  // The total as the engine computes it (its own function), once every indicator has a score.
  const computed = useMemo(() => {
    if (!sheet) return null;
    try {
      return totalOfSheet(
        sheet,
        sheet.indicators.map((i) => ({
          code: i.code,
          score: values?.indicators?.[i.code]?.score ?? NaN,
          comment: null,
        })),
      );
    } catch {
      return null;
    }
  }, [sheet, values]);

  async function submit(v: SheetValues) {
    const body = sheet
      ? {
          indicators: sheet.indicators.map((i) => ({
            code: i.code,
            score: v.indicators![i.code]!.score!,
            ...(v.indicators?.[i.code]?.comment?.trim()
              ? { comment: v.indicators[i.code]!.comment!.trim() }
              : {}),
          })),
          ...(v.comment?.trim() ? { comment: v.comment.trim() } : {}),
        }
      : { score: v.score!, ...(v.comment?.trim() ? { comment: v.comment.trim() } : {}) };
    const res = await api.POST('/v1/applications/{id}/scores', { params: { path: { id } }, body });
    if (res.response.status === 409 && (res.error as { code?: string })?.code === 'ALREADY_SCORED') {
      setRefused(true);
      return;
    }
    if (!res.response.ok) {
      const e = res.error as { message?: string } | undefined;
      void message.error(e?.message ?? res.response.statusText);
      return;
    }
    void message.success(x('submitted'));
    await onDone();
  }

  function confirmThenSubmit(v: SheetValues) {
    modal.confirm({
      title: x('confirmSubmit'),
      okText: x('confirm'),
      cancelText: x('cancel'),
      onOk: () => submit(v),
    });
  }

  return (
    <Card size="small" title={<h2 style={H2}>{x('sheet')}</h2>}>
      {refused && (
        <Alert type="error" showIcon role="alert" title={x('alreadyScored')} style={{ marginBottom: 12 }} />
      )}
      <Form form={form} layout="vertical" onFinish={confirmThenSubmit}>
        {sheet ? (
          <>
            <Table
              size="small"
              rowKey="code"
              pagination={false}
              dataSource={sheet.indicators}
              columns={[
                {
                  title: x('indicator'),
                  render: (_, i) => (locale === 'en' ? i.label.en : i.label.zh),
                },
                { title: x('weight'), render: (_, i) => `${i.weight}%`, width: 80 },
                { title: x('maxScore'), dataIndex: 'maxScore', width: 70 },
                {
                  title: x('yourScore'),
                  width: 130,
                  render: (_, i) => (
                    <Form.Item
                      name={['indicators', i.code, 'score']}
                      rules={[{ required: true, message: x('scoreRequired') }]}
                      style={{ margin: 0 }}
                    >
                      <InputNumber
                        min={0}
                        max={i.maxScore}
                        precision={0}
                        aria-label={`${locale === 'en' ? i.label.en : i.label.zh} ${x('yourScore')}`}
                      />
                    </Form.Item>
                  ),
                },
                {
                  title: x('comment'),
                  render: (_, i) => (
                    <Form.Item name={['indicators', i.code, 'comment']} style={{ margin: 0 }}>
                      <Input
                        maxLength={2000}
                        aria-label={`${locale === 'en' ? i.label.en : i.label.zh} ${x('comment')}`}
                      />
                    </Form.Item>
                  ),
                },
              ]}
            />
            <Descriptions size="small" bordered column={2} style={{ margin: '12px 0' }}>
              <Descriptions.Item label={x('total')}>
                <output aria-label={x('total')} style={{ fontSize: 18, fontWeight: 600 }}>
                  {computed ? computed.total : '—'}
                </output>
              </Descriptions.Item>
              <Descriptions.Item label={x('exact')}>{computed ? computed.exact : '—'}</Descriptions.Item>
            </Descriptions>
            <p style={{ color: '#595959' }}>{x('totalHint')}</p>
          </>
        ) : (
          <>
            <Alert type="info" title={x('noSheet')} style={{ marginBottom: 12 }} />
            <Form.Item
              name="score"
              label={x('singleScore')}
              rules={[{ required: true, message: x('scoreRequired') }]}
            >
              <InputNumber min={0} max={100} precision={0} />
            </Form.Item>
          </>
        )}
        <Form.Item name="comment" label={x('overallComment')}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit">
            {x('submit')}
          </Button>
        </Space>
      </Form>
    </Card>
  );
}
