import { Alert, App, Button, Card, Descriptions, Form, Modal, Space, Table, Tag, Timeline } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { api, type Me, refusalOf } from '../api';
import { workingDaysUntil } from '../expert/working-days';
import { useLabel } from '../labels';
import { useLive } from '../officer/live';
import { useServerToday } from '../serverDay';
import { chinaTime } from '../time';
import { DataForm, fieldName, fromForm } from './DataForm';
import { Materials } from './Materials';
import { usePortalWords } from './words';

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
  returned?: { stage: string; respondBy: string; reason: string };
  eligibility: { eligible: boolean; documentNumber: string; checks: Check[] } | null;
  data?: Record<string, unknown>;
}
interface HistoryEntry {
  revision: number;
  type: string;
  occurredAt: string;
  actor: { sub: string; role: string };
  data: Record<string, unknown>;
}
interface Refusal {
  message: string;
  missing?: { kind: string; label: { zh: string; en: string } }[];
  failed?: Check[];
}
type RoundInfo = { id: string; title: string; programme: string };

const EDITABLE = ['draft', 'returned'];
const STATUS = { color: '#003a8c', background: '#e6f4ff', borderColor: '#91caff' };
const OK = { color: '#135200', background: '#f6ffed', borderColor: '#b7eb8f' };
const NOT_OK = { color: '#820014', background: '#fff1f0', borderColor: '#ffa39e' };

function show(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return value.toLocaleString('zh-CN');
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * The enterprise's application: the form (new or saved), its materials, submit (a refusal listed
 * item by item), a return's reason and deadline, the eligibility preview and the progress timeline.
 * Also `/applications/new?round=<id>`: the form for a round, created on the first save.
 */
