import { App, Button, Form, Input, Modal, Select, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, must } from '../api';
import { useLabel, useWords } from '../labels';

interface Membership {
  id: string;
  creditCode: string;
  programme: string;
  status: string;
  validFrom: string;
  validUntil: string;
  exitReason: string | null;
  lostReReviewRight: boolean;
}
const EXIT_REASONS = ['expired', 'failed-review', 'fraud', 'relocated', 'withdrawn', 'promoted'];

/** Memberships with their annual-report state; an exit recorded with its reason. */
export function Memberships() {
  const w = useWords();
  const t = useLabel();
  const { message } = App.useApp();
  const [items, setItems] = useState<Membership[]>();
  const [exiting, setExiting] = useState<Membership>();
  const [form] = Form.useForm();

  const load = useCallback(async () => {
    const res = await api.GET('/v1/memberships');
    setItems((res.data as unknown as Membership[]) ?? []);
  }, []);
  useEffect(() => void load(), [load]);

  async function exit(values: { reason: string; note?: string }) {
    try {
      must(
        await api.POST('/v1/memberships/{id}/exit', {
          params: { path: { id: exiting!.id } },
          body: values as never,
        }),
      );
      setExiting(undefined);
      await load();
    } catch (error) {
      void message.error((error as Error).message);
    }
  }

  return (
    <>
      <h1 style={{ fontSize: 20 }}>{w('memberships')}</h1>
      <Table
        rowKey="id"
        loading={!items}
        dataSource={items}
        columns={[
          { title: w('creditCode'), dataIndex: 'creditCode' },
          { title: w('programme'), dataIndex: 'programme', render: (v) => t('programmes', v) },
          { title: w('status'), dataIndex: 'status', render: (v) => t('membershipStatuses', v) },
          { title: w('validUntil'), dataIndex: 'validUntil' },
          { title: w('exitReason'), dataIndex: 'exitReason', render: (v) => t('exitReasons', v) },
          {
            title: w('annualReport'),
            dataIndex: 'lostReReviewRight',
            render: (v) => (v ? <Tag style={{ color: '#820014' }}>{w('lostRight')}</Tag> : null),
          },
          {
            title: w('actions'),
            render: (_, m) =>
              m.status === 'active' ? (
                <Button size="small" onClick={() => setExiting(m)}>
                  {w('recordExit')}
                </Button>
              ) : null,
          },
        ]}
      />
      <Modal
        open={!!exiting}
        title={w('recordExit')}
        onCancel={() => setExiting(undefined)}
        onOk={() => form.submit()}
        okText={w('confirm')}
      >
        <Form form={form} layout="vertical" onFinish={exit}>
          <Form.Item name="reason" label={w('exitReason')} rules={[{ required: true }]}>
            <Select options={EXIT_REASONS.map((r) => ({ value: r, label: t('exitReasons', r) }))} />
          </Form.Item>
          <Form.Item name="note" label={w('note')}>
            <Input.TextArea rows={2} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
