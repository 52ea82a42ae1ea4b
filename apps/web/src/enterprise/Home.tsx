import { Alert, Button, Card, DatePicker, Form, Input, Select, Table, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, type Me } from '../api';
import { useLabel } from '../labels';
import { chinaTime } from '../time';
import { DISTRICTS, districtName } from './jurisdictions';
import { usePortalWords } from './words';

export interface Enterprise {
  creditCode: string;
  name: string;
  jurisdiction: string;
  establishedOn: string;
  applications: { id: string; programme: string; roundId: string; status: string }[];
}
export interface OpenRound {
  id: string;
  programme: string;
  title: string;
  opensAt: string;
  closesAt: string;
}

const STATUS = { color: '#003a8c', background: '#e6f4ff', borderColor: '#91caff' };

/** My applications (status by label) and the rounds open for my district, each with "apply". */
export function Home({
  me,
  enterprise,
  rounds,
  onRegistered,
}: {
  me: Me;
  enterprise: Enterprise | null;
  rounds: OpenRound[];
  onRegistered: () => Promise<void>;
}) {
  const w = usePortalWords();
  const t = useLabel();
  const navigate = useNavigate();
  if (!enterprise) return <Profile me={me} onRegistered={onRegistered} />;
  const titleOf = (roundId: string) => rounds.find((r) => r.id === roundId)?.title;
  const appliedTo = new Map(enterprise.applications.map((a) => [a.roundId, a.id]));
  return (
    <>
      <h1 style={{ fontSize: 20 }}>{w('myApplications')}</h1>
      <p style={{ color: '#595959' }}>
        {enterprise.name} · {enterprise.creditCode} · {districtName(enterprise.jurisdiction)}
      </p>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={enterprise.applications}
          locale={{ emptyText: w('nothing') }}
          columns={[
            { title: w('programme'), render: (_, a) => t('programmes', a.programme) },
            { title: w('round'), render: (_, a) => titleOf(a.roundId) ?? '' },
            {
              title: w('status'),
              render: (_, a) => <Tag style={STATUS}>{t('applicationStatuses', a.status)}</Tag>,
            },
            { title: '', render: (_, a) => <Link to={`/applications/${a.id}`}>{w('view')}</Link> },
          ]}
        />
      </Card>
      <h2 style={{ fontSize: 16 }}>{w('openRounds')}</h2>
      <Card size="small">
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={rounds}
          locale={{ emptyText: w('noOpenRounds') }}
          columns={[
            { title: w('round'), dataIndex: 'title' },
            { title: w('programme'), render: (_, r) => t('programmes', r.programme) },
            { title: w('window'), render: (_, r) => `${chinaTime(r.opensAt)} 至 ${chinaTime(r.closesAt)}` },
            {
              title: '',
              render: (_, r) =>
                appliedTo.has(r.id) ? (
                  <Link to={`/applications/${appliedTo.get(r.id)}`}>{w('applied')}</Link>
                ) : (
                  <Button
                    type="primary"
                    size="small"
                    onClick={() => navigate(`/applications/new?round=${r.id}`)}
                  >
                    {w('apply')}
                  </Button>
                ),
            },
          ]}
        />
      </Card>
    </>
  );
}

/** First visit: the enterprise record (district, founding date) the applications need. */
function Profile({ me, onRegistered }: { me: Me; onRegistered: () => Promise<void> }) {
  const w = usePortalWords();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  async function save(values: { name: string; jurisdiction: string; establishedOn: Dayjs }) {
    setBusy(true);
    setError(undefined);
    try {
      const res = await api.POST('/v1/enterprises', {
        body: {
          creditCode: me.org!,
          name: values.name,
          jurisdiction: values.jurisdiction,
          establishedOn: values.establishedOn.format('YYYY-MM-DD'),
        },
      });
      if (!res.response.ok) {
        setError((res.error as { message?: string } | undefined)?.message ?? res.response.statusText);
        return;
      }
      await onRegistered();
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <h1 style={{ fontSize: 20 }}>{w('profile')}</h1>
      <Card style={{ maxWidth: 560 }}>
        <Alert type="info" title={w('profileHelp')} style={{ marginBottom: 16 }} />
        {error && <Alert type="error" title={error} style={{ marginBottom: 16 }} />}
        <Form layout="vertical" onFinish={save} initialValues={{ name: me.name }} requiredMark={false}>
          <Form.Item label={w('creditCode')}>
            <Input value={me.org} disabled />
          </Form.Item>
          <Form.Item
            name="name"
            label={w('companyName')}
            rules={[{ required: true, whitespace: true, max: 200 }]}
          >
            <Input />
          </Form.Item>
          <Form.Item name="jurisdiction" label={w('jurisdiction')} rules={[{ required: true }]}>
            <Select showSearch={{ optionFilterProp: 'label' }} options={DISTRICTS} />
          </Form.Item>
          <Form.Item name="establishedOn" label={w('establishedOn')} rules={[{ required: true }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>
            {w('save')}
          </Button>
        </Form>
      </Card>
    </>
  );
}
