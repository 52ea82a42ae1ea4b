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
  Radio,
  Table,
  Tag,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { api, must } from '../api';
import { useWords } from '../labels';
import type { components } from '../schema';
import { addWorkingDays } from '../time';
import { useOfficerWords } from './words';

type Round = components['schemas']['RoundDto'];
type Objection = components['schemas']['ObjectionSummaryDto'];
interface ObjectionDetail {
  id: string;
  grounds: string;
  objectorKind: string;
  objector: { name?: string } | null;
}

const OK = { color: '#135200', background: '#f6ffed', borderColor: '#b7eb8f' };
const LATE = { color: '#820014', background: '#fff1f0', borderColor: '#ffa39e' };
const WAIT = { color: '#003a8c', background: '#e6f4ff', borderColor: '#91caff' };

const today = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });

/**
 * Publicity (公示) of a round: start it with the notice's number (its end date counted in working
 * days is shown before confirming), the objections received and their resolution, and finalize.
 */
export function RoundPublicity({ round, reload }: { round: Round; reload: () => Promise<void> }) {
  const w = useWords();
  const o = useOfficerWords();
  const { message } = App.useApp();
  const [workingDays, setWorkingDays] = useState<number>();
  const [starting, setStarting] = useState(false);
  const [startsOn, setStartsOn] = useState<Dayjs | null>(null);
  const [names, setNames] = useState<Record<string, string>>({});
  const [details, setDetails] = useState<Record<string, ObjectionDetail>>({});
  const [resolving, setResolving] = useState<Objection>();
  const [finalizing, setFinalizing] = useState(false);
  const [issuing, setIssuing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [startForm] = Form.useForm();
  const [resolveForm] = Form.useForm();
  const [finalForm] = Form.useForm();
  const [noticeForm] = Form.useForm();
  const publicity = round.publicity;

  useEffect(() => {
    void api.GET('/v1/programmes').then((res) => {
      const list = (res.data ?? []) as unknown as { code: string; publicityWorkingDays: number }[];
      setWorkingDays(list.find((p) => p.code === round.programme)?.publicityWorkingDays);
    });
  }, [round.programme]);

  const loadObjections = useCallback(async () => {
    if (!publicity) return;
    const list = must(
      await api.GET('/v1/rounds/{id}/list', {
        params: { path: { id: round.id }, query: { stage: 'proposed' } },
      }),
    ) as unknown as { applicationId: string; name: string }[];
    setNames(Object.fromEntries(list.map((e) => [e.applicationId, e.name])));
    const entries = await Promise.all(
      publicity.objections.map(async (x) => {
        const res = await api.GET('/v1/objections/{id}', { params: { path: { id: x.id } } });
        return [x.id, res.data as unknown as ObjectionDetail] as const;
      }),
    );
    setDetails(Object.fromEntries(entries));
  }, [round.id, publicity]);
  useEffect(() => void loadObjections(), [loadObjections]);

  async function act(call: () => Promise<unknown>, done: () => void) {
    setBusy(true);
    try {
      await call();
      done();
      await reload();
    } catch (error) {
      void message.error((error as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const first = startsOn ? startsOn.format('YYYY-MM-DD') : today();
  const open = (publicity?.objections ?? []).filter((x) => !x.resolution).length;

  return (
    <>
      {!publicity ? (
        <Card size="small" title={<h2 style={{ fontSize: 14, margin: 0 }}>{o('publicityNotStarted')}</h2>}>
          <Button type="primary" onClick={() => setStarting(true)} disabled={round.status !== 'closed'}>
            {o('startPublicity')}
          </Button>
        </Card>
      ) : (
        <Descriptions size="small" bordered column={2} style={{ marginBottom: 16 }}>
          <Descriptions.Item label={o('publicityPeriod')}>
            {publicity.startsOn} — {publicity.endsOn}
            {workingDays !== undefined ? `（${workingDays}${o('workingDays')}）` : ''}
          </Descriptions.Item>
          <Descriptions.Item label={o('noticeNumber')}>{publicity.documentNumber ?? ''}</Descriptions.Item>
          <Descriptions.Item label={o('proposedCount')}>{publicity.proposed}</Descriptions.Item>
          <Descriptions.Item label={o('objections')}>
            {publicity.objections.length}（{o('open')} {open}）
          </Descriptions.Item>
        </Descriptions>
      )}
      {publicity?.provisional && (
        <Alert type="warning" title={o('provisional')} style={{ marginBottom: 16 }} />
      )}
      {publicity && (
        <Card
          size="small"
          title={<h2 style={{ fontSize: 14, margin: 0 }}>{o('objections')}</h2>}
          style={{ marginBottom: 16 }}
        >
          <Table<Objection>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={publicity.objections}
            columns={[
              { title: w('enterprise'), render: (_, x) => names[x.applicationId] ?? x.applicationId },
              { title: o('raisedOn'), dataIndex: 'raisedOn' },
              { title: o('objector'), render: (_, x) => details[x.id]?.objector?.name ?? '' },
              { title: o('grounds'), render: (_, x) => details[x.id]?.grounds ?? '' },
              {
                title: o('handling'),
                render: (_, x) =>
                  !x.resolution ? (
                    <Tag style={WAIT}>{o('open')}</Tag>
                  ) : (
                    <>
                      <Tag style={x.resolution.upheld ? LATE : OK}>
                        {x.resolution.upheld ? o('upheld') : o('dismissed')}
                      </Tag>{' '}
                      {x.resolution.reason}
                    </>
                  ),
              },
              {
                title: w('actions'),
                render: (_, x) =>
                  x.resolution ? null : (
                    <Button size="small" onClick={() => setResolving(x)}>
                      {o('resolve')}
                    </Button>
                  ),
              },
            ]}
          />
        </Card>
      )}
      {publicity && !round.final && (
        <Card size="small" title={<h2 style={{ fontSize: 14, margin: 0 }}>{o('finalize')}</h2>}>
          <p>{o('finalizeHelp')}</p>
          <Button type="primary" onClick={() => setFinalizing(true)}>
            {o('finalize')}
          </Button>
        </Card>
      )}
      {round.final && (
        <Descriptions size="small" bordered column={3} title={o('finalized')}>
          <Descriptions.Item label={o('finalizedOn')}>{round.final.finalizedOn}</Descriptions.Item>
          <Descriptions.Item label={o('admittedCount')}>{round.final.admitted}</Descriptions.Item>
          <Descriptions.Item label={o('admissionNumber')}>
            {round.final.documentNumber ?? (
              <Button size="small" type="primary" onClick={() => setIssuing(true)}>
                {o('issueNotice')}
              </Button>
            )}
          </Descriptions.Item>
        </Descriptions>
      )}

      <Modal
        open={issuing}
        title={o('issueNotice')}
        okText={w('confirm')}
        cancelText={w('cancel')}
        confirmLoading={busy}
        destroyOnHidden
        onCancel={() => setIssuing(false)}
        onOk={() => noticeForm.submit()}
      >
        <Form
          form={noticeForm}
          layout="vertical"
          onFinish={(v: { documentNumber: string; issuer?: string }) =>
            act(
              async () =>
                must(
                  await api.POST('/v1/rounds/{id}/admission-notice', {
                    params: { path: { id: round.id } },
                    body: { documentNumber: v.documentNumber, ...(v.issuer ? { issuer: v.issuer } : {}) },
                  }),
                ),
              () => setIssuing(false),
            )
          }
        >
          <Form.Item name="documentNumber" label={o('admissionNumber')} rules={[{ required: true }]}>
            <Input placeholder="锡科发〔2026〕30号" />
          </Form.Item>
          <Form.Item name="issuer" label={o('issuer')} extra={o('issuerHelp')}>
            <Input />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        open={starting}
        title={o('startPublicity')}
        okText={w('confirm')}
        cancelText={w('cancel')}
        confirmLoading={busy}
        destroyOnHidden
        onCancel={() => setStarting(false)}
        onOk={() => startForm.submit()}
      >
        <Form
          form={startForm}
          layout="vertical"
          onFinish={(v: { documentNumber?: string; issuer?: string }) =>
            act(
              async () =>
                must(
                  await api.POST('/v1/rounds/{id}/publicity', {
                    params: { path: { id: round.id } },
                    body: {
                      ...(startsOn ? { startsOn: startsOn.format('YYYY-MM-DD') } : {}),
                      ...(v.documentNumber ? { documentNumber: v.documentNumber } : {}),
                      ...(v.issuer ? { issuer: v.issuer } : {}),
                    },
                  }),
                ),
              () => setStarting(false),
            )
          }
        >
          <Form.Item label={o('startsOn')} extra={o('startsOnHelp')}>
            <DatePicker
              aria-label={o('startsOn')}
              value={startsOn}
              onChange={(d) => setStartsOn(d)}
              style={{ width: '100%' }}
            />
          </Form.Item>
          <Form.Item name="documentNumber" label={o('noticeNumber')} rules={[{ required: true }]}>
            <Input placeholder="锡科发〔2026〕12号" />
          </Form.Item>
          <Form.Item name="issuer" label={o('issuer')} extra={o('issuerHelp')}>
            <Input />
          </Form.Item>
          {workingDays !== undefined && (
            <Alert
              type="info"
              title={`${o('endsOnPreview')}：${addWorkingDays(first, workingDays)}（${first} 起 ${workingDays}${o('workingDays')}）`}
            />
          )}
        </Form>
      </Modal>

      <Modal
        open={!!resolving}
        title={o('resolveTitle')}
        okText={w('confirm')}
        cancelText={w('cancel')}
        confirmLoading={busy}
        destroyOnHidden
        onCancel={() => setResolving(undefined)}
        onOk={() => resolveForm.submit()}
      >
        {resolving && (
          <p>
            {names[resolving.applicationId] ?? ''}：{details[resolving.id]?.grounds ?? ''}
          </p>
        )}
        <Form
          form={resolveForm}
          layout="vertical"
          onFinish={(v: { upheld: boolean; reason: string }) =>
            act(
              async () =>
                must(
                  await api.POST('/v1/objections/{id}/resolution', {
                    params: { path: { id: resolving!.id } },
                    body: { upheld: v.upheld, reason: v.reason },
                  }),
                ),
              () => setResolving(undefined),
            )
          }
        >
          <Form.Item name="upheld" label={o('decision')} rules={[{ required: true }]}>
            <Radio.Group
              options={[
                { value: true, label: o('uphold') },
                { value: false, label: o('dismiss') },
              ]}
            />
          </Form.Item>
          <Form.Item name="reason" label={w('reason')} rules={[{ required: true, whitespace: true }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        open={finalizing}
        title={o('finalize')}
        okText={w('confirm')}
        cancelText={w('cancel')}
        confirmLoading={busy}
        destroyOnHidden
        onCancel={() => setFinalizing(false)}
        onOk={() => finalForm.submit()}
      >
        <p>{o('finalizeHelp')}</p>
        <Form
          form={finalForm}
          layout="vertical"
          onFinish={(v: { documentNumber?: string; issuer?: string }) =>
            act(
              async () =>
                must(
                  await api.POST('/v1/rounds/{id}/finalize', {
                    params: { path: { id: round.id } },
                    body: {
                      ...(v.documentNumber ? { documentNumber: v.documentNumber } : {}),
                      ...(v.issuer ? { issuer: v.issuer } : {}),
                    },
                  }),
                ),
              () => setFinalizing(false),
            )
          }
        >
          <Form.Item name="documentNumber" label={o('admissionNumber')}>
            <Input placeholder="锡科发〔2026〕30号" />
          </Form.Item>
          <Form.Item name="issuer" label={o('issuer')} extra={o('issuerHelp')}>
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
