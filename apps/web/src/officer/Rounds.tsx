import {
  App,
  Button,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api, must, type Me } from '../api';
import { type RoundListItem, useLabel, useWords } from '../labels';
import { chinaTime } from '../time';
import { jurisdictionName } from './jurisdictions';

const PROGRAMMES = ['eaglet', 'gazelle', 'quasi-unicorn', 'little-giant', 'tech-retrofit'] as const;
const STATUSES = ['scheduled', 'open', 'closed', 'in-publicity', 'finalized'] as const;

export function Rounds({ me }: { me: Me }) {
  const w = useWords();
  const t = useLabel();
  const { message } = App.useApp();
  const [filters, setFilters] = useState<{
    programme?: (typeof PROGRAMMES)[number];
    year?: number;
    status?: (typeof STATUSES)[number];
  }>({});
  const [items, setItems] = useState<RoundListItem[]>();
  const [creating, setCreating] = useState(false);

  const load = useCallback(async () => {
    setItems(undefined);
    setItems(must(await api.GET('/v1/rounds', { params: { query: { ...filters, limit: 200 } } })).items);
  }, [filters]);
  useEffect(() => void load(), [load]);

  async function close(id: string) {
    try {
      must(await api.POST('/v1/rounds/{id}/close', { params: { path: { id } } }));
      void message.success(w('done'));
      await load();
    } catch (error) {
      void message.error((error as Error).message);
    }
  }

  return (
    <>
      <h1 style={{ fontSize: 20 }}>{w('rounds')}</h1>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          allowClear
          aria-label={w('programme')}
          placeholder={w('programme')}
          style={{ width: 200 }}
          options={PROGRAMMES.map((p) => ({ value: p, label: t('programmes', p) }))}
          onChange={(programme) => setFilters((f) => ({ ...f, programme }))}
        />
        <InputNumber
          aria-label={w('year')}
          placeholder={w('year')}
          min={2000}
          max={2200}
          onChange={(year) => setFilters((f) => ({ ...f, year: year ?? undefined }))}
        />
        <Select
          allowClear
          aria-label={w('status')}
          placeholder={w('status')}
          style={{ width: 140 }}
          options={STATUSES.map((s) => ({ value: s, label: t('roundStatuses', s) }))}
          onChange={(status) => setFilters((f) => ({ ...f, status }))}
        />
        <Button type="primary" onClick={() => setCreating(true)}>
          {w('create')}
        </Button>
      </Space>
      <Table
        rowKey="id"
        loading={!items}
        dataSource={items}
        columns={[
          {
            title: w('title'),
            dataIndex: 'title',
            render: (v, r) => <Link to={`/rounds/${r.id}`}>{v}</Link>,
          },
          { title: w('programme'), dataIndex: 'programme', render: (v) => t('programmes', v) },
          { title: w('year'), dataIndex: 'year' },
          { title: w('batch'), dataIndex: 'batch' },
          { title: w('jurisdiction'), dataIndex: 'jurisdiction', render: (v: string) => jurisdictionName(v) },
          { title: w('status'), dataIndex: 'status', render: (v) => t('roundStatuses', v) },
          { title: w('window'), render: (_, r) => `${chinaTime(r.opensAt)} — ${chinaTime(r.closesAt)}` },
          { title: w('applications'), render: (_, r) => r.counts.total },
          {
            title: w('actions'),
            render: (_, r) =>
              r.status === 'open' || r.status === 'scheduled' ? (
                <Popconfirm title={w('confirmClose')} onConfirm={() => close(r.id)}>
                  <Button size="small">{w('close')}</Button>
                </Popconfirm>
              ) : null,
          },
        ]}
      />
      {creating && <CreateRound me={me} onClose={() => setCreating(false)} onCreated={load} />}
    </>
  );
}

function CreateRound({
  me,
  onClose,
  onCreated,
}: {
  me: Me;
  onClose: () => void;
  onCreated: () => Promise<void>;
}) {
  const w = useWords();
  const t = useLabel();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [programmes, setProgrammes] = useState<
    { code: string; policyVersion: string; documentNumber: string }[]
  >([]);
  const programme = Form.useWatch('programme', form) as string | undefined;
  useEffect(() => {
    void api.GET('/v1/programmes').then((res) => setProgrammes((res.data as never) ?? []));
  }, []);
  const policy = programmes.find((p) => p.code === programme);

  async function submit(values: {
    programme: string;
    year: number;
    batch: number;
    title: string;
    jurisdiction: string;
    window: [Dayjs, Dayjs];
  }) {
    try {
      must(
        await api.POST('/v1/rounds', {
          body: {
            programme: values.programme,
            year: values.year,
            batch: values.batch,
            title: values.title,
            jurisdiction: values.jurisdiction,
            opensAt: values.window[0].format('YYYY-MM-DDTHH:mm:ssZ'),
            closesAt: values.window[1].format('YYYY-MM-DDTHH:mm:ssZ'),
          } as never,
        }),
      );
      void message.success(w('done'));
      onClose();
      await onCreated();
    } catch (error) {
      void message.error((error as Error).message);
    }
  }

  return (
    <Modal open title={w('create')} onCancel={onClose} onOk={() => form.submit()} okText={w('confirm')}>
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ year: new Date().getFullYear(), batch: 1, jurisdiction: me.jurisdiction }}
      >
        <Form.Item name="programme" label={w('programme')} rules={[{ required: true }]}>
          <Select options={programmes.map((p) => ({ value: p.code, label: t('programmes', p.code) }))} />
        </Form.Item>
        {policy && (
          <p>
            {w('policyInForce')}：{policy.policyVersion}（{policy.documentNumber}）
          </p>
        )}
        <Form.Item name="title" label={w('title')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Space>
          <Form.Item name="year" label={w('year')} rules={[{ required: true }]}>
            <InputNumber min={2000} max={2200} />
          </Form.Item>
          <Form.Item name="batch" label={w('batch')} rules={[{ required: true }]}>
            <InputNumber min={1} max={99} />
          </Form.Item>
        </Space>
        <Form.Item name="jurisdiction" label={w('jurisdiction')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="window" label={w('window')} rules={[{ required: true }]}>
          <DatePicker.RangePicker showTime />
        </Form.Item>
      </Form>
    </Modal>
  );
}