export function ApplicationPage({ me, rounds }: { me: Me; rounds: RoundInfo[] }) {
  const { id } = useParams() as { id: string };
  const [search] = useSearchParams();
  const isNew = id === 'new';
  const navigate = useNavigate();
  const w = usePortalWords();
  const t = useLabel();
  // Counted from the engine's day, not the browser's: with a manual clock they differ.
  const today = useServerToday();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [app, setApp] = useState<Application>();
  const [history, setHistory] = useState<HistoryEntry[]>([]);
  const [busy, setBusy] = useState<'save' | 'submit'>();
  const [refusal, setRefusal] = useState<Refusal>();
  const [confirming, setConfirming] = useState(false);
  const [formKey, setFormKey] = useState(0);
  // Whether the form holds changes not yet saved: submit saves them first, and only then.
  const dirty = useRef(false);

  const roundId = isNew ? (search.get('round') ?? '') : app?.roundId;
  const round = rounds.find((r) => r.id === roundId);
  const programme = isNew ? (round?.programme ?? '') : (app?.programme ?? '');

  const load = useCallback(async () => {
    if (isNew) return;
    const [a, h] = await Promise.all([
      api.GET('/v1/applications/{id}', { params: { path: { id } } }),
      api.GET('/v1/applications/{id}/history', { params: { path: { id } } }),
    ]);
    setApp(a.data as unknown as Application);
    setHistory(((h.data as unknown as HistoryEntry[]) ?? []).slice().reverse());
  }, [id, isNew]);
  useEffect(() => void load(), [load]);
  // Live: an officer's decision shows up by itself, unless the enterprise is busy with the form.
  const busyRef = useRef(busy);
  busyRef.current = busy;
  useLive(isNew ? [] : [id], () => {
    // Unsaved edits stay in the form; otherwise it is redrawn from the application as it is now.
    if (!busyRef.current) void load().then(() => !dirty.current && setFormKey((k) => k + 1));
  });

  /** Saves the form (creates the application on the first save); the id, or null when refused. */
  async function save(): Promise<string | null> {
    let values: Record<string, unknown>;
    try {
      values = await form.validateFields();
    } catch {
      return null;
    }
    if (!isNew && !dirty.current) return id;
    const data = fromForm(values);
    const res = isNew
      ? await api.POST('/v1/applications', {
          body: { roundId: roundId!, creditCode: me.org!, data: data as never },
        })
      : await api.PATCH('/v1/applications/{id}', { params: { path: { id } }, body: { data: data as never } });
    if (!res.response.ok) {
      const refused = refusalOf(res);
      const fields = refused.details
        .map((d) => ({ name: fieldName(d.field), errors: [d.message] }))
        .filter((f): f is { name: (string | number)[]; errors: string[] } => f.name !== null);
      if (fields.length) form.setFields(fields);
      void message.error(refused.message);
      return null;
    }
    dirty.current = false;
    if (isNew) {
      const created = (res.data as unknown as { id: string }).id;
      navigate(`/applications/${created}`, { replace: true });
      return created;
    }
    return id;
  }

  async function saveDraft() {
    setBusy('save');
    try {
      if (await save()) {
        void message.success(w('saved'));
        await load();
      }
    } finally {
      setBusy(undefined);
    }
  }

  async function submit() {
    setConfirming(false);
    setBusy('submit');
    setRefusal(undefined);
    try {
      const saved = await save();
      if (!saved) return;
      const res = await api.POST('/v1/applications/{id}/submit', { params: { path: { id: saved } } });
      if (!res.response.ok) {
        const e = res.error as
          | {
              message?: string;
              code?: string;
              explanation?: { missing?: Refusal['missing']; checks?: Check[] };
            }
          | undefined;
        setRefusal({
          // The two refusals listed below get their own words: the api's message for them is
          // English prose around Chinese labels, which its zh-CN localisation lets through.
          message:
            e?.code === 'MATERIALS_MISSING'
              ? w('materialsMissing')
              : e?.code === 'NOT_ELIGIBLE'
                ? w('notEligible2')
                : (e?.message ?? res.response.statusText),
          missing: e?.explanation?.missing,
          failed: e?.explanation?.checks?.filter((c) => !c.passed && c.hard !== false),
        });
        await load();
        return;
      }
      void message.success(w('submitted'));
      await load();
      setFormKey((k) => k + 1);
    } finally {
      setBusy(undefined);
    }
  }

  if (!isNew && !app) return null;
  const status = app?.status ?? 'draft';
  const editable = isNew || EDITABLE.includes(status);
  const returned = status === 'returned' ? app?.returned : undefined;
  const overdue = returned && today ? today > returned.respondBy : false;

  return (
    <>
      <h1 style={{ fontSize: 20 }}>
        {round?.title ?? t('programmes', programme)}{' '}
        <Tag style={STATUS}>{isNew ? w('newApplication') : t('applicationStatuses', status)}</Tag>
      </h1>
      <Descriptions size="small" bordered column={{ xs: 1, md: 3 }} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={w('programme')}>{t('programmes', programme)}</Descriptions.Item>
        <Descriptions.Item label={w('creditCode')}>{me.org}</Descriptions.Item>
        {app && <Descriptions.Item label={w('policyVersion')}>{app.policyVersion}</Descriptions.Item>}
        <Descriptions.Item label={w('next')} span={3}>
          {returned ? w('nextReturned') : editable ? w('nextDraft') : w('nextWaiting')}
        </Descriptions.Item>
      </Descriptions>
      {returned && (
        <Alert
          type={overdue ? 'error' : 'warning'}
          showIcon
          style={{ marginBottom: 16 }}
          title={
            overdue
              ? `${w('returnedTitle')}（${w('deadlinePassed')}）`
              : today
                ? `${w('returnedTitle')}：${returned.respondBy}（还剩 ${workingDaysUntil(returned.respondBy, today)} 个工作日）`
                : `${w('returnedTitle')}：${returned.respondBy}`
          }
          description={w('returnedBody', { reason: returned.reason, respondBy: returned.respondBy })}
        />
      )}
      {refusal && (
        <Alert
          type="error"
          showIcon
          closable={{ onClose: () => setRefusal(undefined) }}
          style={{ marginBottom: 16 }}
          title={`${w('submitRefused')}：${refusal.message}`}
          description={
            <>
              {refusal.missing?.length ? (
                <div>
                  {w('missingMaterials')}
                  <ul style={{ margin: 0 }}>
                    {refusal.missing.map((m) => (
                      <li key={m.kind}>{m.label.zh}</li>
                    ))}
                  </ul>
                </div>
              ) : null}
              {refusal.failed?.length ? (
                <div>
                  {w('failedRules')}
                  <ul style={{ margin: 0 }}>
                    {refusal.failed.map((c) => (
                      <li key={c.rule}>
                        {c.label?.zh ?? c.rule}：{w('actual')} {show(c.actual)}，{w('requiredValue')}{' '}
                        {show(c.required)}
                      </li>
                    ))}
                  </ul>
                </div>
              ) : null}
            </>
          }
        />
      )}
      <Card
        size="small"
        title={<h2 style={{ fontSize: 14, margin: 0 }}>{w('data')}</h2>}
        style={{ marginBottom: 16 }}
        extra={
          editable && (
            <Space>
              <Button onClick={saveDraft} loading={busy === 'save'} disabled={!!busy}>
                {w('saveDraft')}
              </Button>
              <Button
                type="primary"
                onClick={() => setConfirming(true)}
                loading={busy === 'submit'}
                disabled={!!busy || overdue}
              >
                {status === 'returned' ? w('resubmit') : w('submit')}
              </Button>
            </Space>
          )
        }
      >
        <DataForm
          key={formKey}
          form={form}
          programme={programme}
          data={app?.data}
          disabled={!editable}
          onEdit={() => (dirty.current = true)}
        />
      </Card>
      {app ? (
        <Materials applicationId={app.id} editable={editable} />
      ) : (
        <Alert type="info" title={w('draftFirst')} style={{ marginBottom: 16 }} />
      )}
      {app?.eligibility && (
        <Card
          size="small"
          title={
            <h2 style={{ fontSize: 14, margin: 0 }}>
              {w('eligibility')}：{app.eligibility.eligible ? w('eligible') : w('notEligible')}（
              {w('documentNumber')} {app.eligibility.documentNumber}）
            </h2>
          }
          style={{ marginBottom: 16 }}
        >
          <Table<Check>
            size="small"
            rowKey="rule"
            pagination={false}
            dataSource={app.eligibility.checks}
            columns={[
              { title: w('rule'), render: (_, c) => c.label?.zh ?? c.rule },
              { title: w('actual'), render: (_, c) => show(c.actual) },
              { title: w('requiredValue'), render: (_, c) => show(c.required) },
              {
                title: w('status'),
                render: (_, c) =>
                  c.passed ? (
                    <Tag style={OK}>{w('eligible')}</Tag>
                  ) : (
                    <Tag style={NOT_OK}>{w('notEligible')}</Tag>
                  ),
              },
            ]}
          />
        </Card>
      )}
      {app && (
        <Card size="small" title={<h2 style={{ fontSize: 14, margin: 0 }}>{w('timeline')}</h2>}>
          <Timeline
            items={history.map((e) => ({
              content: (
                <div>
                  <strong>{t('eventTypes', e.type)}</strong>
                  {typeof e.data?.reason === 'string' ? `：${e.data.reason}` : ''}
                  {typeof e.data?.fileName === 'string' ? `：${e.data.fileName}` : ''} —{' '}
                  {t('roles', e.actor.role)} · {chinaTime(e.occurredAt)}
                </div>
              ),
            }))}
          />
        </Card>
      )}
      <Modal
        open={confirming}
        title={status === 'returned' ? w('resubmit') : w('submit')}
        okText={w('confirm')}
        cancelText={w('cancel')}
        onOk={submit}
        onCancel={() => setConfirming(false)}
      >
        {w('confirmSubmit')}
      </Modal>
    </>
  );
}
