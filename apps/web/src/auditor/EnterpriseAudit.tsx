import { Card, Table } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../api';
import { useLabel } from '../labels';
import { Timeline } from './Timeline';
import { useAuditorWords } from './words';

interface Enterprise {
  creditCode: string;
  name: string;
  jurisdiction: string;
  establishedOn: string;
  applications: { id: string; programme: string; roundId: string; status: string }[];
  memberships: { id: string; programme: string; status: string; validFrom: string; validUntil: string }[];
}

const H2 = { fontSize: 14, margin: 0 } as const;

/** An enterprise for the auditor: its applications and memberships, and every event of its stream. */
export function EnterpriseAudit() {
  const { code } = useParams() as { code: string };
  const a = useAuditorWords();
  const t = useLabel();
  const [enterprise, setEnterprise] = useState<Enterprise | null>();
  useEffect(() => {
    void api
      .GET('/v1/enterprises/{creditCode}', { params: { path: { creditCode: code } } })
      .then((res) => setEnterprise(res.response.ok ? (res.data as unknown as Enterprise) : null));
  }, [code]);
  if (enterprise === undefined) return null;
  if (enterprise === null) return <p>{a('notFound')}</p>;
  return (
    <>
      <Link to="/">{a('back')}</Link>
      <h1 style={{ fontSize: 20 }}>
        {enterprise.name}（{enterprise.creditCode}）
      </h1>
      <Card size="small" title={<h2 style={H2}>{a('applications')}</h2>} style={{ marginBottom: 16 }}>
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={enterprise.applications}
          columns={[
            {
              title: a('application'),
              render: (_, r) => <Link to={`/applications/${r.id}`}>{r.id.slice(0, 8)}</Link>,
            },
            { title: a('programme'), render: (_, r) => t('programmes', r.programme) },
            { title: a('status'), render: (_, r) => t('applicationStatuses', r.status) },
            {
              title: a('round'),
              render: (_, r) => <Link to={`/rounds/${r.roundId}`}>{r.roundId.slice(0, 8)}</Link>,
            },
          ]}
        />
      </Card>
      <Card size="small" title={<h2 style={H2}>{a('memberships')}</h2>} style={{ marginBottom: 16 }}>
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={enterprise.memberships}
          columns={[
            { title: a('programme'), render: (_, r) => t('programmes', r.programme) },
            { title: a('status'), render: (_, r) => t('membershipStatuses', r.status) },
            { title: a('validUntil'), dataIndex: 'validUntil' },
          ]}
        />
      </Card>
      <Timeline stream={`enterprise-${enterprise.creditCode}`} />
    </>
  );
}
