import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Modal,
  Space,
  Table,
  Tag,
  Timeline,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useParams } from 'react-router';
import { api, ApiError, type Me } from '../api';
import { useLabel, useWords } from '../labels';
import { DataValue, format } from '../DataValue';
import { chinaTime } from '../time';
import { useLive } from './live';

interface Check {
  rule: string;
  label: { zh: string; en: string };
  passed: boolean;
  actual: unknown;
  required: unknown;
  hard?: boolean;
}
interface Application {
  id: string;
  programme: string;
  roundId: string;
  creditCode: string;
  status: string;
  revision: number;
  policyVersion: string;
  awaiting?: string;
  returned?: { stage: string; respondBy: string; reason: string };
  eligibility: { eligible: boolean; documentNumber: string; checks: Check[] } | null;
  data?: Record<string, unknown>;
  score?: string;
}
interface HistoryEntry {
  revision: number;
  type: string;
  occurredAt: string;
  actor: { sub: string; role: string };
  data: Record<string, unknown>;
}

type Decision = 'recommend' | 'return' | 'reject';

// Tag colours with AA contrast (antd's preset green and red text is too light on its tint).
const OK = { color: '#135200', background: '#f6ffed', borderColor: '#b7eb8f' };
const NOT_OK = { color: '#820014', background: '#fff1f0', borderColor: '#ffa39e' };
const STATUS = { color: '#003a8c', background: '#e6f4ff', borderColor: '#91caff' };

/** An application: its data by section, eligibility rule by rule, timeline, and the actions open now. */
export function ApplicationPage({ me }: { me: Me }) {
  const { id } = useParams() as { id: string };
  const w = useWords();
  const t = useLabel();
  const { message } = App.useApp();
  const [app, setApp] = useState<Application>();
  const [etag, setEtag] = useState<string>();
  const [history, setHistory] = useState<HistoryEntry[]>([]);
  const [acting, setActing] = useState<Decision>();
  const [conflict, setConflict] = useState<HistoryEntry[] | null>(null);

  const load = useCallback(async () => {
    const [a, h] = await Promise.all([
      api.GET('/v1/applications/{id}', { params: { path: { id } } }),
      api.GET('/v1/applications/{id}/history', { params: { path: { id } } }),
    ]);
    setApp(a.data as unknown as Application);
    setEtag(a.response.headers.get('etag') ?? undefined);
    setHistory(((h.data as unknown as HistoryEntry[]) ?? []).slice().reverse());
  }, [id]);
  useEffect(() => void load(), [load]);
  // Live: someone else's action (or the enterprise's answer) shows up by itself; but not under
  // an open action dialog, whose decision stays conditional on the version the officer judged.
  const actingRef = useRef<Decision | undefined>(undefined);
  actingRef.current = acting;
  useLive([id], () => {
    if (!actingRef.current) void load();
  });

  async function act(decision: Decision, values: { reason: string; respondBy?: Dayjs }) {
    const stage = app?.awaiting === 'city' ? 'city' : 'district';
    const res = await api.POST('/v1/applications/{id}/reviews', {
      params: { path: { id } },
      headers: etag ? { 'If-Match': etag } : {},
      body: {
        stage,
        decision,
        reason: values.reason,
        ...(values.respondBy ? { respondBy: values.respondBy.format('YYYY-MM-DD') } : {}),
      } as never,
    });
    if (res.response.status === 412) {
      // Someone acted first: show what changed since this page was loaded; never overwrite.
      const fresh = await api.GET('/v1/applications/{id}/history', { params: { path: { id } } });
      const seen = app?.revision ?? -1;
      setConflict(((fresh.data as unknown as HistoryEntry[]) ?? []).filter((e) => e.revision > seen));
      setActing(undefined);
      return;
    }
    if (!res.response.ok) {
      const e = res.error as { code?: string; message?: string } | undefined;
      void message.error(new ApiError(res.response.status, e?.code ?? '', e?.message ?? '').message);
      return;
    }
    setActing(undefined);
    void message.success(w('done'));
    await load();
  }

  if (!app) return null;
  const canAct = app.awaiting === 'district' || app.awaiting === 'city';
  const data = app.data ?? {};

  return (
    <>
      <h1 style={{ fontSize: 20 }}>
        {app.creditCode} <Tag style={STATUS}>{t('applicationStatuses', app.status)}</Tag>
      </h1>
      <Descriptions size="small" bordered column={3} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={w('programme')}>{t('programmes', app.programme)}</Descriptions.Item>
        <Descriptions.Item label={w('stage')}>{t('stages', app.awaiting)}</Descriptions.Item>
        <Descriptions.Item label={w('policyInForce')}>{app.policyVersion}</Descriptions.Item>
        {app.returned && (
          <Descriptions.Item label={w('respondBy')}>{app.returned.respondBy}</Descriptions.Item>
        )}
        {app.score && <Descriptions.Item label={w('score')}>{app.score}</Descriptions.Item>}
      </Descriptions>
      {canAct && me.role === 'officer' && (
        <Card
          size="small"
          title={<h2 style={{ fontSize: 14, margin: 0 }}>{w('actions')}</h2>}
          style={{ marginBottom: 16 }}
        >
          <Space>
            <Button type="primary" onClick={() => setActing('recommend')}>
              {w('recommend')}
            </Button>
            <Button onClick={() => setActing('return')}>{w('return')}</Button>
            <Button danger onClick={() => setActing('reject')}>
              {w('reject')}
            </Button>
          </Space>
        </Card>
      )}
      <Card
        size="small"
        title={<h2 style={{ fontSize: 14, margin: 0 }}>{w('data')}</h2>}
        style={{ marginBottom: 16 }}
      >
        <Descriptions size="small" column={2} bordered>
          {Object.entries(data).map(([key, value]) => (
            <Descriptions.Item key={key} label={t('materials', key)}>
              <DataValue field={key} value={value} />
            </Descriptions.Item>
          ))}
        </Descriptions>
      </Card>
      {app.eligibility && (
        <Card
          size="small"
          title={
            <h2 style={{ fontSize: 14, margin: 0 }}>
              {w('eligibility')}：{app.eligibility.eligible ? w('yes') : w('no')}（{w('documentNumber')}{' '}
              {app.eligibility.documentNumber}）
            </h2>
          }
          style={{ marginBottom: 16 }}
        >
          <Table
            size="small"
            rowKey="rule"
            pagination={false}
            dataSource={app.eligibility.checks}
            columns={[
              { title: w('rule'), render: (_, c: Check) => c.label?.zh ?? c.rule },
              { title: w('actual'), render: (_, c: Check) => format(c.actual) },
              { title: w('required'), render: (_, c: Check) => format(c.required) },
              {
                title: w('passed'),
                render: (_, c: Check) =>
                  c.passed ? <Tag style={OK}>{w('yes')}</Tag> : <Tag style={NOT_OK}>{w('no')}</Tag>,
              },
            ]}
          />
        </Card>
      )}
      <Card size="small" title={<h2 style={{ fontSize: 14, margin: 0 }}>{w('timeline')}</h2>}>
        <Timeline items={history.map((e) => ({ content: <HistoryLine entry={e} /> }))} />
      </Card>
      {acting && (
        <ActionDialog
          decision={acting}
          onCancel={() => setActing(undefined)}
          onConfirm={(v) => act(acting, v)}
        />
      )}
      <Modal
        open={conflict !== null}
        title={w('conflictTitle')}
        okText={w('reload')}
        cancelButtonProps={{ style: { display: 'none' } }}
        closable={false}
        onOk={async () => {
          setConflict(null);
          await load();
        }}
      >
        <Alert type="warning" title={w('conflictBody')} style={{ marginBottom: 12 }} />
        {conflict?.map((e) => (
          <HistoryLine key={e.revision} entry={e} />
        ))}
      </Modal>
    </>
  );
}

function HistoryLine({ entry }: { entry: HistoryEntry }) {
  const t = useLabel();
  const reason = typeof entry.data?.reason === 'string' ? `：${entry.data.reason}` : '';
  return (
    <div>
      <strong>{t('eventTypes', entry.type)}</strong>
      {reason} — {t('roles', entry.actor.role)} {entry.actor.sub} · {chinaTime(entry.occurredAt)}
    </div>
  );
}

function ActionDialog({
  decision,
  onCancel,
  onConfirm,
}: {
  decision: Decision;
  onCancel: () => void;
  onConfirm: (values: { reason: string; respondBy?: Dayjs }) => Promise<void>;
}) {
  const w = useWords();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open
      title={w(decision)}
      okText={w('confirm')}
      cancelText={w('cancel')}
      confirmLoading={busy}
      onCancel={onCancel}
      onOk={() => form.submit()}
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={async (values) => {
          setBusy(true);
          try {
            await onConfirm(values);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="reason" label={w('reason')} rules={[{ required: true, max: 2000 }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
        {decision === 'return' && (
          <Form.Item name="respondBy" label={w('respondBy')}>
            <DatePicker />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
